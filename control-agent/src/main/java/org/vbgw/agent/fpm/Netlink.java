package org.vbgw.agent.fpm;

/**
 * The rtnetlink numbers zebra's FPM stream uses (linux/rtnetlink.h, linux/nexthop.h, FRR's rt_netlink.h for
 * the routing protocols above 186).
 */
public final class Netlink
{
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_NEWNEXTHOP = 104;
    public static final int RTM_DELNEXTHOP = 105;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    public static final int RTA_VIA = 18;
    public static final int RTA_NH_ID = 30;

    public static final int NHA_ID = 1;
    public static final int NHA_GROUP = 2;
    public static final int NHA_GROUP_TYPE = 3;
    public static final int NHA_BLACKHOLE = 4;
    public static final int NHA_OIF = 5;
    public static final int NHA_GATEWAY = 6;

    /** struct nexthop_grp: u32 id, u8 weight (weight - 1), u8 and u16 reserved. */
    public static final int NEXTHOP_GRP_LENGTH = 8;

    public static final int RTN_UNICAST = 1;
    public static final int RT_TABLE_MAIN = 254;

    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RTPROT_ZEBRA = 11;
    public static final int RTPROT_BABEL = 42;
    public static final int RTPROT_BGP = 186;
    public static final int RTPROT_ISIS = 187;
    public static final int RTPROT_OSPF = 188;
    public static final int RTPROT_RIP = 189;
    public static final int RTPROT_EIGRP = 192;
    /** FRR's staticd (RTPROT_ZSTATIC in FRR's rt_netlink.h). */
    public static final int RTPROT_ZSTATIC = 196;
    public static final int RTPROT_OPENFABRIC = 197;

    private Netlink()
    {
    }

    /** The rtm_protocol number of a routing protocol's name ({@code --fpm-protocols}); throws for unknown names. */
    public static int protocolNumber(final String name)
    {
        return switch (name)
        {
            case "bgp" -> RTPROT_BGP;
            case "static" -> RTPROT_ZSTATIC;
            case "ospf" -> RTPROT_OSPF;
            case "isis" -> RTPROT_ISIS;
            case "rip" -> RTPROT_RIP;
            case "eigrp" -> RTPROT_EIGRP;
            case "babel" -> RTPROT_BABEL;
            case "openfabric" -> RTPROT_OPENFABRIC;
            default -> throw new IllegalArgumentException("unknown routing protocol '" + name +
                "'; known: bgp, static, ospf, isis, rip, eigrp, babel, openfabric");
        };
    }

    public static String messageTypeName(final int type)
    {
        return switch (type)
        {
            case RTM_NEWROUTE -> "newroute";
            case RTM_DELROUTE -> "delroute";
            case RTM_NEWNEXTHOP -> "newnexthop";
            case RTM_DELNEXTHOP -> "delnexthop";
            default -> "other";
        };
    }
}
