package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vbgw check} run through the real command line, on the example configs and broken ones. */
class CheckCommandTest
{
    /** Surefire runs in the module directory. */
    private static final Path EXAMPLES = Path.of("examples");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        final int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aConfigIsNeededUnlessTheFibIsChecked()
    {
        final Run run = run("check");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("which config?"), run.err());
    }

    @Test
    void checkFibSaysWhichSideCannotBeAsked() throws IOException
    {
        // No FRR in this directory: exit 2 and the reason, not a stack trace.
        final Run run = run("check", "fib", "--frr-dir", dir.resolve("none").toString(), "--api", "127.0.0.1:1");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("no FRR runs here"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = { "active-standby.yaml", "direct-vpn-backup.yaml", "active-active-health-check.yaml" })
    void theExamplesPassWithoutWarnings(final String example)
    {
        final String file = EXAMPLES.resolve(example).toString();
        final Run run = run("check", file);
        assertEquals("", run.err());
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith(file + ": ok\n"), run.out());
    }

    @Test
    void theActiveActiveExampleFailsOverAfterEightLostProbes()
    {
        final String file = EXAMPLES.resolve("active-active-health-check.yaml").toString();
        assertEquals(String.join("\n",
                file + ": ok",
                "gateway vbgw-cn-shanghai (AS 65000, router id 100.96.0.1): 3 ports at 2 locations, 2 VIFs, " +
                    "1 VPC attachment (1 CIDR block), 1 static route, 0 VPN backups",
                "paths to the IDC, with the expected failover time of a silent failure:",
                "  vif vbr1                 port circuit-1 (shanghai-ap-a)   health-check  16 s",
                "  vif vbr2                 port circuit-2 (shanghai-ap-b)   health-check  16 s",
                ""),
            run("check", file).out());
    }

    @Test
    void theSinglePointOfFailureExampleIsValidAndWarned()
    {
        final String file = EXAMPLES.resolve("single-point-of-failure.yaml").toString();
        final Run run = run("check", file);
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith(file + ": ok (3 warnings)\n"), run.out());
        assertEquals(List.of(
                file + ":21:5: vifs[0]: warning: VIF 'vif-a' has no BFD and no health check: a failure that keeps the " +
                    "link up is noticed only when the BGP hold time (90 s) expires",
                file + ":26:22: vifs[0].remote-subnets[0]: warning: single point of failure: every path to 172.16.0.0/16 " +
                    "(vif-a, vif-b) leaves through port 'dc-only': add a VIF on a second connection at another location",
                file + ":27:5: vifs[1]: warning: VIF 'vif-b' has no BFD and no health check: a failure that keeps the " +
                    "link up is noticed only when the BGP hold time (90 s) expires"),
            run.err().lines().toList());
    }

    @Test
    void errorsAreAllPrintedAndExitOne() throws IOException
    {
        final Path config = write("""
            gateway:
              name: gw
            ports:
              - name: p1
                interface: eth1
            vifs:
              - name: v1
                port: p1
                vlan: 4095
                ipv4: {local: 10.0.0.1/30, peer: 10.0.0.3/30}
                bgp: {peer-asn: 65000}
                remote-subnets: [10.1.0.0/16]
                healthcheck: {source-ip: 10.0.0.1}
            """);
        final Run run = run("check", config.toString());
        assertEquals(1, run.exit());
        assertEquals("", run.out());
        assertEquals(List.of(
                config + ":9:11: vifs[0].vlan: VLAN 4095 out of range 0..4094",
                config + ":10:38: vifs[0].ipv4.peer: 10.0.0.3 is the broadcast address of 10.0.0.0/30: a /30 has two " +
                    "usable addresses, 10.0.0.1 and 10.0.0.2",
                config + ":11:21: vifs[0].bgp.peer-asn: peer ASN 65000 is the gateway's own ASN: vbgw speaks eBGP only, " +
                    "so the customer router needs a different ASN",
                config + ":13:5: vifs[0].healthcheck: unknown key 'healthcheck' (did you mean 'health-check'?)",
                config + ": 4 errors"),
            run.err().lines().toList());
    }

    @Test
    void malformedYamlIsAnErrorNotAStackTrace() throws IOException
    {
        final Path config = write("gateway:\n  name: gw\n ports: [\n");
        final Run run = run("check", config.toString());
        assertEquals(1, run.exit());
        // The key indented by one space opens a mapping where the parser expected the document's to go on.
        assertEquals(List.of(config + ":3:2: YAML syntax error: expected <block end>, but found '<block mapping start>' " +
                "(while parsing a block mapping): check this line's indentation", config + ": 1 error"),
            run.err().lines().toList());
    }

    @Test
    void anUnreadableFileExitsTwo()
    {
        final Path missing = dir.resolve("nope.yaml");
        final Run run = run("check", missing.toString());
        assertEquals(2, run.exit());
        assertEquals("vbgw check: cannot read " + missing + ": NoSuchFileException " + missing + "\n", run.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonCarriesTheWarningsAndPaths()
    {
        final String file = EXAMPLES.resolve("single-point-of-failure.yaml").toString();
        final Run run = run("check", "--json", file);
        assertEquals(0, run.exit());
        assertEquals("", run.err());
        final Map<String, Object> doc = (Map<String, Object>)MiniJson.parse(run.out());
        assertEquals(file, doc.get("file"));
        assertEquals(true, doc.get("ok"));
        assertEquals(List.of(), doc.get("errors"));
        final List<Map<String, Object>> warnings = (List<Map<String, Object>>)doc.get("warnings");
        assertEquals(3, warnings.size());
        assertEquals(Map.of("file", file, "line", 26L, "column", 22L, "path", "vifs[0].remote-subnets[0]",
                "message", "single point of failure: every path to 172.16.0.0/16 (vif-a, vif-b) leaves through port " +
                    "'dc-only': add a VIF on a second connection at another location"),
            warnings.get(1));
        final List<Map<String, Object>> paths = (List<Map<String, Object>>)doc.get("paths");
        assertEquals(2, paths.size());
        assertEquals("bgp-hold-time", paths.get(0).get("detection"));
        assertEquals(90_000L, paths.get(0).get("failover_ms"));
        assertEquals("90 s", paths.get(0).get("failover"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonCarriesTheErrors() throws IOException
    {
        final Path config = write("gateway:\n  name: \"gw \\\"one\\\"\"\nports:\n  - {name: p1, interface: eth1, mtu: 10}\n");
        final Run run = run("check", "--json", config.toString());
        assertEquals(1, run.exit());
        final Map<String, Object> doc = (Map<String, Object>)MiniJson.parse(run.out());
        assertEquals(false, doc.get("ok"));
        assertEquals(null, doc.get("summary"));
        final List<Map<String, Object>> errors = (List<Map<String, Object>>)doc.get("errors");
        assertEquals(List.of("name 'gw \"one\"' is invalid: use 1-64 letters, digits, '_' or '-'", "MTU 10 out of range 68..9216"),
            errors.stream().map(e -> e.get("message")).toList());
        assertEquals(List.of("gateway.name", "ports[0].mtu"), errors.stream().map(e -> e.get("path")).toList());
        assertEquals(List.of(2L, 4L), errors.stream().map(e -> e.get("line")).toList());
    }

    @Test
    void theFullExampleInTheConfigDocPasses() throws IOException
    {
        final String doc = Files.readString(Path.of("..", "docs", "CONFIG.md"));
        final int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        final Path config = write(doc.substring(start, doc.indexOf("```", start)));
        final Run run = run("check", config.toString());
        assertEquals("", run.err());
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("2 VIFs, 1 VPC attachment (1 CIDR block), 2 static routes, 1 static neighbour, " +
            "1 VPN backup"), run.out());
    }

    @Test
    void checkIsAVbgwCommand()
    {
        assertTrue(run("--help").out().contains("check"), "vbgw --help lists check");
    }

    private Path write(final String yaml) throws IOException
    {
        final Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
