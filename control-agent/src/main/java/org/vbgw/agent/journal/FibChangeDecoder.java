package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Checks and decodes {@link FibChange} entries: a flyweight over the entry's bytes, read at fixed offsets.
 * <p>
 * An entry is first copied out of the queue into one reusable array (a journal entry is 14 to ~8,000 bytes,
 * a route 36) so the checksum runs as the JDK's CRC32C intrinsic over an array instead of a call per byte,
 * and the fields are then read in place. Replay is bounded by this loop (a restart decodes a million routes),
 * so it allocates nothing per entry, and reports damage as a string only when there is damage.
 * Offsets below are from the start of the entry; every entry starts with {@link FibChange}'s header.
 * <p>
 * Single thread: the reader that owns it.
 */
public final class FibChangeDecoder
{
    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 1;
    static final int TIMESTAMP_OFFSET = 2;
    static final int BODY_OFFSET = 10;
    static final int CRC_LENGTH = 4;
    static final int MIN_LENGTH = BODY_OFFSET + CRC_LENGTH;

    /** An address: family byte (4 or 6), then the high and low halves. */
    static final int ADDRESS_LENGTH = 17;

    // NEXT_HOP: id, vif, address
    static final int NEXT_HOP_ID_OFFSET = BODY_OFFSET;
    static final int NEXT_HOP_VIF_OFFSET = BODY_OFFSET + 4;
    static final int NEXT_HOP_ADDRESS_OFFSET = BODY_OFFSET + 8;
    // NEXT_HOP_STATE: id, alive, cause
    static final int NEXT_HOP_ALIVE_OFFSET = BODY_OFFSET + 4;
    static final int NEXT_HOP_CAUSE_OFFSET = BODY_OFFSET + 5;
    // GROUP: id, backup, member count, {next hop, weight} ..., [source, distance]
    static final int GROUP_ID_OFFSET = BODY_OFFSET;
    static final int GROUP_BACKUP_OFFSET = BODY_OFFSET + 4;
    static final int GROUP_COUNT_OFFSET = BODY_OFFSET + 8;
    static final int GROUP_MEMBERS_OFFSET = BODY_OFFSET + 12;
    static final int GROUP_MEMBER_LENGTH = 8;
    static final int GROUP_ORIGIN_LENGTH = 2;
    // ROUTE, ROUTE_REMOVED: address, length, [group]
    static final int ROUTE_ADDRESS_OFFSET = BODY_OFFSET;
    static final int ROUTE_LENGTH_OFFSET = BODY_OFFSET + ADDRESS_LENGTH;
    static final int ROUTE_GROUP_OFFSET = ROUTE_LENGTH_OFFSET + 1;
    // NEIGHBOUR, NEIGHBOUR_REMOVED: vif, address, [mac]
    static final int NEIGHBOUR_VIF_OFFSET = BODY_OFFSET;
    static final int NEIGHBOUR_ADDRESS_OFFSET = BODY_OFFSET + 4;
    static final int NEIGHBOUR_MAC_OFFSET = NEIGHBOUR_ADDRESS_OFFSET + ADDRESS_LENGTH;
    // VIF_ADMIN: vif, up
    static final int VIF_ID_OFFSET = BODY_OFFSET;
    static final int VIF_UP_OFFSET = BODY_OFFSET + 4;

    /** Bytes before the CRC of each fixed-size entry type, indexed by type; groups are checked by count. */
    private static final int[] BODY_END = new int[FibChange.TXN_END + 1];

    static
    {
        BODY_END[FibChange.NEXT_HOP] = NEXT_HOP_ADDRESS_OFFSET + ADDRESS_LENGTH;
        BODY_END[FibChange.NEXT_HOP_REMOVED] = BODY_OFFSET + 4;
        BODY_END[FibChange.NEXT_HOP_STATE] = NEXT_HOP_CAUSE_OFFSET + 1;
        BODY_END[FibChange.GROUP] = GROUP_MEMBERS_OFFSET;
        BODY_END[FibChange.GROUP_REMOVED] = BODY_OFFSET + 4;
        BODY_END[FibChange.ROUTE] = ROUTE_GROUP_OFFSET + 4;
        BODY_END[FibChange.ROUTE_REMOVED] = ROUTE_LENGTH_OFFSET + 1;
        BODY_END[FibChange.NEIGHBOUR] = NEIGHBOUR_MAC_OFFSET + 8;
        BODY_END[FibChange.NEIGHBOUR_REMOVED] = NEIGHBOUR_ADDRESS_OFFSET + ADDRESS_LENGTH;
        BODY_END[FibChange.VIF_ADMIN] = VIF_UP_OFFSET + 1;
        BODY_END[FibChange.TXN_BEGIN] = BODY_OFFSET;
        BODY_END[FibChange.TXN_END] = BODY_OFFSET;
    }

