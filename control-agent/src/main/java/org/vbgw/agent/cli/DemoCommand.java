package org.vbgw.agent.cli;

import org.vbgw.agent.demo.FailoverScenario;
import org.vbgw.agent.demo.MemoryLab;
import org.vbgw.agent.demo.NamespaceDemo;
import org.vbgw.agent.lab.LabPrerequisites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code vbgw demo}: a border gateway between a data center and a VPC over two dedicated connections, traffic
 * on both, one cut and restored, the outage measured. As root with BIRD, FRR and nftables installed, in network
 * namespaces ({@link NamespaceDemo}: the real gateway process, a BIRD customer router, BGP and BFD); otherwise,
 * or with {@code --memory}, in memory: the real gateway (config, RIB, journal, FIB, pipeline, ARP, carrier
 * detector) with in-memory ports and simulated far ends.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a gateway with two connections, cut one while traffic flows, and measure the failover.")
public final class DemoCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--phase-seconds", defaultValue = "3", description = "Length of each phase (default: ${DEFAULT-VALUE} s).")
    double phaseSeconds;

    @Option(names = "--rate", defaultValue = "20000", description = "Packets per second of demo traffic (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--flows", defaultValue = "64", description = "Number of flows (default: ${DEFAULT-VALUE}).")
    int flows;

    @Option(names = "--hold-down-ms", defaultValue = "1000",
        description = "How long a restored connection waits before it carries traffic again (default: ${DEFAULT-VALUE} ms).")
    long holdDownMs;

    @Option(names = "--memory", description = "Run the in-memory demo even where the namespace lab could run.")
    boolean memory;

    @Option(names = "--lab-rate", defaultValue = "5000",
        description = "Packets per second through the namespace lab (default: ${DEFAULT-VALUE}).")
    long labRate;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (rate <= 0 || flows <= 0 || flows > rate || flows > labRate || phaseSeconds <= 0 || holdDownMs < 0)
        {
            spec.commandLine().getErr().println("demo: --rate, --lab-rate and --flows must be > 0 (flows <= rates), phases > 0");
            return 2;
        }
        if (!memory)
        {
            final java.util.List<String> missing = LabPrerequisites.missing();
            if (missing.isEmpty())
            {
                out.println("vbgw demo: a border gateway between a data center (172.16.0.0/12) and a VPC (192.168.0.0/16)");
                out.println("over two dedicated connections, vbr1 (VLAN 101) and vbr2 (VLAN 102), BGP with MD5 and BFD on");
                out.println("both, traffic spread over both (ECMP): the seed 003 scenario in network namespaces.");
                out.flush();
                final NamespaceDemo.Result r = new NamespaceDemo(out, flows, labRate, (long)(phaseSeconds * 1000)).run();
                return r.switched() && r.returned() ? 0 : 1;
            }
            out.println("vbgw demo: the namespace lab cannot run here; missing:");
            missing.forEach(m -> out.println("  - " + m));
            out.println("(as root with those installed: sudo ./vbgw demo). Running the same scenario in memory instead.");
            out.println();
        }
        out.println("vbgw demo: a border gateway between a data center (172.16.0.0/12) and a VPC (10.100.0.0/16)");
        out.println("over two dedicated connections, dx-a (VLAN 101) and dx-b (VLAN 102), traffic spread over both (ECMP).");
        out.println("The topology runs in memory: the real gateway with in-memory ports; the customer routers and the");
        out.println("VPC host are simulated at the far ends. A cut link is seen by the gateway's carrier detector.");
        out.printf("Traffic: %,d packets/s in %d flows from the VPC to the data center.%n%n", rate, flows);
        out.flush();
        final FailoverScenario.Result r;
        try (MemoryLab lab = new MemoryLab(flows, rate, holdDownMs * 1_000_000L))
        {
            r = new FailoverScenario(lab, out, (long)(phaseSeconds * 1e9), 500_000_000L,
                FailoverScenario.Cut.LINK_DOWN).run();
        }
        out.println();
        out.printf("both connections in use after %.0f ms (ARP resolved on both VIFs); packets arrive with TTL %d%n",
            r.warmupNs() / 1e6, r.ttl());
        if (r.movedFlows() == 0)
        {
            out.println("RESULT: no traffic crossed the first connection, nothing to fail over");
            return 1;
        }
        out.printf("cut:     %d flows moved to the other connection in %s; worst outage of a flow %.1f ms " +
            "(%d packets lost); flows already on the other connection lost %d%n",
            r.movedFlows(), r.switchNs() < 0 ? "(never)" : String.format("%.1f ms", r.switchNs() / 1e6),
            r.worstOutageNs() / 1e6, r.lostAtCut(), r.survivorLoss());
        out.printf("restore: the connection carried traffic again after %s (hold-down %d ms); %d packets lost%n",
            r.returnNs() < 0 ? "(never)" : String.format("%.0f ms", r.returnNs() / 1e6), holdDownMs, r.lostAtRestore());
        out.printf("for comparison: the clouds' default health checks detect a failure after 2 s x 8 = 16 s, " +
            "AWS BFD after 300 ms x 3 = 900 ms%n");
        out.println(r.switched() ? "RESULT: traffic switched paths and came back" : "RESULT: FAILED: traffic did not switch cleanly");
        out.flush();
        return r.switched() ? 0 : 1;
    }
}
