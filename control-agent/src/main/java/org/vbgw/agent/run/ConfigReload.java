package org.vbgw.agent.run;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.dataplane.vif.Vif;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code vbgw reload}: what a changed config changes, and whether it can be applied to a running gateway.
 * <p>
 * A reload is refused, changing nothing, when the config has errors (all of them are reported) or when it
 * changes the ports: a port is opened once per worker at start-up, so adding, removing or re-pointing one needs
 * a restart. Everything else is applied as a difference: VIFs added, removed or changed (compared as the data
 * plane sees them), and the routes and static neighbours whose candidates changed ({@link ConfigRoutes}).
 * VIFs keep their ids ({@link VifIds}), so an unchanged VIF, its next hops and its counters are not touched.
 */
public final class ConfigReload
{
    /** A reload that was refused; the message lists every reason. Nothing was changed. */
    public static final class Refused extends IllegalArgumentException
    {
        private final List<String> reasons;

        public Refused(final List<String> reasons)
        {
            super("reload refused, nothing changed:\n  " + String.join("\n  ", reasons));
            this.reasons = List.copyOf(reasons);
        }

        public List<String> reasons()
        {
            return reasons;
        }
    }

    /** What a reload changed. */
    public record Report(List<String> vifsAdded, List<String> vifsRemoved, List<String> vifsChanged,
        int routePrefixesChanged, long journalEntries, List<String> notes)
    {
        public boolean changedNothing()
        {
            return vifsAdded.isEmpty() && vifsRemoved.isEmpty() && vifsChanged.isEmpty() && journalEntries == 0;
        }

        /** One JSON object, for the HTTP API and {@code vbgw reload --json}. */
        public String toJson()
        {
            return "{\"vifs_added\":" + names(vifsAdded) + ",\"vifs_removed\":" + names(vifsRemoved) +
                ",\"vifs_changed\":" + names(vifsChanged) + ",\"route_prefixes_changed\":" + routePrefixesChanged +
                ",\"journal_entries\":" + journalEntries + ",\"notes\":" + names(notes) + "}";
        }

        private static String names(final List<String> list)
        {
            final StringBuilder sb = new StringBuilder("[");
            for (final String s : list)
            {
                if (sb.length() > 1)
                {
                    sb.append(',');
                }
                sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return sb.append(']').toString();
        }
    }

    /** Something that applies a checked config: a whole gateway, or an agent alone. */
    @FunctionalInterface
    public interface Target
    {
        Report reload(ConfigCheck check);
    }

    private ConfigReload()
    {
    }

    /**
     * Checks {@code text} (the config sent by {@code vbgw reload CONFIG}), or re-reads {@code file} when text is
     * null or blank ({@code vbgw reload}, SIGHUP), and applies it to {@code target}.
     *
     * @throws Refused when the file cannot be read, the config has errors, or the target refuses it.
     */
    public static Report apply(final java.nio.file.Path file, final String text, final Target target)
    {
        final ConfigCheck check;
        try
        {
            check = text == null || text.isBlank() ? ConfigCheck.of(file) : ConfigCheck.of(file + " (as sent)", text);
        }
        catch (final java.io.IOException ex)
        {
            throw new Refused(List.of("cannot read " + file + ": " + ex.getMessage()));
        }
        if (check.config() == null && check.ok())
        {
            throw new Refused(List.of(file + ": not a gateway config"));
        }
        return target.reload(check);
    }

    /** Why {@code next} cannot replace {@code running}: the config's errors, then port changes. Empty: it can. */
    static List<String> refusals(final GatewayConfig running, final ConfigCheck next)
    {
        final List<String> reasons = new ArrayList<>();
        if (!next.ok())
        {
            next.errors().forEach(d -> reasons.add(d.toString()));
            return reasons;
        }
        final List<PortConfig> before = running.ports();
        final List<PortConfig> after = next.config().ports();
        for (int i = 0; i < Math.max(before.size(), after.size()); i++)
        {
            final PortConfig b = i < before.size() ? before.get(i) : null;
            final PortConfig a = i < after.size() ? after.get(i) : null;
            if (b == null)
            {
                reasons.add("port " + a.name() + " (" + a.linuxInterface() + ") added: ports change only with a restart");
            }
            else if (a == null)
            {
                reasons.add("port " + b.name() + " (" + b.linuxInterface() + ") removed: ports change only with a restart");
            }
            else if (!Objects.equals(b.name(), a.name()) || !Objects.equals(b.linuxInterface(), a.linuxInterface()) ||
                b.mtuBytes() != a.mtuBytes())
            {
                reasons.add("port " + b.name() + " (" + b.linuxInterface() + ", mtu " + b.mtuBytes() + ") became " +
                    a.name() + " (" + a.linuxInterface() + ", mtu " + a.mtuBytes() + "): ports change only with a restart");
            }
        }
        return reasons;
    }

    /** A VIF as the data plane forwards with it: two VIFs with equal keys need no change. */
    static List<Object> key(final Vif v)
    {
        return List.of(v.id(), v.name(), v.portIndex(), v.outerVlan(), v.innerVlan(), v.outerTpid(), v.mac(),
            v.mtuBytes(), v.addresses(), v.allowedSources(), v.sourceCheck(), v.adminUp());
    }

    /** Names of VIFs in {@code after} but not {@code before}, and the reverse, and those whose key changed. */
    static void diff(final Map<String, Vif> before, final Map<String, Vif> after, final List<String> added,
        final List<String> removed, final List<String> changed)
    {
        after.forEach((name, vif) ->
        {
            final Vif old = before.get(name);
            if (old == null)
            {
                added.add(name);
            }
            else if (!key(old).equals(key(vif)))
            {
                changed.add(name);
            }
        });
        before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(removed::add);
    }
}
