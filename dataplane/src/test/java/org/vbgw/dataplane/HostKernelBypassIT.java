package org.vbgw.dataplane;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;
import org.vbgw.io.lab.Netns;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bypass on a real interface: a veth whose root-namespace end has an address, pinged from a namespace
 * the test creates. With the bypass the root kernel stops answering while an AF_PACKET socket on the same
 * interface still receives the echo requests; after close() it answers again and the table is gone.
 */
class HostKernelBypassIT
{
    private static Netns peer;
    private static String rootEnd;
    private static String localAddress;

    @BeforeAll
    static void createVeth()
    {
        peer = Netns.create("vbgw-hkb");
        rootEnd = Netns.interfaceName("hkb");
        final String peerEnd = Netns.interfaceName("hkp");
        // 198.18.0.0/15 is reserved for benchmarks (RFC 2544): a random /30 in it collides with nothing real.
        final int subnet = ThreadLocalRandom.current().nextInt(1 << 14) * 4;
        final String prefix = "198." + (18 + (subnet >>> 16)) + "." + ((subnet >>> 8) & 0xFF) + ".";
        localAddress = prefix + ((subnet & 0xFF) + 1);
        final String peerAddress = prefix + ((subnet & 0xFF) + 2);
        Netns.run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", peerEnd, "netns", peer.name());
        Netns.run("sysctl", "-qw", "net.ipv6.conf." + rootEnd + ".disable_ipv6=1");
        Netns.run("ethtool", "-K", rootEnd, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        Netns.run("ip", "addr", "add", localAddress + "/30", "dev", rootEnd);
        Netns.run("ip", "link", "set", rootEnd, "up");
        peer.exec("sysctl", "-qw", "net.ipv6.conf." + peerEnd + ".disable_ipv6=1");
        peer.exec("ip", "addr", "add", peerAddress + "/30", "dev", peerEnd);
        peer.exec("ip", "link", "set", peerEnd, "up");
    }

    @AfterAll
    static void deleteVeth()
    {
        if (peer != null)
        {
            // Deleting the namespace deletes the veth pair, the root end included.
            peer.close();
        }
    }

    @Test
    void kernelStopsAnsweringWhilePacketSocketStillReceives() throws Exception
    {
        assertTrue(ping(), "the root kernel answers before the bypass");
        try (PacketSocket socket = PacketSocket.open(rootEnd, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.SEND, 1)))
        {
            final HostKernelBypass bypass = HostKernelBypass.install(List.of(rootEnd));
            try
            {
                assertTrue(Netns.run("nft", "list", "table", "netdev", bypass.table()).contains(rootEnd));
                drain(socket);
                assertFalse(ping(), "the root kernel no longer answers");
                final int[] echoRequests = new int[1];
                socket.receive((MutableDirectBuffer b, int o, int l) ->
                {
                    if (l >= 34 && b.getShort(o + 12, ByteOrder.BIG_ENDIAN) == 0x0800 && b.getByte(o + 23) == 1 &&
                        b.getByte(o + 34) == 8)
                    {
                        echoRequests[0]++;
                    }
                }, 1000);
                assertTrue(echoRequests[0] >= 1, "AF_PACKET still sees the echo requests: " + echoRequests[0]);
            }
            finally
            {
                bypass.close();
            }
            bypass.close();
            assertThrows(IllegalStateException.class,
                () -> Netns.run("nft", "list", "table", "netdev", bypass.table()), "close() removed the table");
            assertTrue(ping(), "the root kernel answers again after close()");
        }
    }

    private static boolean ping()
    {
        try
        {
            peer.exec("ping", "-c", "2", "-i", "0.2", "-W", "1", "-q", localAddress);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    private static void drain(final PacketSocket socket)
    {
        while (socket.receive((b, o, l) -> { }, 1000) > 0)
        {
            Thread.onSpinWait();
        }
    }
}
