package org.vbgw.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Breaks and mends one path of a lab, the way the seeds' failover test does (seed 003: "disconnect the BGP
 * session, remove the route, or shut down the port"), while traffic runs:
 * <ul>
 * <li>{@link FailureMode#PORT_DOWN}: the wire's interface toward the gateway port goes down, so the gateway's port
 *     loses carrier (a cut fibre at the gateway's end);</li>
 * <li>{@link FailureMode#BGP_DOWN}: the customer router shuts its BGP session on that VIF ({@code birdc disable}), so
 *     the gateway gets a Cease notification and withdraws at once. That is what "disconnect the BGP session"
 *     means in the seeds, done by the customer; an nftables drop of TCP 179 would instead measure the 9 s hold
 *     time, while BFD, still up, keeps the path alive in the data plane: a different failure
 *     ({@link FailureMode#BFD_SILENCED} covers the silent one);</li>
 * <li>{@link FailureMode#ROUTE_WITHDRAWN}: the customer router stops announcing its prefixes on that session (BIRD is
 *     reconfigured with that session's export set to none; the session stays up);</li>
 * <li>{@link FailureMode#BFD_SILENCED}: an nftables drop of BFD (UDP 3784 and 4784) on the connection's bridge in the
 *     wire, nothing else: the peer's BFD goes quiet while the link, BGP and data stay up.</li>
 * </ul>
 * Cuts in force are listed in the lab's {@code cuts} file, so {@code status} shows them and a restore
 * of one route withdrawal keeps the others.
 */
public final class LabFault
{
    /** The nftables table (bridge family) in the wire namespace that holds the silent cuts. */
    static final String TABLE = "vbgwlab";
    private static final String CUTS = "cuts";

    private LabFault()
    {
    }

    /** Breaks the path of {@code vif} as {@code mode} says. */
    public static void cut(final LabState state, final String vif, final FailureMode mode)
    {
        final LabState.LabPath path = state.path(vif);
        final List<String> cuts = cuts(state);
        final String entry = vif + " " + mode.cliName();
        if (cuts.contains(entry))
        {
            throw new IllegalStateException("lab " + state.name() + ": " + vif + " is cut " + mode.cliName() + " already");
        }
        apply(state, path, mode, true, cuts);
        cuts.add(entry);
        writeCuts(state, cuts);
    }

    /** Mends what {@link #cut} broke; harmless when the path is not cut that way. */
    public static void restore(final LabState state, final String vif, final FailureMode mode)
    {
        final LabState.LabPath path = state.path(vif);
        final List<String> cuts = cuts(state);
        cuts.remove(vif + " " + mode.cliName());
        apply(state, path, mode, false, cuts);
        writeCuts(state, cuts);
        restartIdleSessions(state, cuts);
    }

    /**
     * BIRD waits out an error back-off (60 s, doubling to 300 s) before it reconnects a session that BFD or the
     * link took down; a lab that just mended the path restarts the customer's sessions that are not Established
     * (and not cut bgp-down), so failback shows the gateway's reaction rather than BIRD's default timer.
     */
    static void restartIdleSessions(final LabState state, final List<String> cuts)
    {
        for (final LabState.LabPath p : state.paths())
        {
            if (p.birdProtocol() != null && !cuts.contains(p.vif() + " " + FailureMode.BGP_DOWN.cliName()))
            {
                final String shown = Lab.exec(state.namespaces().cpe(), "birdc", "-s", birdSocket(state).toString(),
                    "show", "protocols", p.birdProtocol());
                // Idle after an error is the back-off ("start ... Idle  Error: BFD session down"); a session that
                // is connecting, or Idle for BIRD's start-up delay, is on its way and left alone.
                if (idleAfterError(shown))
                {
                    Lab.exec(state.namespaces().cpe(), "birdc", "-s", birdSocket(state).toString(), "restart",
                        p.birdProtocol());
                }
            }
        }
    }

    private static void apply(final LabState state, final LabState.LabPath path, final FailureMode mode, final boolean cut,
        final List<String> cutsAfterRestore)
    {
        final String wire = state.namespaces().wire();
        switch (mode)
        {
            case PORT_DOWN -> Lab.exec(wire, "ip", "link", "set", path.wireInterface(), cut ? "down" : "up");
            case BGP_DOWN -> Lab.exec(state.namespaces().cpe(), "birdc", "-s", birdSocket(state).toString(),
                cut ? "disable" : "enable", bgpProtocol(path));
            case ROUTE_WITHDRAWN ->
            {
                final List<String> withdrawn = new ArrayList<>();
                for (final LabState.LabPath p : state.paths())
                {
                    if ((cut && p == path) || cutsAfterRestore.contains(p.vif() + " " + FailureMode.ROUTE_WITHDRAWN.cliName()))
                    {
                        withdrawn.add(bgpProtocol(p));
                    }
                }
                reconfigureBird(state, withdrawn);
            }
            case BFD_SILENCED ->
            {
                if (cut)
                {
                    nft(wire, addRule(path));
                }
                else
                {
                    deleteRule(wire, path);
                }
            }
        }
    }

    private static String bgpProtocol(final LabState.LabPath path)
    {
        if (path.birdProtocol() == null)
        {
            throw new IllegalArgumentException("VIF " + path.vif() + " runs no BGP: cut it port-down or bfd-silenced");
        }
        return path.birdProtocol();
    }

    /** Whether {@code birdc show protocols NAME} shows the session waiting out an error back-off. */
    static boolean idleAfterError(final String shown)
    {
        return shown.lines().anyMatch(l -> l.contains(" Idle ") && l.contains("Error:"));
    }

    /** The nftables script that drops BFD (single hop 3784, multihop 4784) on the path's bridge. */
    static List<String> addRule(final LabState.LabPath path)
    {
        return List.of(
            "add table bridge " + TABLE,
            "add chain bridge " + TABLE + " forward { type filter hook forward priority 0; policy accept; }",
            "add rule bridge " + TABLE + " forward iifname { \"" + path.wireInterface() + "\", \"" +
                LabNames.wireCustomerSide(path.connection()) + "\" } meta l4proto udp " +
                "udp dport { 3784, 4784 } counter drop comment \"" + comment(path) + "\"");
    }

    /** Marks a path's rule so that restore finds its handle. */
    static String comment(final LabState.LabPath path)
    {
        return "cut " + path.vif() + " bfd-silenced";
    }

    private static void nft(final String ns, final List<String> script)
    {
        if (script.isEmpty())
        {
            return;
        }
        try
        {
            final Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
            p.getOutputStream().write((String.join("\n", script) + "\n").getBytes());
            p.getOutputStream().close();
            final String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0)
            {
                throw new IllegalStateException("nft -f in " + ns + " failed: " + out + "\nscript:\n" + String.join("\n", script));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running nft", ex);
        }
    }

    private static void deleteRule(final String ns, final LabState.LabPath path)
    {
        final String listing;
        try
        {
            listing = Lab.exec(ns, "nft", "-a", "list", "chain", "bridge", TABLE, "forward");
        }
        catch (final RuntimeException ex)
        {
            return; // no table: nothing cut
        }
        final String handle = ruleHandle(listing, comment(path));
        if (handle != null)
        {
            Lab.exec(ns, "nft", "delete", "rule", "bridge", TABLE, "forward", "handle", handle);
        }
    }

    /** The handle of the rule whose comment is {@code comment} in an {@code nft -a list} listing, or null. */
    static String ruleHandle(final String listing, final String comment)
    {
        for (final String line : listing.lines().toList())
        {
            if (line.contains("comment \"" + comment + "\"") && line.contains("# handle "))
            {
                return line.substring(line.lastIndexOf("# handle ") + "# handle ".length()).trim();
            }
        }
        return null;
    }

    /**
     * Reconfigures BIRD with the rendered config but the sessions in {@code withdrawn} exporting nothing (BIRD
     * re-exports on a changed filter and keeps the session up), or with the rendered config as it is.
     */
    private static void reconfigureBird(final LabState state, final List<String> withdrawn)
    {
        try
        {
            final String original = Files.readString(state.directory().resolve(Lab.BIRD_CONFIG));
            final Path file = state.directory().resolve("cpe-bird-cut.conf");
            Files.writeString(file, withdrawing(original, withdrawn));
            final String out = Lab.exec(state.namespaces().cpe(), "birdc", "-s", birdSocket(state).toString(),
                "configure", "\"" + (withdrawn.isEmpty() ? state.directory().resolve(Lab.BIRD_CONFIG) : file) + "\"");
            if (!out.contains("Reconfigured") && !out.contains("Reconfiguration in progress"))
            {
                throw new IllegalStateException("BIRD did not take the reconfiguration: " + out.trim());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The BIRD config with the export of each protocol in {@code protocols} replaced by {@code export none}. */
    static String withdrawing(final String config, final List<String> protocols)
    {
        final StringBuilder sb = new StringBuilder();
        String current = null;
        for (final String line : config.lines().toList())
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("protocol ") || trimmed.startsWith("filter "))
            {
                current = trimmed.startsWith("protocol bgp ") ? trimmed.split("\\s+")[2] : null;
            }
            if (current != null && protocols.contains(current) && trimmed.startsWith("export "))
            {
                sb.append(line, 0, line.indexOf("export")).append("export none;\n");
                continue;
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static Path birdSocket(final LabState state)
    {
        return state.directory().resolve(Lab.BIRD_SOCKET);
    }

    /** The cuts in force, as "VIF MODE". */
    public static List<String> cuts(final LabState state)
    {
        final Path file = state.directory().resolve(CUTS);
        try
        {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList())
                : new ArrayList<>();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeCuts(final LabState state, final List<String> cuts)
    {
        try
        {
            Files.write(state.directory().resolve(CUTS), cuts);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
