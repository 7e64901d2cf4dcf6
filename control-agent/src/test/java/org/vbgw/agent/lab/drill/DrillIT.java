package org.vbgw.agent.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.cli.Vbgw;
import org.vbgw.agent.lab.Lab;
import org.vbgw.agent.lab.LabScenario;
import org.vbgw.io.lab.Netns;
import picocli.CommandLine;

/**
 * {@code vbgw drill} on an active-active lab, as an operator runs it: a short port-down drill passes (traffic
 * moves to the other connection, the flows already there lose nothing, it comes back), and a negative control
 * that cuts both connections, so traffic has nowhere to go, fails with a non-zero exit and says why. Needs root,
 * BIRD, FRR and nftables, like the lab itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillIT
{
    private static final String NAME = "dr" + Netns.suffix(6);

    @BeforeAll
    static void up()
    {
        // Should this JVM die before @AfterAll, the lab goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Lab.down(NAME), "drill-it-down"));
        Lab.up(LabScenario.ACTIVE_ACTIVE, NAME);
    }

    @AfterAll
    static void down()
    {
        Lab.down(NAME);
        assertFalse(Lab.list().contains(NAME));
    }

    private static int drill(final StringWriter out, final String... args)
    {
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    @Order(1)
    void aPortDownDrillPassesAndReportsIt(@TempDir final Path dir) throws Exception
    {
        StringWriter out = new StringWriter();
        int exit = drill(out, "drill", "active-active", "--name", NAME, "--modes", "port-down", "--repeats", "1",
            "--rate", "2000", "--flows", "16", "--out", dir.toString());
        if (exit != 0 && onlySurvivorLoss(dir))
        {
            // A loaded CI machine has lost a single packet of a surviving flow somewhere between the lab's processes
            // (its kernel queues, the VLAN shim): once, so run the drill again; a gateway that loses surviving flows'
            // packets does it every time and fails here the second time too.
            System.out.println("DrillIT: first drill lost packets of surviving flows only, running it again: " +
                Files.readString(dir.resolve("drill.json")));
            out = new StringWriter();
            exit = drill(out, "drill", "active-active", "--name", NAME, "--modes", "port-down", "--repeats", "1",
                "--rate", "2000", "--flows", "16", "--out", dir.toString());
        }

        assertEquals(0, exit, out + "\n" + (Files.exists(dir.resolve("drill.json")) ?
            Files.readString(dir.resolve("drill.json")) : ""));
        assertTrue(out.toString().contains("RESULT: PASS"), out.toString());
        final JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("drill.json")));
        assertTrue(json.get("passed").asBoolean());
        assertTrue(json.get("reachability").get("passed").asBoolean());
        final JsonNode mode = json.get("modes").get(0);
        assertEquals("PASS", mode.get("verdict").asText());
        assertEquals(1, mode.get("repeats").size());
        final JsonNode repeat = mode.get("repeats").get(0);
        assertTrue(repeat.get("movedFlows").asInt() > 0 && repeat.get("movedFlows").asInt() < 16,
            "ECMP: some flows were on vbr1, not all: " + repeat);
        assertTrue(repeat.get("switched").asBoolean(), repeat.toString());
        assertEquals(0, repeat.get("survivorLost").asLong(), repeat.toString());
        assertTrue(repeat.get("failbackNs").asLong() > 0, "traffic came back to vbr1: " + repeat);

        final String md = Files.readString(dir.resolve("drill.md"));
        assertTrue(md.contains("| port-down | vbr1 | 1 |"), md);
        final var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(dir.resolve("drill-port-down.svg").toFile());
        assertEquals(2, svg.getElementsByTagName("polyline").getLength(), "a line per VIF");
    }

    /** The drill failed, and for nothing but a few packets of flows that were not on the cut path. */
    private static boolean onlySurvivorLoss(final Path dir) throws Exception
    {
        if (!Files.exists(dir.resolve("drill.json")))
        {
            return false;
        }
        final JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("drill.json")));
        if (!json.get("reachability").get("passed").asBoolean() || json.get("modes").get(0).get("repeats").size() != 1)
        {
            return false;
        }
        final JsonNode repeat = json.get("modes").get(0).get("repeats").get(0);
        final JsonNode problems = repeat.get("problems");
        return repeat.get("switched").asBoolean() && problems.size() == 1 &&
            problems.get(0).asText().startsWith("flows not on the cut path lost") && repeat.get("survivorLost").asLong() <= 5;
    }

    @Test
    @Order(2)
    void aDrillWhereTrafficCannotSwitchFails(@TempDir final Path dir) throws Exception
    {
        // Negative control: both connections cut at once, so nothing is left to switch to.
        final StringWriter out = new StringWriter();
        final int exit = drill(out, "drill", "active-active", "--name", NAME, "--modes", "port-down", "--repeats", "1",
            "--rate", "2000", "--flows", "16", "--paths", "vbr1,vbr2", "--out", dir.toString());

        assertEquals(1, exit, out.toString());
        assertTrue(out.toString().contains("RESULT: FAIL"), out.toString());
        final JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("drill.json")));
        assertFalse(json.get("passed").asBoolean());
        assertEquals(1, json.get("modes").get(0).get("repeats").size(), "the cut ran (it did not fail for another " +
            "reason): " + out);
        final JsonNode repeat = json.get("modes").get(0).get("repeats").get(0);
        assertEquals("FAIL", json.get("modes").get(0).get("verdict").asText());
        assertFalse(repeat.get("switched").asBoolean(), repeat.toString());
        assertTrue(repeat.get("problems").toString().contains("traffic did not switch"), repeat.toString());
        assertTrue(Files.readString(dir.resolve("drill.md")).contains("**FAIL**: traffic did not switch"));
    }
}