    /** The longest entry: a group with every member. */
    static final int MAX_LENGTH = GROUP_MEMBERS_OFFSET + FibChange.MAX_GROUP_MEMBERS * GROUP_MEMBER_LENGTH +
        GROUP_ORIGIN_LENGTH + CRC_LENGTH;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final byte[] copy = new byte[MAX_LENGTH];
    private final UnsafeBuffer entry = new UnsafeBuffer(copy);
    private final CRC32C crc = new CRC32C();
    private final int[] nextHops = new int[FibChange.MAX_GROUP_MEMBERS];
    private final int[] weights = new int[FibChange.MAX_GROUP_MEMBERS];

    /**
     * Checks and decodes the entry between {@code in}'s read position and read limit (a Chronicle document),
     * calling {@code handler} once. The read position is left where it was.
     *
     * @return null when the entry was handed over, else why it was refused (nothing was handed over then).
     */
    public String decode(final long index, final Bytes<?> in, final FibChangeHandler handler)
    {
        final long length = in.readRemaining();
        if (length < MIN_LENGTH)
        {
            return "entry too short: " + length + " bytes";
        }
        if (length > MAX_LENGTH)
        {
            return "entry too long: " + length + " bytes (max " + MAX_LENGTH + ")";
        }
        in.read(in.readPosition(), copy, 0, (int)length);
        return decode(index, copy, 0, (int)length, handler);
    }

