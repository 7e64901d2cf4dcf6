package org.vbgw.agent.cli;

import org.vbgw.agent.journal.FibChange;
import org.vbgw.agent.journal.FibChangeHandler;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.FibJournalReader;
import org.vbgw.fib.IpPrefix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code vbgw journal}: what changed in the FIB, when. One line per journal entry, oldest first, with its
 * timestamp; {@code --prefix} keeps the routes inside a prefix, {@code --vif} the entries that concern a VIF.
 * A damaged journal is reported with the entry where the damage starts (exit 1).
 */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Print the FIB journal: every change, with its time.")
public final class JournalCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", defaultValue = "/var/lib/vbgw", description = "The gateway's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--prefix", description = "Only routes equal to or inside this prefix.")
    String prefix;

    @Option(names = "--vif", description = "Only next hops, neighbours and admin changes of this VIF id.")
    Integer vif;

    @Override
    public Integer call()
    {
        final Path dir = stateDir.resolve("journal");
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no journal at " + dir + " (is --state-dir right?)");
        }
        final IpPrefix filter = prefix == null ? null : IpPrefix.parse(prefix);
        final PrintWriter out = spec.commandLine().getOut();
        try (FibJournal journal = FibJournal.open(dir); FibJournalReader reader = journal.reader(null))
        {
            final Printer printer = new Printer(out, filter, vif);
            while (reader.poll(printer, 4096) > 0)
            {
                out.flush();
            }
            out.flush();
            if (reader.corruption() != null)
            {
                spec.commandLine().getErr().println("vbgw: " + reader.corruption());
                return 1;
            }
        }
        return 0;
    }

    /** Formats entries; filters apply to what each entry is about. */
    private static final class Printer implements FibChangeHandler
    {
        private final PrintWriter out;
        private final IpPrefix filter;
        private final Integer vif;

        Printer(final PrintWriter out, final IpPrefix filter, final Integer vif)
        {
            this.out = out;
            this.filter = filter;
            this.vif = vif;
        }

        private void line(final long ts, final String type, final String text)
        {
            out.printf("%s  %-14s %s%n", Instant.ofEpochSecond(ts / 1_000_000_000L, ts % 1_000_000_000L), type, text);
        }

        private boolean routesOnly()
        {
            return filter != null;
        }

        private boolean other(final int vifId)
        {
            return routesOnly() || (vif != null && vif != vifId);
        }

        private boolean outside(final boolean v6, final long hi, final long lo, final int length)
        {
            return (filter != null && !filter.contains(new IpPrefix(v6, hi, lo, length))) || vif != null;
        }

        @Override
        public void onNextHop(final long i, final long ts, final int id, final int vifId, final boolean v6,
            final long hi, final long lo)
        {
            if (!other(vifId))
            {
                line(ts, "nexthop", id + " vif " + vifId + " via " + (hi == 0 && lo == 0 ? "attached" : IpPrefix.format(v6, hi, lo)));
            }
        }

        @Override
        public void onNextHopRemoved(final long i, final long ts, final int id)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "nexthop-del", Integer.toString(id));
            }
        }

        @Override
        public void onNextHopState(final long i, final long ts, final int id, final boolean alive, final int cause)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "nexthop-state", id + (alive ? " up" : " down") + " (" + FibChange.causeName(cause) + ")");
            }
        }

        @Override
        public void onGroup(final long i, final long ts, final int id, final int[] nhs, final int[] weights,
            final int n, final int backup)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "group", id + " members " + Arrays.toString(Arrays.copyOf(nhs, n)) + " weights " +
                    Arrays.toString(Arrays.copyOf(weights, n)) + (backup >= 0 ? " backup " + backup : ""));
            }
        }

        @Override
        public void onGroupRemoved(final long i, final long ts, final int id)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "group-del", Integer.toString(id));
            }
        }

        @Override
        public void onRoute(final long i, final long ts, final boolean v6, final long hi, final long lo,
            final int length, final int group)
        {
            if (!outside(v6, hi, lo, length))
            {
                line(ts, "route", IpPrefix.format(v6, hi, lo) + "/" + length + " -> group " + group);
            }
        }

        @Override
        public void onRouteRemoved(final long i, final long ts, final boolean v6, final long hi, final long lo,
            final int length)
        {
            if (!outside(v6, hi, lo, length))
            {
                line(ts, "route-del", IpPrefix.format(v6, hi, lo) + "/" + length);
            }
        }

        @Override
        public void onNeighbour(final long i, final long ts, final int vifId, final boolean v6, final long hi,
            final long lo, final long mac)
        {
            if (!other(vifId))
            {
                line(ts, "neighbour", IpPrefix.format(v6, hi, lo) + " vif " + vifId + " mac " + org.vbgw.io.MacAddress.toString(mac));
            }
        }

        @Override
        public void onNeighbourRemoved(final long i, final long ts, final int vifId, final boolean v6, final long hi,
            final long lo)
        {
            if (!other(vifId))
            {
                line(ts, "neighbour-del", IpPrefix.format(v6, hi, lo) + " vif " + vifId);
            }
        }

        @Override
        public void onVifAdminState(final long i, final long ts, final int vifId, final boolean up)
        {
            if (!other(vifId))
            {
                line(ts, "vif-admin", vifId + (up ? " up" : " down"));
            }
        }

        @Override
        public void onTransactionBegin(final long i, final long ts)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "begin", "");
            }
        }

        @Override
        public void onTransactionEnd(final long i, final long ts)
        {
            if (!routesOnly() && vif == null)
            {
                line(ts, "end", "");
            }
        }
    }
}
