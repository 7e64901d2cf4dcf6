package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;

import java.util.zip.CRC32C;

/**
 * The binary layout of one journal entry, its encoder and its decoder.
 * <pre>
 *   0      1      2              10
 *  +------+------+--------------+---------------- ... --+----------+
 *  | ver  | type | timestamp ns | type-specific fields   | CRC32C   |
 *  +------+------+--------------+---------------- ... --+----------+
 * </pre>
 * Little-endian (Chronicle's native order). The CRC covers every byte before it: Chronicle never shows a
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

    /** Appends the CRC32C of everything written since {@code start}. */
    static void seal(final Bytes<?> out, final long start, final CRC32C crc)
    {
        out.writeInt(crc(out, start, out.writePosition(), crc));
    }

    private static int crc(final Bytes<?> bytes, final long from, final long to, final CRC32C crc)
    {
        crc.reset();
        for (long i = from; i < to; i++)
        {
            crc.update(bytes.readByte(i));
        }
        return (int)crc.getValue();
    }

    /**
     * Checks and decodes one entry, calling {@code handler} once.
     *
     * @return null when the entry was applied, else why it was refused (nothing was applied then).
     */
    static String decode(final long index, final Bytes<?> in, final FibChangeHandler handler,
        final int[] nhScratch, final int[] weightScratch, final CRC32C crc)
    {
        final long start = in.readPosition();
        final long end = in.readLimit();
        if (end - start < 14)
        {
            return "entry too short: " + (end - start) + " bytes";
        }
        final int stored = in.readInt(end - 4);
        final int computed = crc(in, start, end - 4, crc);
        if (stored != computed)
        {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed);
        }
        in.readLimit(end - 4);
        final int version = in.readUnsignedByte();
        if (version != VERSION)
        {
            return "unsupported entry version " + version;
        }
        final int type = in.readUnsignedByte();
        final long ts = in.readLong();
        switch (type)
        {
            case NEXT_HOP ->
            {
                final int id = in.readInt();
                final int vif = in.readInt();
                final boolean v6 = in.readUnsignedByte() == 6;
                handler.onNextHop(index, ts, id, vif, v6, in.readLong(), in.readLong());
            }
            case NEXT_HOP_REMOVED -> handler.onNextHopRemoved(index, ts, in.readInt());
            case NEXT_HOP_STATE ->
            {
                final int id = in.readInt();
                final boolean alive = in.readBoolean();
                handler.onNextHopState(index, ts, id, alive, in.readUnsignedByte());
            }
            case GROUP ->
            {
                final int id = in.readInt();
                final int backup = in.readInt();
                final int n = in.readInt();
                if (n < 0 || n > MAX_GROUP_MEMBERS || n > nhScratch.length)
                {
                    return "group " + id + " has " + n + " members (max " + MAX_GROUP_MEMBERS + ")";
                }
                for (int i = 0; i < n; i++)
                {
                    nhScratch[i] = in.readInt();
                    weightScratch[i] = in.readInt();
                }
                handler.onGroup(index, ts, id, nhScratch, weightScratch, n, backup);
            }
            case GROUP_REMOVED -> handler.onGroupRemoved(index, ts, in.readInt());
            case ROUTE ->
            {
                final boolean v6 = in.readUnsignedByte() == 6;
                final long hi = in.readLong();
                final long lo = in.readLong();
                final int len = in.readUnsignedByte();
                handler.onRoute(index, ts, v6, hi, lo, len, in.readInt());
            }
            case ROUTE_REMOVED ->
            {
                final boolean v6 = in.readUnsignedByte() == 6;
                final long hi = in.readLong();
                final long lo = in.readLong();
                handler.onRouteRemoved(index, ts, v6, hi, lo, in.readUnsignedByte());
            }
            case NEIGHBOUR ->
            {
                final int vif = in.readInt();
                final boolean v6 = in.readUnsignedByte() == 6;
                final long hi = in.readLong();
                final long lo = in.readLong();
                handler.onNeighbour(index, ts, vif, v6, hi, lo, in.readLong());
            }
            case NEIGHBOUR_REMOVED ->
            {
                final int vif = in.readInt();
                final boolean v6 = in.readUnsignedByte() == 6;
                handler.onNeighbourRemoved(index, ts, vif, v6, in.readLong(), in.readLong());
            }
            case VIF_ADMIN ->
            {
                final int vif = in.readInt();
                handler.onVifAdminState(index, ts, vif, in.readBoolean());
            }
            case TXN_BEGIN -> handler.onTransactionBegin(index, ts);
            case TXN_END -> handler.onTransactionEnd(index, ts);
            default ->
            {
                return "unknown entry type " + type;
            }
        }
        return null;
    }
}
