package org.vbgw.dataplane.pipeline;

/**
 * What the pipeline did with a frame: one code per outcome, each with a counter, and the answer
 * {@code vbgw replay --trace} gives to "why was this packet dropped?".
 */
public final class Verdict
{
    public static final int FORWARDED = 0;
    public static final int ECHO_REPLIED = 1;
    public static final int PUNTED = 2;
    public static final int WAITING_FOR_NEIGHBOUR = 3;
    public static final int FRAGMENTED = 4;

    public static final int DROP_MALFORMED = 5;
    public static final int DROP_UNKNOWN_VLAN = 6;
    public static final int DROP_NOT_FOR_US = 7;
    public static final int DROP_VIF_DOWN = 8;
    public static final int DROP_UNSUPPORTED_ETHERTYPE = 9;
    public static final int DROP_MARTIAN_SOURCE = 10;
    public static final int DROP_SOURCE_CHECK = 11;
    public static final int DROP_TTL_EXCEEDED = 12;
    public static final int DROP_NO_ROUTE = 13;
    public static final int DROP_NO_NEXT_HOP = 14;
    public static final int DROP_MTU_EXCEEDED = 15;
    public static final int DROP_TX_FULL = 16;
    public static final int DROP_CONTROL_QUEUE_FULL = 17;
    public static final int DROP_EGRESS_VIF_GONE = 18;
    public static final int DROP_IPV6_MULTICAST = 19;
    public static final int DROP_NO_HEADROOM = 20;

    /** Counters for ICMP errors are separate from the verdicts: a TTL drop may or may not send one. */
    public static final int ICMP_ERROR_SENT = 21;
    public static final int ICMP_ERROR_RATE_LIMITED = 22;

    public static final int COUNT = 23;

    private static final String[] NAMES = {
        "forwarded", "echo_replied", "punted", "waiting_for_neighbour", "fragmented",
        "drop_malformed", "drop_unknown_vlan", "drop_not_for_us", "drop_vif_down", "drop_unsupported_ethertype",
        "drop_martian_source", "drop_source_check", "drop_ttl_exceeded", "drop_no_route", "drop_no_next_hop",
        "drop_mtu_exceeded", "drop_tx_full", "drop_control_queue_full", "drop_egress_vif_gone",
        "drop_ipv6_multicast", "drop_no_headroom", "icmp_error_sent", "icmp_error_rate_limited" };

    private Verdict()
    {
    }

    public static String name(final int verdict)
    {
        return verdict >= 0 && verdict < NAMES.length ? NAMES[verdict] : "unknown(" + verdict + ")";
    }

    public static boolean isDrop(final int verdict)
    {
        return verdict >= DROP_MALFORMED && verdict < ICMP_ERROR_SENT;
    }
}
