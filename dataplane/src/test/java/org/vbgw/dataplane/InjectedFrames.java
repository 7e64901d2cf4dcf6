package org.vbgw.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.Port;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built frames an integration test puts on a wire directly, bypassing every network stack. */
final class InjectedFrames
{
    private InjectedFrames()
    {
    }

    /** An 802.1Q-tagged (VLAN {@code vid}, 0 for untagged) IPv4 UDP frame with a valid header checksum. */
    static byte[] udp(final long dstMac, final long srcMac, final int vid, final int src, final int dst,
        final int srcPort, final int dstPort)
    {
        final byte[] payload = "injected by the test".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer b = ByteBuffer.allocate((vid != 0 ? 18 : 14) + 28 + payload.length);
        putMac(b, dstMac);
        putMac(b, srcMac);
        if (vid != 0)
        {
            b.putShort((short)0x8100).putShort((short)vid);
        }
        b.putShort((short)0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)(28 + payload.length)).putShort((short)1).putShort((short)0)
            .put((byte)64).put((byte)17).putShort((short)0).putInt(src).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += ((b.get(ip + i) & 0xFF) << 8) | (b.get(ip + i + 1) & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        b.putShort(ip + 10, (short)~sum);
        // UDP checksum 0: none (RFC 768), legal over IPv4.
        b.putShort((short)srcPort).putShort((short)dstPort).putShort((short)(8 + payload.length)).putShort((short)0);
        b.put(payload);
        return b.array();
    }

    static void send(final Port port, final byte[] frame)
    {
        assertTrue(port.send(new UnsafeBuffer(frame), 0, frame.length), "sent on " + port.name());
        port.flush();
    }

    private static void putMac(final ByteBuffer b, final long mac)
    {
        for (int i = 5; i >= 0; i--)
        {
            b.put((byte)(mac >>> (8 * i)));
        }
    }
}