    /** As {@link #decode(long, Bytes, FibChangeHandler)}, for an entry at {@code offset} in an array. */
    public String decode(final long index, final byte[] bytes, final int offset, final int length,
        final FibChangeHandler handler)
    {
        if (length < MIN_LENGTH)
        {
            return "entry too short: " + length + " bytes";
        }
        final int bodyEnd = length - CRC_LENGTH;
        crc.reset();
        crc.update(bytes, offset, bodyEnd);
        entry.wrap(bytes, offset, length);
        final int stored = entry.getInt(bodyEnd, ORDER);
        final int computed = (int)crc.getValue();
        if (stored != computed)
        {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed);
        }
        return decodeChecked(index, entry, bodyEnd, handler);
    }

    private String decodeChecked(final long index, final DirectBuffer e, final int bodyEnd,
        final FibChangeHandler handler)
    {
        final int version = e.getByte(VERSION_OFFSET) & 0xFF;
        if (version != FibChange.VERSION)
        {
            return "unsupported entry version " + version;
        }
        final int type = e.getByte(TYPE_OFFSET) & 0xFF;
        if (type == 0 || type >= BODY_END.length)
        {
            return "unknown entry type " + type;
        }
        if (bodyEnd < BODY_END[type])
        {
            return FibChange.typeName(type) + " entry too short: " + (bodyEnd + CRC_LENGTH) + " bytes";
        }
        final long ts = e.getLong(TIMESTAMP_OFFSET, ORDER);
        switch (type)
        {
            case FibChange.NEXT_HOP -> handler.onNextHop(index, ts, e.getInt(NEXT_HOP_ID_OFFSET, ORDER),
                e.getInt(NEXT_HOP_VIF_OFFSET, ORDER), ipv6(e, NEXT_HOP_ADDRESS_OFFSET),
                hi(e, NEXT_HOP_ADDRESS_OFFSET), lo(e, NEXT_HOP_ADDRESS_OFFSET));
            case FibChange.NEXT_HOP_REMOVED -> handler.onNextHopRemoved(index, ts, e.getInt(NEXT_HOP_ID_OFFSET, ORDER));
            case FibChange.NEXT_HOP_STATE -> handler.onNextHopState(index, ts, e.getInt(NEXT_HOP_ID_OFFSET, ORDER),
                bool(e, NEXT_HOP_ALIVE_OFFSET), e.getByte(NEXT_HOP_CAUSE_OFFSET) & 0xFF);
            case FibChange.GROUP ->
            {
                final int id = e.getInt(GROUP_ID_OFFSET, ORDER);
                final int n = e.getInt(GROUP_COUNT_OFFSET, ORDER);
                if (n < 0 || n > FibChange.MAX_GROUP_MEMBERS)
                {
                    return "group " + id + " has " + n + " members (max " + FibChange.MAX_GROUP_MEMBERS + ")";
                }
                if (bodyEnd < GROUP_MEMBERS_OFFSET + n * GROUP_MEMBER_LENGTH)
                {
                    return "group " + id + " entry too short for its " + n + " members";
                }
                int at = GROUP_MEMBERS_OFFSET;
                for (int i = 0; i < n; i++, at += GROUP_MEMBER_LENGTH)
                {
                    nextHops[i] = e.getInt(at, ORDER);
                    weights[i] = e.getInt(at + 4, ORDER);
                }
                // The origin came later than the format: an entry without it is an older writer's, origin unknown.
                final boolean hasOrigin = bodyEnd >= at + GROUP_ORIGIN_LENGTH;
                handler.onGroup(index, ts, id, nextHops, weights, n, e.getInt(GROUP_BACKUP_OFFSET, ORDER),
                    hasOrigin ? e.getByte(at) & 0xFF : FibChange.SOURCE_UNKNOWN, hasOrigin ? e.getByte(at + 1) & 0xFF : 0);
            }
            case FibChange.GROUP_REMOVED -> handler.onGroupRemoved(index, ts, e.getInt(GROUP_ID_OFFSET, ORDER));
            case FibChange.ROUTE -> handler.onRoute(index, ts, ipv6(e, ROUTE_ADDRESS_OFFSET),
                hi(e, ROUTE_ADDRESS_OFFSET), lo(e, ROUTE_ADDRESS_OFFSET), e.getByte(ROUTE_LENGTH_OFFSET) & 0xFF,
                e.getInt(ROUTE_GROUP_OFFSET, ORDER));
            case FibChange.ROUTE_REMOVED -> handler.onRouteRemoved(index, ts, ipv6(e, ROUTE_ADDRESS_OFFSET),
                hi(e, ROUTE_ADDRESS_OFFSET), lo(e, ROUTE_ADDRESS_OFFSET), e.getByte(ROUTE_LENGTH_OFFSET) & 0xFF);
            case FibChange.NEIGHBOUR -> handler.onNeighbour(index, ts, e.getInt(NEIGHBOUR_VIF_OFFSET, ORDER),
                ipv6(e, NEIGHBOUR_ADDRESS_OFFSET), hi(e, NEIGHBOUR_ADDRESS_OFFSET), lo(e, NEIGHBOUR_ADDRESS_OFFSET),
                e.getLong(NEIGHBOUR_MAC_OFFSET, ORDER));
            case FibChange.NEIGHBOUR_REMOVED -> handler.onNeighbourRemoved(index, ts,
                e.getInt(NEIGHBOUR_VIF_OFFSET, ORDER), ipv6(e, NEIGHBOUR_ADDRESS_OFFSET),
                hi(e, NEIGHBOUR_ADDRESS_OFFSET), lo(e, NEIGHBOUR_ADDRESS_OFFSET));
            case FibChange.VIF_ADMIN -> handler.onVifAdminState(index, ts, e.getInt(VIF_ID_OFFSET, ORDER),
                bool(e, VIF_UP_OFFSET));
            case FibChange.TXN_BEGIN -> handler.onTransactionBegin(index, ts);
            case FibChange.TXN_END -> handler.onTransactionEnd(index, ts);
            default ->
            {
                return "unknown entry type " + type;
            }
        }
        return null;
    }

    private static boolean ipv6(final DirectBuffer e, final int addressOffset)
    {
        return e.getByte(addressOffset) == 6;
    }

    private static long hi(final DirectBuffer e, final int addressOffset)
    {
        return e.getLong(addressOffset + 1, ORDER);
    }

    private static long lo(final DirectBuffer e, final int addressOffset)
    {
        return e.getLong(addressOffset + 9, ORDER);
    }

    /** Chronicle's {@code writeBoolean} writes 'Y' or 'N'; it reads 0 and 'N' as false, as this does. */
    private static boolean bool(final DirectBuffer e, final int offset)
    {
        final byte b = e.getByte(offset);
        return b != 0 && b != 'N' && b != 'n';
    }
}
