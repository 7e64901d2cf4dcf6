package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.neighbour.NeighbourResolver;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.NextHop;
import org.vbgw.fib.NextHopGroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32C;

/**
 * The data plane's FIB as of one journal entry, written as journal entries to a file, so a restart replays
 * the snapshot and only the journal's tail after it: replay time stays bounded however long the gateway runs.
 * <pre>
 *  | magic "VBGWSNAP" (8) | version (4) | journal index (8) | entries (4) | { length (4) | entry } ... | CRC32C (4) |
 * </pre>
 * The agent's state only: next hops, groups and routes the journal created (not the data plane's own host
 * routes), static neighbours and VIF admin states. Liveness is not kept: the detectors find it again.
 * Written to a temporary file and renamed, so a crash leaves the previous snapshot whole.
 */
public final class FibSnapshot
{
    private static final long MAGIC = 0x5642475753_4E4150L;
    private static final int VERSION = 1;

    private FibSnapshot()
    {
    }

    /**
     * Writes the FIB state of {@code dataplane}, which has applied the journal up to {@code journalIndex}.
     * Control thread (it reads the FIB's writer-side state).
     *
     * @return the number of entries written.
     */
    public static int write(final Path file, final long journalIndex, final Dataplane dataplane) throws IOException
    {
        return write(file, journalIndex, dataplane, id -> 0);
    }

    /**
     * As {@link #write(Path, long, Dataplane)}, with each group's origin (source code << 8 | distance, 0 when
     * unknown) as the journal gave it, so an agent that restarts from the snapshot still knows which routes a
     * routing protocol will announce again.
     */
    public static int write(final Path file, final long journalIndex, final Dataplane dataplane,
        final IntUnaryOperator groupOrigin) throws IOException
    {
        final Fib fib = dataplane.fib();
        final Bytes<ByteBuffer> body = Bytes.elasticHeapByteBuffer(1 << 16);
        final Bytes<ByteBuffer> entry = Bytes.elasticHeapByteBuffer(256);
        final FibChangeEncoder encoder = new FibChangeEncoder(() -> 0L);
        final int[] count = {0};
        final Runnable append = () ->
        {
            body.writeInt((int)entry.readRemaining());
            body.write(entry);
            entry.clear();
            count[0]++;
        };
        for (int id = 0; id < NeighbourResolver.FIRST_HOST_NEXT_HOP_ID; id++)
        {
            final NextHop nh = fib.nextHop(id);
            if (nh != null)
            {
                encoder.target(entry).nextHop(id, nh.vifId(), nh.ipv6(), nh.neighbourHi(), nh.neighbourLo());
                append.run();
            }
        }
        // Backups before the groups that name them, so the snapshot replays in an order the FIB accepts.
        final List<NextHopGroup> pending = new ArrayList<>();
        for (int id = 0; id < NeighbourResolver.FIRST_HOST_GROUP_ID && pending.size() < fib.groupCount(); id++)
        {
            final NextHopGroup g = fib.group(id);
            if (g != null)
            {
                pending.add(g);
            }
        }
        final Set<Integer> written = new HashSet<>();
        while (!pending.isEmpty())
        {
            final int before = pending.size();
            for (final var it = pending.iterator(); it.hasNext(); )
            {
                final NextHopGroup g = it.next();
                if (g.backupGroupId() == Fib.NO_GROUP || written.contains(g.backupGroupId()) ||
                    g.backupGroupId() >= NeighbourResolver.FIRST_HOST_GROUP_ID)
                {
                    final int[] members = g.nextHopIds();
                    final int origin = groupOrigin.applyAsInt(g.id());
                    encoder.target(entry).group(g.id(), members, g.weights(), members.length, g.backupGroupId(),
                        origin >>> 8 & 0xFF, origin & 0xFF);
                    append.run();
                    written.add(g.id());
                    it.remove();
                }
            }
            if (pending.size() == before)
            {
                throw new IllegalStateException("groups " + pending.stream().map(NextHopGroup::id).toList() +
                    " name backups that are not in the FIB");
            }
        }
        fib.forEachRoute((prefix, group) ->
        {
            if (group < NeighbourResolver.FIRST_HOST_GROUP_ID)
            {
                encoder.target(entry).route(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length(), group);
                append.run();
            }
        });
        dataplane.neighbours().forEach((e, vif, v6, hi, lo, mac, state) ->
        {
            if (state == NeighbourState.STATIC)
            {
                encoder.target(entry).neighbour(vif, v6, hi, lo, mac);
                append.run();
            }
        });
        final var snapshot = dataplane.vifs().snapshot();
        for (int v = 0; v < snapshot.capacity(); v++)
        {
            final Vif vif = snapshot.vif(v);
            if (vif != null && !vif.adminUp())
            {
                encoder.target(entry).vifAdminState(v, false);
                append.run();
            }
        }

        final Bytes<ByteBuffer> out = Bytes.elasticHeapByteBuffer((int)body.readRemaining() + 32);
        out.writeLong(MAGIC).writeInt(VERSION).writeLong(journalIndex).writeInt(count[0]);
        out.write(body);
        final CRC32C crc = new CRC32C();
        final byte[] bytes = out.toByteArray();
        crc.update(bytes);
        final ByteBuffer file4 = ByteBuffer.allocate(bytes.length + 4).put(bytes).putInt((int)crc.getValue());
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, file4.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return count[0];
    }

    /**
     * Applies a snapshot's entries to {@code handler}.
     *
     * @return the journal index the snapshot was taken at, or -1 when there is no snapshot file.
     * @throws IllegalStateException naming the file and what is wrong when it is damaged: a damaged snapshot is
     *     never applied in part.
     */
    public static long apply(final Path file, final FibChangeHandler handler) throws IOException
    {
        if (!Files.exists(file))
        {
            return -1;
        }
        final byte[] data = Files.readAllBytes(file);
        if (data.length < 28)
        {
            throw new IllegalStateException(file + ": snapshot truncated (" + data.length + " bytes)");
        }
        final CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        if ((int)crc.getValue() != ByteBuffer.wrap(data, data.length - 4, 4).getInt())
        {
            throw new IllegalStateException(file + ": snapshot checksum mismatch; delete it to replay the whole journal");
        }
        final Bytes<byte[]> in = Bytes.wrapForRead(data);
        in.readLimit(data.length - 4);
        if (in.readLong() != MAGIC || in.readInt() != VERSION)
        {
            throw new IllegalStateException(file + ": not a vbgw FIB snapshot (or another version)");
        }
        final long index = in.readLong();
        final int entries = in.readInt();
        final FibChangeDecoder decoder = new FibChangeDecoder();
        for (int i = 0; i < entries; i++)
        {
            final int length = in.readInt();
            final long at = in.readPosition();
            if (length < 0 || length > in.readRemaining())
            {
                throw new IllegalStateException(file + ": snapshot entry " + i + ": length " + length +
                    " runs past the end of the file");
            }
            final String why = decoder.decode(index, data, (int)at, length, handler);
            if (why != null)
            {
                throw new IllegalStateException(file + ": snapshot entry " + i + ": " + why);
            }
            in.readPosition(at + length);
        }
        return index;
    }
}
