package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;

import java.util.zip.CRC32C;

/**
 * The binary layout of one journal entry and its type and cause codes.
 * <pre>
 *   0      1      2              10
 *  +------+------+--------------+---------------- ... --+----------+
 *  | ver  | type | timestamp ns | type-specific fields   | CRC32C   |
 *  +------+------+--------------+---------------- ... --+----------+
 * </pre>
 * Little-endian (Chronicle's native order); the field offsets of each type are in {@link FibChangeDecoder}.
 * The CRC covers every byte before it: Chronicle never shows a
 * reader a half-written entry, but a file damaged on disk or by a bad copy would otherwise be applied as a
 * plausible but wrong route, and a FIB must rather stop than forward on garbage.
 */
public final class FibChange
{
    public static final int VERSION = 1;

    public static final int NEXT_HOP = 1;
    public static final int NEXT_HOP_REMOVED = 2;
    public static final int NEXT_HOP_STATE = 3;
    public static final int GROUP = 4;
    public static final int GROUP_REMOVED = 5;
    public static final int ROUTE = 6;
    public static final int ROUTE_REMOVED = 7;
    public static final int NEIGHBOUR = 8;
    public static final int NEIGHBOUR_REMOVED = 9;
    public static final int VIF_ADMIN = 10;
    public static final int TXN_BEGIN = 11;
    public static final int TXN_END = 12;

    /** Why a next hop changed state; kept with the entry so `vbgw journal` can say why. */
    public static final int CAUSE_ADMIN = 0;
    public static final int CAUSE_CARRIER = 1;
    public static final int CAUSE_BFD = 2;
    public static final int CAUSE_PROBE = 3;
    public static final int CAUSE_RESOLUTION = 4;
    public static final int CAUSE_ROUTING = 5;

    /**
     * A group entry's origin (after its members: a source byte and a distance byte, both optional, so entries
     * written before them still read) when the writer did not say. Other values are the RIB's route source codes.
     */
    public static final int SOURCE_UNKNOWN = 0;

    /** A group has at most this many members; bounds the decoder's reusable arrays. */
    public static final int MAX_GROUP_MEMBERS = 1024;

    private static final String[] TYPE_NAMES = { "?", "nexthop", "nexthop-del", "nexthop-state", "group",
        "group-del", "route", "route-del", "neighbour", "neighbour-del", "vif-admin", "txn-begin", "txn-end" };
    private static final String[] CAUSE_NAMES = { "admin", "carrier", "bfd", "probe", "resolution", "routing" };

    private FibChange()
    {
    }

    public static String typeName(final int type)
    {
        return type > 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown(" + type + ")";
    }

    public static String causeName(final int cause)
    {
        return cause >= 0 && cause < CAUSE_NAMES.length ? CAUSE_NAMES[cause] : "unknown(" + cause + ")";
    }

    static void header(final Bytes<?> out, final int type, final long timestampNs)
    {
        out.writeByte((byte)VERSION);
        out.writeByte((byte)type);
        out.writeLong(timestampNs);
    }

    static void address(final Bytes<?> out, final boolean ipv6, final long hi, final long lo)
    {
        out.writeByte((byte)(ipv6 ? 6 : 4));
        out.writeLong(hi);
        out.writeLong(lo);
    }

    /**
     * Appends the CRC32C of everything written since {@code start}. The bytes are copied into {@code scratch}
     * first (one bulk copy, then the JDK's intrinsic over an array): a call per byte cost more than the rest
     * of the encoding.
     */
    static void seal(final Bytes<?> out, final long start, final CRC32C crc, final byte[] scratch)
    {
        final int length = (int)(out.writePosition() - start);
        out.read(start, scratch, 0, length);
        crc.reset();
        crc.update(scratch, 0, length);
        out.writeInt((int)crc.getValue());
    }
}
