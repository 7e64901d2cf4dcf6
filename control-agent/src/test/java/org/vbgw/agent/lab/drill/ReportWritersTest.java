package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.agent.lab.drill.SyntheticRun.MS;
import static org.vbgw.agent.lab.drill.SyntheticRun.START_NS;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongPredicate;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWritersTest
{
    private static final long CUT_NS = START_NS + 2_000 * MS;
    private static final long RESTORE_NS = START_NS + 4_000 * MS;

    private static SyntheticRun run(final long detectMs)
    {
        return new SyntheticRun(32, 5_000, 6_000 * MS, new String[] {"vbr1", "vbr2"},
            (flow, t) -> flow % 2 == 1 ? 1 : t >= CUT_NS + detectMs * MS && t < RESTORE_NS + 300 * MS ? 1 : 0,
            new LongPredicate[] {t -> t >= CUT_NS && t < RESTORE_NS, t -> false});
    }

    private static DrillReport report()
    {
        final PathTimers vbr1 = new PathTimers("vbr1", 300, 1000, 0, 0, 9000);
        final Expectation port = Expectation.of(FailureMode.PORT_DOWN, vbr1);
        final Expectation bfd = Expectation.of(FailureMode.BFD_SILENCED, vbr1);
        final SyntheticRun fast = run(2);
        final SyntheticRun slow = run(700);
        final RepeatResult good = RepeatAnalysis.analyse(0, fast.traffic(), fast.spacingNs(), START_NS + 500 * MS,
            CUT_NS, RESTORE_NS, fast.onPath(0), fast.series(), List.of("vbr1"), port);
        final RepeatResult bad = RepeatAnalysis.analyse(0, slow.traffic(), slow.spacingNs(), START_NS + 500 * MS,
            CUT_NS, RESTORE_NS, slow.onPath(0), slow.series(), List.of("vbr1"), bfd);
        final List<ModeResult> modes = List.of(
            ModeResult.of(FailureMode.PORT_DOWN, port, List.of("vbr1"), List.of(good), "drill-port-down.svg", List.of()),
            ModeResult.of(FailureMode.BFD_SILENCED, bfd, List.of("vbr1"), List.of(bad), null, List.of()),
            ModeResult.skipped(FailureMode.ROUTE_WITHDRAWN, Expectation.of(FailureMode.ROUTE_WITHDRAWN,
                new PathTimers("vbr1", 0, 0, 0, 0, 0)), List.of("vbr1"), "no BGP session on vbr1"));
        return new DrillReport(new Machine("lab-host", "Linux", "6.1", "Test CPU", 2, "OpenJDK 17"),
            "2026-11-22T22:00:00Z", "vbgw drill active-active --repeats 1", "active-active", "aa1",
            List.of(vbr1, new PathTimers("vbr2", 300, 1000, 0, 0, 9000)), 5_000, 32, 6.4,
            new DrillReport.Reachability(32, 5_000, 5_000, 0, null), modes);
    }

    @Test
    void verdictsFollowTheRepeats()
    {
        final DrillReport r = report();
        assertEquals("PASS", r.modes().get(0).verdict());
        assertEquals("FAIL", r.modes().get(1).verdict());
        assertEquals("SKIPPED", r.modes().get(2).verdict());
        assertFalse(r.passed(), "one mode failed");
    }

    @Test
    void markdownHasOneTableRowPerModeAndTheContext()
    {
        final String md = MarkdownReport.render(report());
        assertTrue(md.startsWith("## Drill: active-active (FAIL)\n"));
        assertTrue(md.contains("- command: `vbgw drill active-active --repeats 1`"));
        assertTrue(md.contains("- machine: lab-host (Linux 6.1, 2 x Test CPU, OpenJDK 17)"));
        assertTrue(md.contains("vbr1: BFD detect 300 ms (hold-down 1000 ms), BGP hold 9 s"));
        final List<String> rows = md.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(4, rows.size(), "header and three modes: " + rows);
        final int columns = rows.get(0).split("\\|", -1).length;
        for (final String row : rows)
        {
            assertEquals(columns, row.split("\\|", -1).length, "every row has the header's columns: " + row);
        }
        assertTrue(rows.get(1).startsWith("| port-down | vbr1 | 1 | ") && rows.get(1).endsWith("| PASS |"), rows.get(1));
        assertTrue(rows.get(2).startsWith("| bfd-silenced |") && rows.get(2).endsWith("| FAIL |"), rows.get(2));
        assertTrue(rows.get(3).contains("SKIPPED: no BGP session on vbr1"));
        assertTrue(md.contains("![packets per second per VIF, port-down](drill-port-down.svg)"));
        assertTrue(md.contains("**FAIL**: outage 70"), "the failed repeat says why");
    }

    @Test
    void jsonCarriesTheNumbersAndVerdicts(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("drill.json");
        report().writeJson(file);
        final JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertFalse(json.get("passed").asBoolean());
        assertEquals("active-active", json.get("scenario").asText());
        assertEquals(3, json.get("modes").size());
        final JsonNode port = json.get("modes").get(0);
        assertEquals("PORT_DOWN", port.get("mode").asText());
        assertEquals("PASS", port.get("verdict").asText());
        assertEquals(1, port.get("outage").get("count").asInt());
        assertTrue(port.get("repeats").get(0).get("passed").asBoolean());
        assertEquals(16, port.get("repeats").get(0).get("movedFlows").asInt());
        assertTrue(json.get("modes").get(2).get("outage").get("p50Ms").isNull(), "no repeats, no percentiles");
        assertEquals(2, json.get("timers").size());
    }

    @Test
    void svgIsWellFormedWithALinePerVifAndTheCutAndRestoreMarked() throws Exception
    {
        final SyntheticRun run = run(150);
        final String svg = SvgPlot.render("active-active: port-down on vbr1 <repeat 1>", run.series(), START_NS, CUT_NS,
            RESTORE_NS);
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        final Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        final NodeList polylines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertEquals(2, polylines.getLength());
        for (int i = 0; i < polylines.getLength(); i++)
        {
            final String[] points = ((Element)polylines.item(i)).getAttribute("points").trim().split(" ");
            assertEquals(2 * (run.series().get(i).size() - 1), points.length, "a step per sample interval");
        }
        // vbr1's line drops to the bottom of the plot during the cut: the switch is visible.
        final String vbr1 = ((Element)polylines.item(0)).getAttribute("points");
        assertTrue(vbr1.contains(",310.0"), "vbr1 at 0 packets/s somewhere");
        int markers = 0;
        final NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
        for (int i = 0; i < lines.getLength(); i++)
        {
            final String cls = ((Element)lines.item(i)).getAttribute("class");
            markers += cls.equals("cut") || cls.equals("restore") ? 1 : 0;
        }
        assertEquals(2, markers);
        assertTrue(svg.contains("&lt;repeat 1&gt;"), "the title is escaped");
    }

    @Test
    void niceSteps()
    {
        assertEquals(1.0, SvgPlot.niceStep(0.8));
        assertEquals(2000.0, SvgPlot.niceStep(1234));
        assertEquals(0.5, SvgPlot.niceStep(0.3));
        assertEquals(10.0, SvgPlot.niceStep(7));
    }
}
