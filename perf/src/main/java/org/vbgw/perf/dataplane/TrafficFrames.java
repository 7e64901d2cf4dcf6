package org.vbgw.perf.dataplane;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.io.Port;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Pristine frames arriving on one port of a {@link GatewayFixture}, as a TPACKET_V3 ring block holds them:
 * packed one after the other in off-heap memory, each starting {@value #HEADROOM_BYTES} bytes (the port's
 * headroom) after a 64-byte boundary, so the headroom, the L2 header, the IP header and the ports lie in one
 * cache line. Packed rather than in fixed 2048-byte slots: slots put every header on the same few cache sets,
 * and 4096 of them thrash L1 and L2 in a way a ring just written by the kernel does not.
 * <p>
 * Each frame is its own TCP (70 %) or UDP flow. Destinations are drawn from the routes that lead out of the
 * other port: IPv4 uniformly over the covered address space (a random address, kept if it is routed that
 * way), IPv6 uniformly over prefixes (a random route, random host bits), since the routed IPv6 space is too
 * sparse to sample by address. Frames from the IDC carry their VIF's tags (half 802.1Q 100, half QinQ
 * 200.10) and a source in the IDC subnets; frames from the VPC are untagged. Every checksum is valid (IPv4
 * header, TCP and UDP). Never modified after construction: replaying ports copy what they rewrite.
 */
final class TrafficFrames
{
    /** Bytes in front of each frame, where the forwarder may write a longer egress L2 header. */
    static final int HEADROOM_BYTES = Port.FRAME_HEADROOM;
    private static final int MAX_FRAME_BYTES = 1536;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int[] SERVICE_PORTS = {443, 443, 443, 80, 53, 4500, 8080, 22};

    final UnsafeBuffer store;
    final int[] offsets;
    final int[] lengths;
    final boolean[] ipv6;
    /** The destination of each frame: IPv4 in {@link #dstLo} (low 32 bits), IPv6 in both halves. */
    final long[] dstHi;
    final long[] dstLo;
    final int count;
    final int ingressPort;
    /** Bytes of {@link #store} the frames occupy, headroom included. */
    final int usedBytes;

    private final GatewayFixture gateway;
    private final SplittableRandom random;
    private final String sizes;

    /**
     * @param ipv6PerMille share of IPv6 frames, 0–1000.
     * @param sizes        "64" and "512" for fixed frame lengths (without FCS; raised to the headers' length
     *                     where those are longer, e.g. 82 bytes for QinQ IPv6 TCP), or "imix" for the simple
     *                     IMIX 7:4:1 of 64, 570 and 1500 bytes.
     */
    TrafficFrames(final GatewayFixture gateway, final int ingressPort, final int count, final int ipv6PerMille,
        final String sizes, final long seed)
    {
        if (!"64".equals(sizes) && !"512".equals(sizes) && !"imix".equals(sizes))
        {
            throw new IllegalArgumentException("frame sizes '" + sizes + "': expected 64, 512 or imix");
        }
        this.gateway = gateway;
        this.ingressPort = ingressPort;
        this.count = count;
        this.sizes = sizes;
        this.random = new SplittableRandom(seed);
        this.store = new UnsafeBuffer(BufferUtil.allocateDirectAligned(count * (64 + MAX_FRAME_BYTES), 4096));
        this.offsets = new int[count];
        this.lengths = new int[count];
        this.ipv6 = new boolean[count];
        this.dstHi = new long[count];
        this.dstLo = new long[count];
        int end = 0;
        for (int i = 0; i < count; i++)
        {
            offsets[i] = end + HEADROOM_BYTES;
            ipv6[i] = random.nextInt(1000) < ipv6PerMille;
            lengths[i] = ipv6[i] ? buildIpv6(i) : buildIpv4(i);
            end = BitUtil.align(offsets[i] + lengths[i], 64);
        }
        this.usedBytes = end;
    }

