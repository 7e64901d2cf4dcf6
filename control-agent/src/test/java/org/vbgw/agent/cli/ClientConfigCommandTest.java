package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vbgw client-config} through the real command line: output, --out, exit codes and messages. */
class ClientConfigCommandTest
{
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
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void printsTheConfigOrWritesIt() throws Exception
    {
        final String config = EXAMPLES.resolve("active-standby.yaml").toString();
        final Run printed = run("client-config", config, "vif-magdeburg", "--vendor", "frr");
        assertEquals(0, printed.exit(), printed.err());
        assertTrue(printed.out().contains("router bgp 64512\n"), printed.out());
        final Path file = dir.resolve("r.conf");
        final Run written = run("client-config", config, "vif-magdeburg", "--vendor", "FRR", "--out", file.toString());
        assertEquals(0, written.exit(), written.err());
        assertEquals("", written.out());
        assertEquals(printed.out(), Files.readString(file));
    }

    @Test
    void interfacesArePerVif()
    {
        final Run r = run("client-config", EXAMPLES.resolve("active-active-health-check.yaml").toString(), "vbr1", "vbr2",
            "--vendor", "cisco", "--interface", "Gi0/0/0", "--interface", "Gi0/0/1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("interface Gi0/0/0\n description vbgw vbgw-cn-shanghai vbr1\n"), r.out());
        assertTrue(r.out().contains("interface Gi0/0/1\n description vbgw vbgw-cn-shanghai vbr2\n"), r.out());
        assertTrue(r.out().contains("ip route 192.168.0.0 255.255.0.0 10.0.0.1\nip route 100.96.0.1 255.255.255.255 10.0.0.1\n" +
            "ip route 192.168.0.0 255.255.0.0 10.0.0.5\n"), r.out());
    }

    @Test
    void errorsAreMessagesWithExitCodes()
    {
        final String config = EXAMPLES.resolve("active-standby.yaml").toString();
        final Run vendor = run("client-config", config, "vif-biere", "--vendor", "mikrotik");
        assertEquals(1, vendor.exit());
        assertTrue(vendor.err().contains("unknown vendor 'mikrotik': use bird, frr, cisco, junos or junos-set"), vendor.err());
        final Run vif = run("client-config", config, "vif-x", "--vendor", "bird");
        assertEquals(1, vif.exit());
        assertTrue(vif.err().contains("no VIF vif-x in the config"), vif.err());
        final Run missing = run("client-config", dir.resolve("none.yaml").toString(), "a", "--vendor", "bird");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("cannot read"), missing.err());
        final Run unwritable = run("client-config", config, "vif-biere", "--vendor", "bird", "--out",
            dir.resolve("no/such/dir/f").toString());
        assertEquals(2, unwritable.exit());
        assertTrue(unwritable.err().contains("cannot write"), unwritable.err());
    }
}
