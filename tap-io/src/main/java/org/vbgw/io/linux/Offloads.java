package org.vbgw.io.linux;

import java.util.ArrayList;
import java.util.List;

import org.vbgw.io.PortException;

/**
 * Refuses an interface whose offloads would hand a packet socket frames it must not forward as they are.
 * <p>
 * A frame that a kernel sends over a virtual link (veth, TAP) with checksum offload on arrives with a
 * partial checksum ({@code TP_STATUS_CSUMNOTREADY}); with TSO/GSO on, or GRO/LRO on the receiving side,
 * a TCP flow arrives as frames far larger than the MTU, which a forwarder cannot send on and a ring slot
 * truncates. vbgw takes the simple, predictable way: ports require these offloads off (ethtool, through
 * the legacy SIOCETHTOOL get commands) and say which command fixes it. As a safety net the receive path
 * still completes partial checksums in software and drops (and counts) truncated frames.
 * <p>
 * On a veth pair the sending end's settings decide what this end receives; a lab turns them off on both
 * ends. Only the interface in this namespace can be checked here.
 */
public final class Offloads
{
    private static final int ETHTOOL_GTXCSUM = 0x16;
    private static final int ETHTOOL_GTSO = 0x1e;
    private static final int ETHTOOL_GFLAGS = 0x25;
    private static final int ETHTOOL_GGSO = 0x23;
    private static final int ETHTOOL_GGRO = 0x2b;
    private static final int ETH_FLAG_LRO = 1 << 15;

    private Offloads()
    {
    }

    /** The names ({@code tx}, {@code tso}, {@code gso}, {@code gro}, {@code lro}) of offloads that are on. */
    public static List<String> enabled(final InterfaceControl control)
    {
        final List<String> on = new ArrayList<>();
        if (control.ethtoolValue(ETHTOOL_GTXCSUM, "ETHTOOL_GTXCSUM") > 0)
        {
            on.add("tx");
        }
        if (control.ethtoolValue(ETHTOOL_GTSO, "ETHTOOL_GTSO") > 0)
        {
            on.add("tso");
        }
        if (control.ethtoolValue(ETHTOOL_GGSO, "ETHTOOL_GGSO") > 0)
        {
            on.add("gso");
        }
        if (control.ethtoolValue(ETHTOOL_GGRO, "ETHTOOL_GGRO") > 0)
        {
            on.add("gro");
        }
        final int flags = control.ethtoolValue(ETHTOOL_GFLAGS, "ETHTOOL_GFLAGS");
        if (flags > 0 && (flags & ETH_FLAG_LRO) != 0)
        {
            on.add("lro");
        }
        return on;
    }

    /** Throws a {@link PortException} naming the command to run when any offload is on. */
    public static void requireOff(final InterfaceControl control)
    {
        final List<String> on = enabled(control);
        if (!on.isEmpty())
        {
            final StringBuilder command = new StringBuilder("ethtool -K ").append(control.name());
            for (final String feature : on)
            {
                command.append(' ').append(feature).append(" off");
            }
            throw new PortException(control.name(), "offloads " + String.join(", ", on) + " are on: frames " +
                "could arrive with unfinished checksums or larger than the MTU; run `" + command +
                "` (on a veth pair, on both ends), or open the port with checkOffloads(false)", 0);
        }
    }
}