    private int buildIpv4(final int i)
    {
        final int otherPort = GatewayFixture.PORT_COUNT - 1 - ingressPort;
        int dst;
        do
        {
            dst = random.nextInt();
        }
        while ((dst >>> 28) >= 0xE || gateway.isLocalIpv4(dst) || gateway.egressPortIpv4(dst) != otherPort);
        final int src = ingressPort == GatewayFixture.IDC_PORT
            ? GatewayFixture.IDC_IPV4_SUBNET | (random.nextInt(1 << 24) | 0x0001_0000)
            : GatewayFixture.VPC_IPV4_SUBNET | (random.nextInt(1 << 16) | 0x0100);
        dstLo[i] = dst & 0xFFFF_FFFFL;

        final int offset = offsets[i];
        final int l3 = writeL2(offset, EthernetFlyweight.ETHER_TYPE_IPV4, i);
        final boolean tcp = random.nextInt(10) < 7;
        final int l4Header = tcp ? TCP_HEADER : UDP_HEADER;
        final int frameLength = frameLength(l3 - offset + IPV4_HEADER + l4Header);
        final int totalLength = frameLength - (l3 - offset);

        store.putByte(l3, (byte)0x45);
        store.putByte(l3 + 1, (byte)0);
        store.putShort(l3 + 2, (short)totalLength, ByteOrder.BIG_ENDIAN);
        store.putShort(l3 + 4, (short)random.nextInt(1 << 16), ByteOrder.BIG_ENDIAN);
        store.putShort(l3 + 6, (short)0x4000, ByteOrder.BIG_ENDIAN);
        store.putByte(l3 + 8, (byte)64);
        store.putByte(l3 + 9, (byte)(tcp ? PROTOCOL_TCP : PROTOCOL_UDP));
        store.putShort(l3 + 10, (short)0);
        store.putInt(l3 + 12, src, ByteOrder.BIG_ENDIAN);
        store.putInt(l3 + 16, dst, ByteOrder.BIG_ENDIAN);
        store.putShort(l3 + 10, (short)InternetChecksum.checksum(store, l3, IPV4_HEADER), ByteOrder.BIG_ENDIAN);

        final int l4 = l3 + IPV4_HEADER;
        final int l4Length = totalLength - IPV4_HEADER;
        writeL4(l4, l4Length, tcp);
        final long pseudo = InternetChecksum.ipv4PseudoHeader(src, dst, tcp ? PROTOCOL_TCP : PROTOCOL_UDP, l4Length);
        putL4Checksum(l4, l4Length, tcp, pseudo);
        return frameLength;
    }

    private int buildIpv6(final int i)
    {
        final int otherPort = GatewayFixture.PORT_COUNT - 1 - ingressPort;
        final InternetRoutes routes = gateway.ipv6Routes;
        long hi;
        long lo;
        do
        {
            final int r = random.nextInt(routes.count);
            final int length = routes.lengths[r];
            hi = routes.his[r] | (length >= 64 ? 0 : random.nextLong() >>> length);
            lo = routes.los[r] | (length <= 64 ? random.nextLong() : length >= 128 ? 0 : random.nextLong() >>> (length - 64));
        }
        while ((hi >>> 56) == 0xFF || (hi >>> 54) == (0xFE80L >>> 6) || gateway.egressPortIpv6(hi, lo) != otherPort);
        dstHi[i] = hi;
        dstLo[i] = lo;
        final long srcHi = ingressPort == GatewayFixture.IDC_PORT
            ? GatewayFixture.IDC_IPV6_SUBNET_HI | random.nextInt(1 << 24)
            : GatewayFixture.VPC_IPV6_SUBNET_HI | random.nextInt(1 << 16);
        final long srcLo = random.nextLong() | 0x100;

        final int offset = offsets[i];
        final int l3 = writeL2(offset, EthernetFlyweight.ETHER_TYPE_IPV6, i);
        final boolean tcp = random.nextInt(10) < 7;
        final int l4Header = tcp ? TCP_HEADER : UDP_HEADER;
        final int frameLength = frameLength(l3 - offset + IPV6_HEADER + l4Header);
        final int payloadLength = frameLength - (l3 - offset) - IPV6_HEADER;

        store.putInt(l3, 0x6000_0000 | random.nextInt(1 << 20), ByteOrder.BIG_ENDIAN);
        store.putShort(l3 + 4, (short)payloadLength, ByteOrder.BIG_ENDIAN);
        store.putByte(l3 + 6, (byte)(tcp ? PROTOCOL_TCP : PROTOCOL_UDP));
        store.putByte(l3 + 7, (byte)64);
        store.putLong(l3 + 8, srcHi, ByteOrder.BIG_ENDIAN);
        store.putLong(l3 + 16, srcLo, ByteOrder.BIG_ENDIAN);
        store.putLong(l3 + 24, hi, ByteOrder.BIG_ENDIAN);
        store.putLong(l3 + 32, lo, ByteOrder.BIG_ENDIAN);

        final int l4 = l3 + IPV6_HEADER;
        writeL4(l4, payloadLength, tcp);
        putL4Checksum(l4, payloadLength, tcp,
            InternetChecksum.ipv6PseudoHeader(store, l3, tcp ? PROTOCOL_TCP : PROTOCOL_UDP, payloadLength));
        return frameLength;
    }

