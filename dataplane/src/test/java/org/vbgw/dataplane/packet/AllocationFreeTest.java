package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot-path promise of the packet layer: once warm, parsing, validating, rewriting, building and
 * fragmenting allocate nothing. Measured with the JVM's per-thread allocation counter.
 */
class AllocationFreeTest
{
    /** A sink that only counts, as a pipeline's reusable transmit sink would. */
    private static final class CountingSink implements Ipv4Fragmenter.FragmentSink
    {
        long bytes;

        @Override
        public void onFragment(final MutableDirectBuffer buffer, final int offset, final int length, final int index)
        {
            bytes += length;
        }
    }

    private final L2Header l2 = new L2Header();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final ArpPacketBuilder arp = new ArpPacketBuilder();
    private final IcmpErrorBuilder icmp = new IcmpErrorBuilder();
    private final Icmpv6ErrorBuilder icmp6 = new Icmpv6ErrorBuilder();
    private final NdpPacketBuilder ndp = new NdpPacketBuilder();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final CountingSink sink = new CountingSink();
    private final EthernetEncap encap = new EthernetEncap().set(0x020000000001L, 200, 100);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    private final FrameView view = new FrameView();
    private final UnsafeBuffer echoTemplate = new UnsafeBuffer(Hex.bytes(EchoResponderTest.ECHO4_REQUEST));
    private final UnsafeBuffer echo = new UnsafeBuffer(new byte[echoTemplate.capacity()]);
    private final UnsafeBuffer invoking4 = new UnsafeBuffer(Hex.bytes(IcmpErrorBuilderTest.INVOKING));
    private final UnsafeBuffer invoking6 = new UnsafeBuffer(Hex.bytes(Icmpv6ErrorBuilderTest.INVOKING));
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1600]);
    private final UnsafeBuffer bigPacket = new UnsafeBuffer(new byte[1500]);

    @Test
    void hotPathAllocatesNothing()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM has no per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemoryEnabled(), "per-thread allocation counting is disabled");

        new Ipv4Flyweight().wrap(bigPacket, 0).versionAndHeaderLength(20).totalLength(1500).ttl(64).protocol(17)
            .srcAddress(0x0A010101).dstAddress(0x0A020202).updateChecksum();
        final int frameLength = encap.write(frame, VlanRewriter.HEADROOM, 0x020000000002L, 0x0800) + 1500;
        frame.putBytes(VlanRewriter.HEADROOM + 22, bigPacket, 0, 1500);

        long checksum = 0;
        for (int i = 0; i < 30_000; i++)
        {
            checksum += iteration(frameLength);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++)
        {
            checksum += iteration(frameLength);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(checksum != 0);
        // A few hundred bytes of slack for the counter call itself; 100k iterations of any
        // per-packet allocation would be megabytes.
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 100k iterations");
    }

    private long iteration(final int frameLength)
    {
        long result = 0;
        assertEquals(PacketError.OK, FrameParser.parse(view, frame, VlanRewriter.HEADROOM, frameLength, l2));
        ip.wrap(frame, l2.l3Offset);
        result += ip.validate(l2.l3Length);
        ip.decrementTtl();
        ip.ttlWithChecksumUpdate(64);
        int offset = VlanRewriter.popTag(frame, VlanRewriter.HEADROOM, frameLength);
        offset = VlanRewriter.pushTag(frame, offset, frameLength - 4, 0x88A8, 200);
        result += offset;
        result += VlanRewriter.setVid(frame, offset, frameLength, 1, 100);
        result += arp.request(out, 0, encap, 0x0A000001, 0x0A000002);
        result += icmp.timeExceeded(out, 0, encap, 0x020000000002L, 0x0A000001, invoking4, 0);
        result += icmp6.packetTooBig(out, 0, encap, 0x020000000002L, 0x20010DB800000000L, 1L, 1280, invoking6, 0);
        result += ndp.solicitation(out, 0, encap, 0x20010DB800000000L, 1L, 0x20010DB800000000L, 0x11223344L);
        result += fragmenter.fragment(bigPacket, 0, 576, out, 22, sink);
        echo.putBytes(0, echoTemplate, 0, echoTemplate.capacity());
        result += EchoResponder.replyIpv4(echo, 0, 14);
        result += InternetChecksum.checksum(frame, 0, frameLength);
        return result + sink.bytes;
    }
}
