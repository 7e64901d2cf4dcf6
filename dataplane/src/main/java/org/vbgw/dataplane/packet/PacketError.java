package org.vbgw.dataplane.packet;

/**
 * Reason codes of the packet layer: why a frame was judged malformed or why a packet could not be
 * built or rewritten.
 * <p>
 * The hot path never throws for an expected outcome; it returns one of these codes (parsers and
 * validators return it as is, builders and rewriters return it negated, since their positive
 * results are lengths or offsets). The code doubles as a counter index, so codes are dense, start
 * at 0 ({@link #OK}) and end below {@link #COUNT}. {@link #name(int)} gives the stable lower-case
 * name used for counter labels and traces.
 */
public final class PacketError
{
    /** Not an error: the frame or packet is well formed, or the operation succeeded. */
    public static final int OK = 0;

    // Ethernet and 802.1Q / 802.1ad.
    /** Fewer bytes than an Ethernet header (14), or than the VLAN tags it announces. */
    public static final int FRAME_TOO_SHORT = 1;
    /** A third VLAN tag: vbgw handles untagged, single (802.1Q) and QinQ (802.1ad) frames only. */
    public static final int TOO_MANY_VLAN_TAGS = 2;
    /** VID 0xFFF is reserved by IEEE 802.1Q (Table 9-2) and must not appear on the wire. */
    public static final int VLAN_VID_RESERVED = 3;
    /** EtherType field below 0x0600 is an IEEE 802.3 length (LLC/SNAP frame), not Ethernet II. */
    public static final int ETHERTYPE_IS_LENGTH = 4;

    // ARP (RFC 826).
    /** Fewer than 28 bytes of ARP. */
    public static final int ARP_TOO_SHORT = 5;
    /** Hardware type is not Ethernet (1). */
    public static final int ARP_BAD_HTYPE = 6;
    /** Protocol type is not IPv4 (0x0800). */
    public static final int ARP_BAD_PTYPE = 7;
    /** Hardware address length is not 6. */
    public static final int ARP_BAD_HLEN = 8;
    /** Protocol address length is not 4. */
    public static final int ARP_BAD_PLEN = 9;
    /** Operation is neither request (1) nor reply (2). */
    public static final int ARP_BAD_OPCODE = 10;

    // IPv4 (RFC 791, RFC 1812 §5.2.2).
    /** Fewer than 20 bytes, or fewer than the IHL announces. */
    public static final int IPV4_TOO_SHORT = 11;
    /** Version field is not 4. */
    public static final int IPV4_BAD_VERSION = 12;
    /** IHL below 5 words. */
    public static final int IPV4_BAD_IHL = 13;
    /** Total length larger than the bytes the frame holds. */
    public static final int IPV4_TOTAL_LENGTH_EXCEEDS_FRAME = 14;
    /** Total length smaller than the header length. */
    public static final int IPV4_TOTAL_LENGTH_BELOW_HEADER = 15;
    /** Header checksum does not verify. */
    public static final int IPV4_BAD_CHECKSUM = 16;

    // IPv6 (RFC 8200).
    /** Fewer than 40 bytes. */
    public static final int IPV6_TOO_SHORT = 17;
    /** Version field is not 6. */
    public static final int IPV6_BAD_VERSION = 18;
    /** Payload length larger than the bytes the frame holds after the header. */
    public static final int IPV6_PAYLOAD_LENGTH_EXCEEDS_FRAME = 19;

    // ICMP, ICMPv6, NDP.
    /** ICMP or ICMPv6 message shorter than its fixed header (8 bytes). */
    public static final int ICMP_TOO_SHORT = 20;
    /** ICMP or ICMPv6 checksum does not verify. */
    public static final int ICMP_BAD_CHECKSUM = 21;
    /** ND message with hop limit other than 255 (RFC 4861 §7.1.1: it may come from off-link). */
    public static final int NDP_BAD_HOP_LIMIT = 22;
    /** ND message with ICMP code other than 0, or shorter than 24 bytes (RFC 4861 §7.1.1). */
    public static final int NDP_MALFORMED = 23;
    /** ND target address is multicast (RFC 4861 §7.1.1, §7.1.2). */
    public static final int NDP_TARGET_MULTICAST = 24;
    /** ND option with length 0 or running past the message (RFC 4861 §4.6). */
    public static final int NDP_BAD_OPTION = 25;

    // Building and rewriting.
    /** The output buffer cannot hold what was to be written. */
    public static final int BUFFER_TOO_SMALL = 26;
    /** VLAN rewrite asked for a tag the frame does not have. */
    public static final int VLAN_TAG_ABSENT = 27;
    /** Fragmentation asked of a packet whose DF bit is set: send ICMP frag-needed instead. */
    public static final int FRAGMENT_DF_SET = 28;
    /** MTU below 68, the minimum every IPv4 module must forward unfragmented (RFC 791). */
    public static final int FRAGMENT_MTU_TOO_SMALL = 29;
    /** No ICMP error may be sent about this packet (RFC 1122 §3.2.2, RFC 4443 §2.4(e)). */
    public static final int ICMP_ERROR_SUPPRESSED = 30;
    /** An echo reply cannot be made in place because the request went to a multicast address. */
    public static final int ECHO_TO_MULTICAST = 31;
    /** A value given to a builder is out of its field's range (VID, MTU, ICMP code). */
    public static final int BAD_ARGUMENT = 32;
    /**
     * A port handed over a frame whose offset and length do not lie inside its buffer: a port bug, caught
     * by the one check per frame that lets the forwarding path read without further bounds checks.
     */
    public static final int FRAME_OUTSIDE_BUFFER = 33;

    /** Number of codes: a counter array sized by this covers every code. */
    public static final int COUNT = 34;

    private static final String[] NAMES =
    {
        "ok",
        "frame_too_short",
        "too_many_vlan_tags",
        "vlan_vid_reserved",
        "ethertype_is_length",
        "arp_too_short",
        "arp_bad_htype",
        "arp_bad_ptype",
        "arp_bad_hlen",
        "arp_bad_plen",
        "arp_bad_opcode",
        "ipv4_too_short",
        "ipv4_bad_version",
        "ipv4_bad_ihl",
        "ipv4_total_length_exceeds_frame",
        "ipv4_total_length_below_header",
        "ipv4_bad_checksum",
        "ipv6_too_short",
        "ipv6_bad_version",
        "ipv6_payload_length_exceeds_frame",
        "icmp_too_short",
        "icmp_bad_checksum",
        "ndp_bad_hop_limit",
        "ndp_malformed",
        "ndp_target_multicast",
        "ndp_bad_option",
        "buffer_too_small",
        "vlan_tag_absent",
        "fragment_df_set",
        "fragment_mtu_too_small",
        "icmp_error_suppressed",
        "echo_to_multicast",
        "bad_argument",
        "frame_outside_buffer",
    };

    private PacketError()
    {
    }

    /**
     * Stable name of a code for counters and traces; accepts a code or its negation (as builders
     * return it). Unknown codes give {@code "unknown"} rather than throwing, since traces must never
     * fail.
     */
    public static String name(final int code)
    {
        final int c = code < 0 ? -code : code;
        return c >= 0 && c < COUNT ? NAMES[c] : "unknown";
    }
}
