package org.vbgw.perf.dataplane;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.packet.FrameParser;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.dataplane.pipeline.Verdict;
import org.vbgw.dataplane.pipeline.WorkerCounters;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.FlowHash;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;

/**
 * The floor under the forwarding pipeline on the machine at hand: the steps no IPv4 forwarder can skip, and
 * nothing else, written as tightly as plain Java allows, on the same frames, VIFs, FIB and adjacencies as
 * {@code ForwarderBenchmark.forwardIpv4}. Per frame: find the L2 header's end and the VIF (two array loads),
 * read the IPv4 header as two longs and an int, verify its checksum and TTL, hash the 5-tuple; per batch: the
 * FIB lookups back to back, then per packet the ECMP member, the adjacency, TTL − 1 with the RFC 1624 patch,
 * the adjacency's L2 header, send.
 * <p>
 * Not a forwarder: it assumes what the benchmark's traffic guarantees (IPv4 TCP/UDP without options, every
 * destination routed and resolved) and drops anything else uncounted. Its score says how close the real
 * pipeline is to what this CPU can do; {@code -p minimalAdds=} adds back, one group at a time, what the
 * {@code Forwarder} does beyond it, so each group's price is measured in the same run:
 * <ul>
 *   <li>{@code counters}: VIF rx and tx, next-hop tx and verdict counters, published per batch;</li>
 *   <li>{@code source}: martian source, the strict source check of the ingress VIF, the local-address filter;</li>
 *   <li>{@code checks}: the full L2 walk ({@code FrameParser}), VIF admin state and destination MAC, and the
 *   no-route, no-next-hop, unresolved and MTU checks before sending;</li>
 *   <li>{@code all}: the three together.</li>
 * </ul>
 * One thread; allocates nothing after construction.
 */
final class MinimalPath implements FrameHandler
{
    private static final int CAPACITY = 256;
    private static final int ETHER_TYPE_IPV4 = 0x0800;

    private final Port[] ports;
    private final VifTable vifs;
    private final Fib fib;
    private final AdjacencyTable adjacencies;
    private final WorkerCounters counters;
    private final boolean countersOn;
    private final boolean sourceOn;
    private final boolean checksOn;
    private final FrameView frame = new FrameView();
    private final L2Header l2 = new L2Header();

    private final MutableDirectBuffer[] buffers = new MutableDirectBuffer[CAPACITY];
    private final int[] ipOffsets = new int[CAPACITY];
    private final int[] destinations = new int[CAPACITY];
    private final int[] flowHashes = new int[CAPACITY];
    private final int[] groups = new int[CAPACITY];
    private int count;
    private int inPort;
    private VifTable.Snapshot snapshot;
    private long forwarded;

    /** @param adds "none", "counters", "source", "checks" or "all": see the class comment. */
    MinimalPath(final Port[] ports, final GatewayFixture gateway, final WorkerCounters counters, final String adds)
    {
        if (!adds.matches("none|counters|source|checks|all"))
        {
            throw new IllegalArgumentException("minimalAdds '" + adds + "': expected none, counters, source, checks or all");
        }
        this.ports = ports;
        this.vifs = gateway.vifs;
        this.fib = gateway.fib;
        this.adjacencies = gateway.adjacencies;
        this.counters = counters;
        this.countersOn = adds.equals("counters") || adds.equals("all");
        this.sourceOn = adds.equals("source") || adds.equals("all");
        this.checksOn = adds.equals("checks") || adds.equals("all");
    }

    int poll(final int port, final int limit)
    {
        inPort = port;
        snapshot = vifs.snapshot();
        final int received = ports[port].receive(this, limit);
        if (countersOn)
        {
            counters.publish();
        }
        return received;
    }

    /** Frames sent so far: the benchmark's setup checks that every frame was. */
    long forwarded()
    {
        return forwarded;
    }

