package org.vbgw.dataplane.counters;

/**
 * Type ids of the data plane's counters, stored in each counter's metadata so a reader groups them into
 * tables (per port, per VIF, per next hop, per drop reason) without parsing labels.
 */
public final class CounterKind
{
    public static final int PORT = 1001;
    public static final int VIF = 1002;
    public static final int NEXT_HOP = 1003;
    public static final int DROP = 1004;
    public static final int PUNT = 1005;
    public static final int DETECTOR = 1006;
    public static final int WORKER = 1007;
    /** The control agent's FPM feed from FRR's zebra. */
    public static final int FPM = 1008;

    private CounterKind()
    {
    }

    public static String name(final int typeId)
    {
        return switch (typeId)
        {
            case PORT -> "port";
            case VIF -> "vif";
            case NEXT_HOP -> "nexthop";
            case DROP -> "drop";
            case PUNT -> "punt";
            case DETECTOR -> "detector";
            case WORKER -> "worker";
            case FPM -> "fpm";
            default -> "other";
        };
    }
}
