package org.vbgw.agent.cli;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.Diagnostic;
import org.vbgw.agent.frr.BgpSessions;
import org.vbgw.agent.frr.FrrConfig;
import org.vbgw.agent.frr.FrrDaemons;
import org.vbgw.agent.frr.Vtysh;
import org.vbgw.agent.http.ApiServer;
import org.vbgw.agent.http.GatewayViews;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.agent.run.HostTapSpec;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.HostKernelBypass;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.io.Port;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;
import org.vbgw.io.linux.TapDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vbgw run CONFIG}: the gateway. Checks the config, opens the ports (AF_PACKET on each port's
 * interface), a host TAP per VIF for BGP and other traffic to the gateway's own addresses, programs the FIB
 * through the journal, starts FRR when a VIF runs BGP (unless {@code --no-frr}), and forwards until stopped
 * (SIGTERM or Ctrl-C), closing everything it opened.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway described by a config file.")
public final class RunCommand implements Callable<Integer>
{
    /** Where FRR's packages put the vty sockets of an FRR started by its own init scripts. */
    static final Path OWN_FRR_VTY_DIR = Path.of("/var/run/frr");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The gateway config (YAML).")
    Path configFile;

    @Option(names = "--state-dir", defaultValue = "/var/lib/vbgw",
        description = "Where the FIB journal lives (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--counters", defaultValue = StatCommand.DEFAULT_COUNTERS_FILE,
        description = "Counters file other processes read (default: ${DEFAULT-VALUE}).")
    Path countersFile;

    @Option(names = "--workers", defaultValue = "1", description = "Forwarding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--no-taps", description = "Do not create host TAPs (no BGP, no host traffic).")
    boolean noTaps;

    @Option(names = "--http", defaultValue = "127.0.0.1:9468",
        description = "Address of /metrics and /api (default: ${DEFAULT-VALUE}; 'off' for none).")
    String http;

    @Option(names = "--no-frr", description = "Do not start FRR for the config's BGP sessions (you run your own, in this " +
        "network namespace, on the VIFs' TAPs, with zebra's FPM pointed at --fpm).")
    boolean noFrr;

    @Option(names = "--fpm", defaultValue = "127.0.0.1:2620", paramLabel = "ADDR",
        description = "The agent's FPM server, where zebra sends the routes FRR selects (default: ${DEFAULT-VALUE}). " +
            "It runs when vbgw starts FRR, or when this option is given (your own FRR).")
    String fpm;

    @Option(names = "--fpm-protocols", split = ",", defaultValue = "bgp,static", paramLabel = "PROTO",
        description = "zebra's routes to take into the RIB (default: ${DEFAULT-VALUE}; also ospf, isis, rip, eigrp, babel, openfabric).")
    java.util.List<String> fpmProtocols;

    @Option(names = "--fpm-grace-s", defaultValue = "120", paramLabel = "SECONDS",
        description = "How long FRR's routes stay after zebra disconnects (default: ${DEFAULT-VALUE}).")
    long fpmGraceS;

    /** Which parts of the gateway this process runs. */
    enum Role
    {
        /** Data plane and agent in one process (the default). */
        both,
        /** Ports, VIFs, the journal applier, counters and metrics; routes come from an agent process. */
        dataplane,
        /** Config, RIB, route and reload API, the journal writer; forwarding is a data plane process's. */
        agent
    }

    @Option(names = "--role", defaultValue = "both",
        description = "both (default), dataplane or agent: the last two run as two processes on one --state-dir.")
    Role role;