    @Override
    public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 38 || (long)offset + length > buffer.capacity())
        {
            return;
        }
        final byte[] array = buffer.byteArray();
        final long frameAddress = buffer.addressOffset() + offset;
        int etherType;
        int l3;
        int outerVid = 0;
        int innerVid = 0;
        if (checksOn)
        {
            frame.wrap(buffer, offset, length);
            if (FrameParser.parse(frame, l2) != PacketError.OK)
            {
                return;
            }
            etherType = l2.l3EtherType;
            outerVid = l2.outerVid;
            innerVid = l2.innerVid;
            l3 = l2.l3Offset - offset;
        }
        else
        {
            etherType = getShort(array, frameAddress + 12);
            l3 = 14;
            if (etherType == 0x8100 || etherType == 0x88A8)
            {
                final int tag = getInt(array, frameAddress + 14);
                outerVid = (tag >>> 16) & 0xFFF;
                etherType = tag & 0xFFFF;
                l3 = 18;
                if (etherType == 0x8100 || etherType == 0x88A8)
                {
                    final int inner = getInt(array, frameAddress + 18);
                    innerVid = (inner >>> 16) & 0xFFF;
                    etherType = inner & 0xFFFF;
                    l3 = 22;
                }
            }
        }
        final int vifId = snapshot.lookup(inPort, outerVid, innerVid);
        if (vifId < 0 || etherType != ETHER_TYPE_IPV4 || length < l3 + 24)
        {
            return;
        }
        final Vif vif = snapshot.vif(vifId);
        if (checksOn && (!vif.adminUp() ||
            ((getInt(array, frameAddress) & 0xFFFF_FFFFL) << 16 | getShort(array, frameAddress + 4)) != vif.mac()))
        {
            return;
        }
        if (countersOn)
        {
            counters.vifRx(vifId, length);
        }

        final long ip = frameAddress + l3;
        final long first = Long.reverseBytes(UnsafeApi.getLong(array, ip));
        final long second = Long.reverseBytes(UnsafeApi.getLong(array, ip + 8));
        final int dst = getInt(array, ip + 16);
        if ((first >>> 56) != 0x45 || (second >>> 56) <= 1 ||
            InternetChecksum.fold((first >>> 32) + (first & 0xFFFF_FFFFL) + (second >>> 32) + (second & 0xFFFF_FFFFL) +
            (dst & 0xFFFF_FFFFL)) != 0xFFFF)
        {
            return;
        }
        final int src = (int)second;
        if (sourceOn)
        {
            final int firstOctet = src >>> 24;
            if (firstOctet == 0 || firstOctet == 127 || firstOctet >= 224 ||
                vif.sourceCheck() == SourceCheck.STRICT && !vif.allowsIpv4Source(src) ||
                snapshot.localIpv4Owner(dst) != VifTable.NO_VIF || (dst >>> 28) == 0xE || dst == -1)
            {
                return;
            }
        }
        final int ports = getInt(array, ip + 20);
        final int i = count++;
        buffers[i] = buffer;
        ipOffsets[i] = offset + l3;
        destinations[i] = dst;
        flowHashes[i] = FlowHash.ipv4(src, dst, (int)(second >>> 48) & 0xFF, ports >>> 16, ports & 0xFFFF);
    }

    @Override
    public void onBatchEnd()
    {
        final int n = count;
        for (int i = 0; i < n; i++)
        {
            groups[i] = fib.lookupIpv4(destinations[i]);
        }
        for (int i = 0; i < n; i++)
        {
            final int group = groups[i];
            final int nextHopId = fib.selectNextHop(group, flowHashes[i]);
            final Adjacency adjacency = adjacencies.get(nextHopId);
            final MutableDirectBuffer buffer = buffers[i];
            final byte[] array = buffer.byteArray();
            final int ipOffset = ipOffsets[i];
            final long ip = buffer.addressOffset() + ipOffset;
            final int totalLength = getShort(array, ip + 2);
            if (checksOn && (group == Fib.NO_GROUP || nextHopId == Fib.NO_NEXT_HOP || adjacency == null ||
                totalLength > adjacency.mtuBytes() || ipOffset - adjacency.l2HeaderLength() < 0))
            {
                continue;
            }
            final int oldTtlWord = getShort(array, ip + 8);
            final int newTtlWord = oldTtlWord - 0x0100;
            final int checksum = InternetChecksum.update16(getShort(array, ip + 10), oldTtlWord, newTtlWord);
            UnsafeApi.putInt(array, ip + 8, Integer.reverseBytes(newTtlWord << 16 | checksum));
            adjacency.writeHeader(buffer, ipOffset, ETHER_TYPE_IPV4);
            final int frameLength = adjacency.l2HeaderLength() + totalLength;
            ports[adjacency.portIndex()].send(buffer, ipOffset - adjacency.l2HeaderLength(), frameLength);
            if (countersOn)
            {
                counters.vifTx(adjacency.vifId(), frameLength);
                counters.nextHopTx(nextHopId);
                counters.verdict(Verdict.FORWARDED);
            }
            forwarded++;
        }
        count = 0;
    }

    private static int getShort(final byte[] array, final long address)
    {
        return Short.reverseBytes(UnsafeApi.getShort(array, address)) & 0xFFFF;
    }

    private static int getInt(final byte[] array, final long address)
    {
        return Integer.reverseBytes(UnsafeApi.getInt(array, address));
    }
}
