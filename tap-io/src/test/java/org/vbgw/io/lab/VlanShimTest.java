package org.vbgw.io.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.io.MemoryPort;

/**
 * The shim between two pairs of in-memory ports: host ⇄ access [shim] trunk ⇄ gateway. Frames keep every
 * byte but the tags, which are pushed towards the trunk and popped from it; other VLANs and untagged
 * frames on the trunk are dropped and counted.
 */
class VlanShimTest
{
    private final MemoryPort[] hostSide = MemoryPort.pair("host", "access", 1 << 16, 1500);
    private final MemoryPort[] trunkSide = MemoryPort.pair("trunk", "gateway", 1 << 16, 1500);
    private final MemoryPort host = hostSide[0];
    private final MemoryPort gateway = trunkSide[1];

    @Test
    void pushesAndPopsOneTag()
    {
        final VlanShim shim = VlanShim.dot1q(hostSide[1], trunkSide[0], 100);
        final byte[] untagged = frame(new byte[0], 0x0800, 60);
        send(host, untagged);
        assertEquals(1, shim.doWork());
        final List<byte[]> atGateway = drain(gateway);
        assertEquals(1, atGateway.size());
        assertArrayEquals(frame(new byte[] {(byte)0x81, 0, 0, 100}, 0x0800, 60), atGateway.get(0));

        send(gateway, frame(new byte[] {(byte)0x81, 0, (byte)0xA0, 100}, 0x86DD, 80)); // PCP 5, VID 100
        assertEquals(1, shim.doWork());
        final List<byte[]> atHost = drain(host);
        assertEquals(1, atHost.size());
        assertArrayEquals(frame(new byte[0], 0x86DD, 80), atHost.get(0));
        assertEquals(1, shim.toTrunk());
        assertEquals(1, shim.toAccess());
    }

    @Test
    void dropsOtherVlansAndUntaggedFramesFromTheTrunk()
    {
        final VlanShim shim = VlanShim.dot1q(hostSide[1], trunkSide[0], 100);
        send(gateway, frame(new byte[] {(byte)0x81, 0, 0, (byte)200}, 0x0800, 64));
        send(gateway, frame(new byte[] {(byte)0x81, 0, 1, 100}, 0x0800, 64)); // VID 356: 0x164
        send(gateway, frame(new byte[] {(byte)0x88, (byte)0xA8, 0, 100}, 0x0800, 64)); // right VID, wrong TPID
        send(gateway, frame(new byte[0], 0x0800, 64));
        assertEquals(4, shim.doWork());
        assertTrue(drain(host).isEmpty());
        assertEquals(3, shim.droppedOtherVlan());
        assertEquals(1, shim.droppedUntagged());
        assertEquals(0, shim.toAccess());
    }

    @Test
    void pushesAndPopsAQinQPair()
    {
        final VlanShim shim = VlanShim.qinq(hostSide[1], trunkSide[0], VlanShim.TPID_8021AD, 300, 42);
        final byte[] tags = {(byte)0x88, (byte)0xA8, 1, 0x2C, (byte)0x81, 0, 0, 42};
        send(host, frame(new byte[0], 0x0806, 60));
        send(host, frame(new byte[0], 0x0800, 1514));
        shim.doWork();
        final List<byte[]> atGateway = drain(gateway);
        assertEquals(2, atGateway.size());
        assertArrayEquals(frame(tags, 0x0806, 60), atGateway.get(0));
        assertArrayEquals(frame(tags, 0x0800, 1514), atGateway.get(1));

        send(gateway, frame(tags, 0x0800, 100));
        send(gateway, frame(new byte[] {(byte)0x88, (byte)0xA8, 1, 0x2C, (byte)0x81, 0, 0, 43}, 0x0800, 100));
        shim.doWork();
        final List<byte[]> atHost = drain(host);
        assertEquals(1, atHost.size(), "only the right inner VLAN passes");
        assertArrayEquals(frame(new byte[0], 0x0800, 100), atHost.get(0));
        assertEquals(1, shim.droppedOtherVlan());
    }

    @Test
    void refusesInvalidVlanIds()
    {
        assertThrows(IllegalArgumentException.class, () -> VlanShim.dot1q(hostSide[1], trunkSide[0], 0));
        assertThrows(IllegalArgumentException.class, () -> VlanShim.dot1q(hostSide[1], trunkSide[0], 4095));
        assertThrows(IllegalArgumentException.class, () -> VlanShim.qinq(hostSide[1], trunkSide[0], 0x88A8, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> VlanShim.qinq(hostSide[1], trunkSide[0], 0x0800, 10, 20));
    }

    /**
     * A frame: fixed MACs, then {@code tags}, then the EtherType and a payload of recognisable bytes, so that
     * the untagged length is {@code untaggedLength}.
     */
    private static byte[] frame(final byte[] tags, final int etherType, final int untaggedLength)
    {
        final ByteBuffer b = ByteBuffer.allocate(untaggedLength + tags.length);
        b.put(new byte[] {2, 0, 0, 0, 0, (byte)0xB1, 2, 0, 0, 0, 0, (byte)0xA1});
        b.put(tags);
        b.putShort((short)etherType);
        for (int i = 0; b.hasRemaining(); i++)
        {
            b.put((byte)(i * 7 + 3));
        }
        return b.array();
    }

    private static void send(final MemoryPort port, final byte[] frame)
    {
        assertTrue(port.send(new UnsafeBuffer(frame), 0, frame.length));
    }

    private static List<byte[]> drain(final MemoryPort port)
    {
        final List<byte[]> out = new ArrayList<>();
        port.receive((MutableDirectBuffer b, int o, int l) ->
        {
            final byte[] f = new byte[l];
            b.getBytes(o, f);
            out.add(f);
        }, 100);
        return out;
    }
}