    @Option(names = "--tx", defaultValue = "SEND", description = "Transmit mode: RING or SEND (default: ${DEFAULT-VALUE}).")
    PacketSocketOptions.TxMode txMode;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ConfigCheck check = ConfigCheck.of(configFile);
        if (!check.ok())
        {
            check.errors().forEach(d -> err.println(d));
            err.println(configFile + ": " + check.errors().size() + " error(s); nothing started");
            err.flush();
            return 1;
        }
        check.warnings().stream().map(Diagnostic::toString).forEach(out::println);
        if (role == Role.agent)
        {
            // zebra may feed an agent alone too (the operator's own FRR, pointed at --fpm): BGP routes then survive
            // the agent's restarts as they survive the gateway's.
            final org.vbgw.agent.fpm.FpmOptions fpmOptions = !spec.commandLine().getParseResult().hasMatchedOption("--fpm")
                ? null : new org.vbgw.agent.fpm.FpmOptions(org.vbgw.agent.fpm.FpmOptions.parseAddress(fpm),
                fpmProtocols.stream().map(org.vbgw.agent.fpm.Netlink::protocolNumber).toList(), fpmGraceS * 1000);
            return AgentRole.run(configFile, check, stateDir, http, countersFile, fpmOptions, out, err);
        }
        final Dataplane.Config dpConfig = Dataplane.Config.defaults().withWorkers(workers).withCountersFile(countersFile);
        final GatewayRuntime runtime = new GatewayRuntime(check.config(), stateDir.resolve("journal"),
            (port, worker, all) -> PacketSocket.open(port.linuxInterface(), options(port.linuxInterface(), all)),
            spec -> noTaps ? null : openTap(spec), dpConfig, role == Role.both);
        // The host kernel must not also route, answer or spend CPU on the frames vbgw forwards.
        final HostKernelBypass bypass;
        try
        {
            bypass = HostKernelBypass.install(check.config().ports().stream().map(p -> p.linuxInterface()).toList());
        }
        catch (final RuntimeException ex)
        {
            runtime.close();
            throw ex;
        }
        // BGP feeds the RIB, which only a process with the agent's part has (the agent role has none yet).
        final boolean startsFrr = role == Role.both && !noFrr && !noTaps &&
            check.config().vifs().stream().anyMatch(v -> v.bgp() != null);
        final boolean servesFpm = role == Role.both &&
            (startsFrr || spec.commandLine().getParseResult().hasMatchedOption("--fpm"));
        final ApiServer api;
        try
        {
            if (servesFpm)
            {
                // Before FRR starts: zebra connects to it as soon as it is up.
                runtime.startFpm(new org.vbgw.agent.fpm.FpmOptions(org.vbgw.agent.fpm.FpmOptions.parseAddress(fpm),
                    fpmProtocols.stream().map(org.vbgw.agent.fpm.Netlink::protocolNumber).toList(), fpmGraceS * 1000),
                    line ->
                    {
                        err.println(line);
                        err.flush();
                    });
            }
            api = "off".equals(http) ? null : startApi(runtime);
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            runtime.close();
            bypass.close();
            throw ex;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            if (api != null)
            {
                api.close();
            }
            runtime.close();
            bypass.close();
            stopped.countDown();
        }, "vbgw-shutdown"));
        // Program the FIB before the first frame is forwarded, so the gateway starts with its full table.
        runtime.applyJournal();
        runtime.start();
        final java.util.Optional<FrrDaemons> frr = !startsFrr ? java.util.Optional.empty()
            : runtime.startFrr(stateDir.resolve("frr"), FrrConfig.Fpm.parse(fpm));
        if (api != null && !noTaps)
        {
            // An operator's own FRR (--no-frr) keeps its vty sockets where FRR's packages put them.
            final Vtysh vtysh = new Vtysh(noFrr ? OWN_FRR_VTY_DIR : stateDir.resolve("frr"));
            api.json("bgp", () -> BgpSessions.toJson(BgpSessions.query(vtysh)));
        }
        for (final Vif vif : runtime.vifs())
        {
            out.printf("vif %-20s port %-12s vlan %-9s %s%n", vif.name(), runtime.dataplane().port(vif.portIndex()).name(),
                vif.outerVlan() + (vif.innerVlan() != 0 ? "." + vif.innerVlan() : ""), vif.addresses());
        }
        frr.ifPresent(f -> out.println("frr: zebra and bgpd in " + f.directory() + " (vbgw show bgp), zebra's FPM to " + fpm));
        runtime.notes().forEach(n -> out.println("note: " + n));
        if (role == Role.both)
        {
            onHangup(configFile, runtime::reload, out);
            final var started = runtime.lastOutcome();
            out.println("vbgw agent: " + started.routesAdopted() + " routes held from the journal, " +
                started.journalEntries() + " journal entries written to reconcile");
        }
        out.println("vbgw running: " + runtime.dataplane().fib().routeCount() + " routes; counters in " + countersFile +
            " (vbgw stat); journal in " + stateDir.resolve("journal") +
            (api != null ? "; http://" + http + "/metrics and /api/{vifs,routes,rib,neighbors,events,bgp,bfd,probes}" : "") +
            (servesFpm ? "; FPM (zebra) on " + fpm : ""));
        out.flush();
        stopped.await();
        return 0;
    }

    private ApiServer startApi(final GatewayRuntime runtime) throws java.io.IOException
    {
        final int colon = http.lastIndexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("--http wants HOST:PORT or off, got '" + http + "'");
        }
        final ApiServer api = new ApiServer(new java.net.InetSocketAddress(http.substring(0, colon),
            Integer.parseInt(http.substring(colon + 1))), runtime.dataplane().counters());
        GatewayViews.register(api, runtime.dataplane());
        GatewayViews.registerAdmin(api, runtime);
        if (role == Role.both)
        {
            GatewayViews.registerRouteChanges(api, runtime);
            GatewayViews.registerRib(api, runtime);
            org.vbgw.agent.http.ReloadApi.register(api, configFile, runtime::reload);
        }
        return api;
    }

    /** SIGHUP re-reads the config file and reloads, as {@code vbgw reload} does; the outcome goes to the log. */
    static void onHangup(final Path configFile, final org.vbgw.agent.run.ConfigReload.Target target,
        final PrintWriter out)
    {
        final sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal ->
        {
            try
            {
                out.println("vbgw: SIGHUP: reloaded " + configFile + ": " +
                    org.vbgw.agent.run.ConfigReload.apply(configFile, null, target).toJson());
            }
            catch (final RuntimeException ex)
            {
                out.println("vbgw: SIGHUP: " + ex.getMessage());
            }
            out.flush();
        });
        if (previous == sun.misc.SignalHandler.SIG_IGN)
        {
            // The JVM installs no handler for a signal the process inherited as ignored (nohup does that).
            out.println("vbgw: SIGHUP is ignored in this process (started under nohup?): reload with `vbgw reload` " +
                "or POST /api/reload");
        }
    }

    /** Socket options of a port; with several workers, one fanout group per interface spreads flows over them. */
    private PacketSocketOptions options(final String linuxInterface, final int workers)
    {
        final PacketSocketOptions options = new PacketSocketOptions().tx(txMode, 512).qdiscBypass(true).promiscuous(true);
        if (workers > 1)
        {
            // Fanout group ids are per network namespace; derive one per interface and process.
            options.fanoutHash((int)((ProcessHandle.current().pid() * 31 + linuxInterface.hashCode()) & 0xFFFF));
        }
        return options;
    }

    /** A TAP named after the VIF, with its MAC, MTU and addresses: the host sees an ordinary interface. */
    private static Port openTap(final HostTapSpec spec)
    {
        final TapDevice tap = TapDevice.open(spec.interfaceName(), false);
        try
        {
            tap.macAddress(spec.mac());
            tap.mtu(spec.mtuBytes());
            for (final String address : spec.addresses())
            {
                ip("addr", "replace", address, "dev", spec.interfaceName());
            }
            tap.up(true);
            return tap;
        }
        catch (final RuntimeException ex)
        {
            tap.close();
            throw ex;
        }
    }

    private static void ip(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("cannot run ip (iproute2): " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running ip", ex);
        }
    }
}
