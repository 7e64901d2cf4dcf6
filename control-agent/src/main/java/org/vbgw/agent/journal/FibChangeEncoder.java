package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;

import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * Writes FIB changes in the {@link FibChange} layout into whatever {@link Bytes} it is pointed at: a journal
 * entry being appended, or a snapshot being built. One place for the encoding, so the journal and its
 * snapshots can never disagree on it. Not thread-safe; returns -1 (it does not know indexes).
 */
public final class FibChangeEncoder implements FibWriter
{
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[FibChangeDecoder.MAX_LENGTH];
    private final LongSupplier clockNs;
    private Bytes<?> out;
    private long start;

    public FibChangeEncoder(final LongSupplier clockNs)
    {
        this.clockNs = clockNs;
    }

    /** Points the encoder at the bytes the next entry goes to. */
    public FibChangeEncoder target(final Bytes<?> bytes)
    {
        this.out = bytes;
        return this;
    }

    private Bytes<?> begin(final int type)
    {
        start = out.writePosition();
        FibChange.header(out, type, clockNs.getAsLong());
        return out;
    }

    private long seal()
    {
        FibChange.seal(out, start, crc, scratch);
        return -1;
    }

    @Override
    public long nextHop(final int nextHopId, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        begin(FibChange.NEXT_HOP).writeInt(nextHopId).writeInt(vifId);
        FibChange.address(out, ipv6, hi, lo);
        return seal();
    }

    @Override
    public long nextHopRemoved(final int nextHopId)
    {
        begin(FibChange.NEXT_HOP_REMOVED).writeInt(nextHopId);
        return seal();
    }

    @Override
    public long nextHopState(final int nextHopId, final boolean alive, final int cause)
    {
        begin(FibChange.NEXT_HOP_STATE).writeInt(nextHopId).writeBoolean(alive).writeByte((byte)cause);
        return seal();
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId)
    {
        return group(groupId, nextHopIds, weights, memberCount, backupGroupId, FibChange.SOURCE_UNKNOWN, 0);
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId, final int source, final int distance)
    {
        if (source < 0 || source > 255 || distance < 0 || distance > 255)
        {
            throw new IllegalArgumentException("group " + groupId + ": source " + source + " / distance " + distance +
                " out of range 0..255");
        }
        if (memberCount < 0 || memberCount > FibChange.MAX_GROUP_MEMBERS)
        {
            throw new IllegalArgumentException("group " + groupId + ": " + memberCount + " members (max " +
                FibChange.MAX_GROUP_MEMBERS + ")");
        }
        begin(FibChange.GROUP).writeInt(groupId).writeInt(backupGroupId).writeInt(memberCount);
        for (int i = 0; i < memberCount; i++)
        {
            out.writeInt(nextHopIds[i]).writeInt(weights[i]);
        }
        out.writeByte((byte)source).writeByte((byte)distance);
        return seal();
    }

    @Override
    public long groupRemoved(final int groupId)
    {
        begin(FibChange.GROUP_REMOVED).writeInt(groupId);
        return seal();
    }

    @Override
    public long route(final boolean ipv6, final long hi, final long lo, final int length, final int groupId)
    {
        FibChange.address(begin(FibChange.ROUTE), ipv6, hi, lo);
        out.writeByte((byte)length).writeInt(groupId);
        return seal();
    }

    @Override
    public long routeRemoved(final boolean ipv6, final long hi, final long lo, final int length)
    {
        FibChange.address(begin(FibChange.ROUTE_REMOVED), ipv6, hi, lo);
        out.writeByte((byte)length);
        return seal();
    }

    @Override
    public long neighbour(final int vifId, final boolean ipv6, final long hi, final long lo, final long mac)
    {
        begin(FibChange.NEIGHBOUR).writeInt(vifId);
        FibChange.address(out, ipv6, hi, lo);
        out.writeLong(mac);
        return seal();
    }

    @Override
    public long neighbourRemoved(final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        begin(FibChange.NEIGHBOUR_REMOVED).writeInt(vifId);
        FibChange.address(out, ipv6, hi, lo);
        return seal();
    }

    @Override
    public long vifAdminState(final int vifId, final boolean up)
    {
        begin(FibChange.VIF_ADMIN).writeInt(vifId).writeBoolean(up);
        return seal();
    }

    @Override
    public long transactionBegin()
    {
        begin(FibChange.TXN_BEGIN);
        return seal();
    }

    @Override
    public long transactionEnd()
    {
        begin(FibChange.TXN_END);
        return seal();
    }
}
