package org.vbgw.agent.cli;

import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.agent.run.DataplaneEpoch;
import org.vbgw.dataplane.counters.CountersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code vbgw stat}: the data plane's counters, read live from its counters file by another process.
 * Workers keep one set of counters each; this sums them per label, so the operator sees one line per port,
 * VIF, next hop and drop reason.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show the data plane's counters (live, from its counters file).")
public final class StatCommand implements Callable<Integer>
{
    /** Where `vbgw run` puts the counters file unless told otherwise. */
    public static final String DEFAULT_COUNTERS_FILE = "/run/vbgw/counters.dat";
    private static final Pattern WORKER = Pattern.compile("\\s*\\bworker \\d+\\b\\s*");

    @Spec
    CommandSpec spec;

    @Option(names = "--counters", description = "Counters file (default: ${DEFAULT-VALUE}).",
        defaultValue = DEFAULT_COUNTERS_FILE)
    Path countersFile;

    @Option(names = "--json", description = "One JSON object: {kind: {label: value}}.")
    boolean json;

    @Option(names = "--all", description = "Also show counters that are zero.")
    boolean all;

    @Option(names = "--watch", description = "Print again every N seconds until interrupted.", paramLabel = "N")
    int watchSeconds;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        CountersFile file = CountersFile.openForReading(countersFile);
        try
        {
            do
            {
                final long now = CountersFile.startTimeMs(countersFile);
                if (now >= 0 && now != file.startTimeMs())
                {
                    // A restarted data plane made a new file; the old mapping would show the dead one's counters.
                    final long before = file.startTimeMs();
                    file.close();
                    file = CountersFile.openForReading(countersFile);
                    if (!json)
                    {
                        out.println("the data plane restarted at " + DataplaneEpoch.format(now) + " (it was running " +
                            "since " + DataplaneEpoch.format(before) + "): its counters started again from zero");
                    }
                }
                if (!json)
                {
                    out.println(DataplaneEpoch.since(file.startTimeMs()));
                }
                print(out, read(file));
                out.flush();
                if (watchSeconds > 0)
                {
                    Thread.sleep(watchSeconds * 1000L);
                }
            }
            while (watchSeconds > 0);
        }
        finally
        {
            file.close();
        }
        return 0;
    }

    /**
     * Sums counters per (kind, label without its worker id); the data plane's start time (epoch ms) comes first, as
     * {@code dataplane / start_time_ms}, so a script sees a reset as a new start time rather than counters going back.
     */
    static Map<String, Map<String, Long>> read(final CountersFile file)
    {
        final Map<String, Map<String, Long>> byKind = new TreeMap<>();
        byKind.computeIfAbsent("dataplane", k -> new TreeMap<>()).put("start_time_ms", file.startTimeMs());
        file.reader().forEach((value, id, label) ->
        {
            final int typeId = file.reader().getCounterTypeId(id);
            final String name = WORKER.matcher(label).replaceAll(" ").trim();
            byKind.computeIfAbsent(CounterKind.name(typeId), k -> new TreeMap<>()).merge(name, value, Long::sum);
        });
        return byKind;
    }

    private void print(final PrintWriter out, final Map<String, Map<String, Long>> everything)
    {
        final Map<String, Map<String, Long>> byKind = new TreeMap<>();
        everything.forEach((kind, counters) -> counters.forEach((label, value) ->
        {
            // The table says the start time in words above it; JSON keeps the number.
            if ((all || value != 0) && (json || !"dataplane".equals(kind)))
            {
                byKind.computeIfAbsent(kind, k -> new TreeMap<>()).put(label, value);
            }
        }));
        if (json)
        {
            final StringBuilder sb = new StringBuilder("{");
            byKind.forEach((kind, counters) ->
            {
                sb.append(sb.length() > 1 ? "," : "").append('"').append(kind).append("\":{");
                final int start = sb.length();
                counters.forEach((label, value) ->
                {
                    if (all || value != 0)
                    {
                        sb.append(sb.length() > start ? "," : "").append('"').append(label.replace("\"", "\\\""))
                            .append("\":").append(value);
                    }
                });
                sb.append('}');
            });
            out.println(sb.append('}'));
            return;
        }
        byKind.forEach((kind, counters) ->
        {
            final StringBuilder section = new StringBuilder();
            counters.forEach((label, value) ->
            {
                if (all || value != 0)
                {
                    section.append(String.format("  %-56s %,20d%n", label, value));
                }
            });
            if (section.length() > 0)
            {
                out.println(kind);
                out.print(section);
            }
        });
    }
}
