package org.vbgw.io.linux;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.MacAddress;
import org.vbgw.io.lab.Netns;

/**
 * TCP and UDP that a namespace's kernel sends with checksum offload on (partial checksums on the wire of a
 * veth) reach a PacketSocket with their checksums completed: every delivered TCP/UDP frame verifies.
 */
class PacketSocketOffloadIT
{
    private static Netns nsA;
    private static Netns nsB;
    private static String ifA;
    private static String ifB;

    @BeforeAll
    static void createNamespaces()
    {
        nsA = Netns.create("vbgw-ola");
        nsB = Netns.create("vbgw-olb");
        ifA = Netns.interfaceName("ola");
        ifB = Netns.interfaceName("olb");
        nsA.veth(ifA, nsB, ifB, 1500);
        // The sender offloads checksums but not segmentation: partial checksums, MTU-sized frames.
        nsB.exec("ethtool", "-K", ifB, "tx", "on", "tso", "off", "gso", "off");
        nsB.exec("ip", "addr", "add", "10.98.0.2/24", "dev", ifB);
    }

    @AfterAll
    static void deleteNamespaces()
    {
        if (nsA != null)
        {
            nsA.close();
        }
        if (nsB != null)
        {
            nsB.close();
        }
    }

    @Test
    void partialChecksumsAreCompletedBeforeDelivery() throws IOException, InterruptedException
    {
        try (PacketSocket a = PacketSocketIT.open(nsA, ifA, new PacketSocketOptions()))
        {
            nsB.exec("ip", "neigh", "replace", "10.98.0.1", "lladdr", MacAddress.toString(a.macAddress()), "dev", ifB);
            final Process tcp = nsB.start("bash", "-c",
                "timeout 2 bash -c 'echo hello > /dev/tcp/10.98.0.1/5000'; " +
                "for i in 1 2 3; do head -c 700 /dev/zero > /dev/udp/10.98.0.1/5001; done");
            final int[] counts = new int[3]; // TCP, UDP, bad
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < deadline && (tcp.isAlive() || counts[0] == 0))
            {
                if (a.receive((buffer, offset, length) -> check(buffer, offset, length, counts), 16) == 0)
                {
                    Thread.sleep(1);
                }
            }
            tcp.waitFor(5, TimeUnit.SECONDS);
            a.receive((buffer, offset, length) -> check(buffer, offset, length, counts), 1000);
            assertTrue(counts[0] >= 1, "TCP SYNs seen: " + counts[0]);
            assertEquals(3, counts[1], "UDP datagrams seen");
            assertEquals(0, counts[2], "frames delivered with a wrong checksum");
            assertTrue(a.checksumsCompleted() >= counts[0] + counts[1],
                "the sender's checksums were partial and completed here: " + a.checksumsCompleted());
        }
    }

    /** Counts IPv4 TCP/UDP frames by whether their L4 checksum verifies (sums to 0xffff). */
    private static void check(final MutableDirectBuffer frame, final int offset, final int length, final int[] counts)
    {
        if ((frame.getShort(offset + 12, BIG_ENDIAN) & 0xFFFF) != 0x0800)
        {
            return;
        }
        final int ip = offset + 14;
        final int ihl = (frame.getByte(ip) & 0x0F) * 4;
        final int protocol = frame.getByte(ip + 9) & 0xFF;
        final int l4Length = (frame.getShort(ip + 2, BIG_ENDIAN) & 0xFFFF) - ihl;
        if (protocol != 6 && protocol != 17)
        {
            return;
        }
        final long sum = ChecksumCompletion.sum16(frame, ip + 12, 8) + protocol + l4Length +
            ChecksumCompletion.sum16(frame, ip + ihl, l4Length);
        if (ChecksumCompletion.fold(sum) != 0)
        {
            counts[2]++;
        }
        counts[protocol == 6 ? 0 : 1]++;
    }
}