    /** Writes the Ethernet header and tags of a frame arriving on this port; returns the L3 offset. */
    private int writeL2(final int offset, final int etherType, final int i)
    {
        int type = offset + EthernetFlyweight.ETHER_TYPE_OFFSET;
        if (ingressPort == GatewayFixture.VPC_PORT)
        {
            EthernetFlyweight.writeMac(store, offset, GatewayFixture.VPC_MAC);
            EthernetFlyweight.writeMac(store, offset + 6,
                (i & 1) == 0 ? GatewayFixture.VPC_HOST1_MAC : GatewayFixture.VPC_HOST2_MAC);
        }
        else if (random.nextBoolean())
        {
            EthernetFlyweight.writeMac(store, offset, GatewayFixture.DX1_MAC);
            EthernetFlyweight.writeMac(store, offset + 6, GatewayFixture.CPE1_MAC);
            store.putShort(type, (short)0x8100, ByteOrder.BIG_ENDIAN);
            store.putShort(type + 2, (short)GatewayFixture.DX1_VLAN, ByteOrder.BIG_ENDIAN);
            type += 4;
        }
        else
        {
            EthernetFlyweight.writeMac(store, offset, GatewayFixture.DX2_MAC);
            EthernetFlyweight.writeMac(store, offset + 6, GatewayFixture.CPE2_MAC);
            store.putShort(type, (short)0x88a8, ByteOrder.BIG_ENDIAN);
            store.putShort(type + 2, (short)GatewayFixture.DX2_OUTER_VLAN, ByteOrder.BIG_ENDIAN);
            store.putShort(type + 4, (short)0x8100, ByteOrder.BIG_ENDIAN);
            store.putShort(type + 6, (short)GatewayFixture.DX2_INNER_VLAN, ByteOrder.BIG_ENDIAN);
            type += 8;
        }
        store.putShort(type, (short)etherType, ByteOrder.BIG_ENDIAN);
        return type + 2;
    }

    /** The TCP or UDP header and a payload of random bytes; the checksum field is left zero. */
    private void writeL4(final int l4, final int l4Length, final boolean tcp)
    {
        store.putShort(l4, (short)(1024 + random.nextInt(64512)), ByteOrder.BIG_ENDIAN);
        store.putShort(l4 + 2, (short)SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)], ByteOrder.BIG_ENDIAN);
        if (tcp)
        {
            store.putInt(l4 + 4, random.nextInt(), ByteOrder.BIG_ENDIAN);
            store.putInt(l4 + 8, random.nextInt(), ByteOrder.BIG_ENDIAN);
            store.putShort(l4 + 12, (short)0x5010, ByteOrder.BIG_ENDIAN);
            store.putShort(l4 + 14, (short)64240, ByteOrder.BIG_ENDIAN);
            store.putInt(l4 + 16, 0);
        }
        else
        {
            store.putShort(l4 + 4, (short)l4Length, ByteOrder.BIG_ENDIAN);
            store.putShort(l4 + 6, (short)0);
        }
        final int header = tcp ? TCP_HEADER : UDP_HEADER;
        for (int b = header; b < l4Length; b++)
        {
            store.putByte(l4 + b, (byte)random.nextInt());
        }
    }

    private void putL4Checksum(final int l4, final int l4Length, final boolean tcp, final long pseudoHeader)
    {
        int sum = InternetChecksum.finish(pseudoHeader + InternetChecksum.partial(store, l4, l4Length));
        if (!tcp && sum == 0)
        {
            sum = 0xFFFF;   // RFC 768: a computed zero is sent as all ones.
        }
        store.putShort(l4 + (tcp ? 16 : 6), (short)sum, ByteOrder.BIG_ENDIAN);
    }

    private int frameLength(final int headers)
    {
        final int wanted;
        switch (sizes)
        {
            case "64":
                wanted = 64;
                break;
            case "512":
                wanted = 512;
                break;
            default:
                final int r = random.nextInt(12);
                wanted = r < 7 ? 64 : r < 11 ? 570 : 1500;
                break;
        }
        return Math.max(wanted, headers);
    }
}
