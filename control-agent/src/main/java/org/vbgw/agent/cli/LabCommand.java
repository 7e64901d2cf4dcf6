package org.vbgw.agent.cli;

import org.vbgw.agent.lab.FailureMode;
import org.vbgw.agent.lab.Lab;
import org.vbgw.agent.lab.LabFault;
import org.vbgw.agent.lab.LabScenario;
import org.vbgw.agent.lab.LabShim;
import org.vbgw.agent.lab.LabState;
import org.vbgw.agent.lab.LabStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vbgw lab up|status|down|cut|restore}: the seed scenarios as network-namespace labs (a VPC host, the
 * gateway running {@code vbgw run}, a wire with one bridge per connection, a customer router running BIRD with
 * the config {@code vbgw client-config} renders, an IDC host), and the failures of the seeds' failover test.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = "Namespace labs of the seed scenarios: up, status, down, cut and restore a path.",
    subcommands = { LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class, LabCommand.Cut.class,
        LabCommand.Restore.class, LabCommand.Shim.class })
public final class LabCommand
{
    /** {@code vbgw lab up SCENARIO [--name NAME]}. */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Build and start a lab: active-standby, " +
        "direct-vpn-backup or active-active.")
    static final class Up implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SCENARIO", description = "active-standby, direct-vpn-backup or active-active.")
        String scenario;

        @Option(names = "--name", description = "The lab's name (default: the scenario's).")
        String name;

        @Option(names = "--wait-s", defaultValue = "90",
            description = "Wait this long for BGP and BFD to come up; 0 returns at once (default: ${DEFAULT-VALUE}).")
        long waitSeconds;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final LabScenario s = LabScenario.of(scenario);
            final LabState state = Lab.up(s, name != null ? name : s.id());
            out.println("lab " + state.name() + " (" + s.id() + ") is up; files in " + state.directory());
            out.flush();
            int exit = 0;
            if (waitSeconds > 0)
            {
                try
                {
                    Lab.awaitReady(state, waitSeconds * 1000);
                }
                catch (final IllegalStateException ex)
                {
                    out.println("not ready: " + ex.getMessage());
                    exit = 1;
                }
            }
            out.print(LabStatus.collect(state).render());
            out.println("next: vbgw lab cut " + state.name() + " --path " + state.paths().get(0).vif() +
                " --mode port-down; vbgw lab down " + state.name());
            out.flush();
            return exit;
        }
    }

    /** {@code vbgw lab status [NAME] [--json]}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a lab (or every lab).")
    static final class Status implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The lab (default: every lab).")
        String name;

        @Option(names = "--json", description = "JSON: one object per lab in an array.")
        boolean json;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final List<String> names = name != null ? List.of(name) : Lab.list();
            final List<String> jsons = new ArrayList<>();
            for (final String n : names)
            {
                final LabStatus status = LabStatus.collect(Lab.state(n));
                if (json)
                {
                    jsons.add(status.toJson());
                }
                else
                {
                    out.print(status.render());
                }
            }
            if (json)
            {
                out.println("[" + String.join(",\n", jsons) + "]");
            }
            else if (names.isEmpty())
            {
                out.println("no labs (vbgw lab up SCENARIO starts one)");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code vbgw lab down NAME | --all}. */
    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove a lab (or every lab) and all it made.")
    static final class Down implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The lab.")
        String name;

        @Option(names = "--all", description = "Every lab, also leftovers found by their namespaces' prefix.")
        boolean all;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            if ((name == null) == !all)
            {
                spec.commandLine().getErr().println("lab down: name one lab or say --all");
                return 2;
            }
            for (final String n : all ? Lab.list() : List.of(name))
            {
                final List<String> removed = Lab.down(n);
                out.println("lab " + n + ": " + (removed.isEmpty() ? "nothing left to remove" : "removed " + removed.size() +
                    " things"));
                removed.forEach(r -> out.println("  " + r));
            }
            out.flush();
            return 0;
        }
    }

    /** Options shared by cut and restore. */
    abstract static class FaultCommand implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The lab.")
        String name;

        @Option(names = "--path", required = true, paramLabel = "VIF", description = "The VIF whose path to break or mend.")
        String vif;

        @Option(names = "--mode", required = true, paramLabel = "MODE",
            description = "port-down, bgp-down, route-withdrawn or bfd-silenced.")
        String mode;
    }

    /** {@code vbgw lab cut NAME --path VIF --mode MODE}. */
    @Command(name = "cut", mixinStandardHelpOptions = true, description = "Break one path of a lab.")
    static final class Cut extends FaultCommand
    {
        @Override
        public Integer call()
        {
            final FailureMode m = FailureMode.of(mode);
            LabFault.cut(Lab.state(name), vif, m);
            spec.commandLine().getOut().println("lab " + name + ": " + vif + " cut (" + m.cliName() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code vbgw lab restore NAME --path VIF --mode MODE}. */
    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Mend a path a cut broke.")
    static final class Restore extends FaultCommand
    {
        @Override
        public Integer call()
        {
            final FailureMode m = FailureMode.of(mode);
            LabFault.restore(Lab.state(name), vif, m);
            spec.commandLine().getOut().println("lab " + name + ": " + vif + " restored (" + m.cliName() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code vbgw lab shim ACCESS:TRUNK:VLAN...}: the lab's VLAN tagging process (started by {@code lab up}). */
    @Command(name = "shim", hidden = true, description = "Tag frames between VLAN devices and trunks (the lab runs it).")
    static final class Shim implements Callable<Integer>
    {
        @Parameters(arity = "1..*", paramLabel = "ACCESS:TRUNK:VLAN")
        List<String> specs;

        @Override
        public Integer call() throws InterruptedException
        {
            LabShim.run(specs.stream().map(LabShim.Spec::parse).toList());
            return 0;
        }
    }
}
