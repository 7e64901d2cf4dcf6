package org.vbgw.io.linux;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.LinkState;
import org.vbgw.io.PortException;
import org.vbgw.io.testing.Capabilities;
import org.vbgw.io.lab.Netns;

/**
 * A TAP device in a namespace the test creates: the namespace's kernel pings an address behind the TAP
 * and Java answers its ARP requests and ICMP echo requests, crafted here.
 */
class TapDeviceIT
{
    private static final long JAVA_MAC = 0x02_00_00_00_77_01L;
    private static final int KERNEL_IP = 0x0A_63_00_01; // 10.99.0.1
    private static final int JAVA_IP = 0x0A_63_00_02;   // 10.99.0.2

    private static Netns ns;

    @BeforeAll
    static void createNamespace()
    {
        ns = Netns.create("vbgw-tap");
    }

    @AfterAll
    static void deleteNamespace()
    {
        if (ns != null)
        {
            ns.close();
        }
    }

    @Test
    void kernelPingsAndJavaAnswers() throws Exception
    {
        final String name = Netns.interfaceName("tap");
        try (TapDevice tap = open(name, false))
        {
            ns.exec("sysctl", "-qw", "net.ipv6.conf." + name + ".disable_ipv6=1");
            tap.mtu(1400).macAddress(0x02_00_00_00_77_FFL).up(true);
            assertEquals(1400, tap.mtu());
            assertEquals(0x02_00_00_00_77_FFL, tap.macAddress());
            ns.exec("ip", "addr", "add", "10.99.0.1/24", "dev", name);

            final Process ping = ns.start("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.0.2");
            final int[] answered = new int[2];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ping.isAlive() && System.nanoTime() < deadline)
            {
                if (tap.receive((buffer, offset, length) ->
                {
                    // Like every port, a TAP leaves headroom for a longer L2 header in front of each frame.
                    assertTrue(offset >= org.vbgw.io.Port.FRAME_HEADROOM, "headroom before the frame: " + offset);
                    answer(tap, buffer, offset, length, answered);
                }, 16) == 0)
                {
                    Thread.sleep(1);
                }
            }
            assertTrue(ping.waitFor(5, TimeUnit.SECONDS));
            final String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, ping.exitValue(), output);
            assertTrue(output.contains("3 received"), output);
            assertTrue(answered[0] >= 1, "ARP requests answered");
            assertEquals(3, answered[1], "echo requests answered");
            assertEquals(LinkState.UP, tap.linkState());
            assertTrue(tap.statistics().txFrames() >= 4);

            // TCP from the kernel through a TAP carries complete checksums (the TAP offers no offload).
            final Process syn = ns.start("timeout", "1", "bash", "-c", "echo > /dev/tcp/10.99.0.2/5000");
            final int[] tcp = new int[2];
            final long synDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (tcp[0] == 0 && System.nanoTime() < synDeadline)
            {
                if (tap.receive((buffer, offset, length) -> checkTcp(buffer, offset, tcp), 16) == 0)
                {
                    Thread.sleep(1);
                }
            }
            syn.waitFor(3, TimeUnit.SECONDS);
            assertTrue(tcp[0] >= 1, "a TCP SYN arrived");
            assertEquals(0, tcp[1], "TCP segments with a wrong checksum");
        }
    }

    private static void checkTcp(final MutableDirectBuffer frame, final int offset, final int[] counts)
    {
        if ((frame.getShort(offset + 12, BIG_ENDIAN) & 0xFFFF) != 0x0800 || frame.getByte(offset + 23) != 6)
        {
            return;
        }
        final int ip = offset + 14;
        final int ihl = (frame.getByte(ip) & 0x0F) * 4;
        final int l4Length = (frame.getShort(ip + 2, BIG_ENDIAN) & 0xFFFF) - ihl;
        final long sum = ChecksumCompletion.sum16(frame, ip + 12, 8) + 6 + l4Length +
            ChecksumCompletion.sum16(frame, ip + ihl, l4Length);
        counts[0]++;
        if (ChecksumCompletion.fold(sum) != 0)
        {
            counts[1]++;
        }
    }

    @Test
    void multiQueueAttachesQueuesToOneInterface()
    {
        final String name = Netns.interfaceName("tapq");
        try (TapDevice q0 = open(name, true); TapDevice q1 = open(name, true))
        {
            assertEquals(q0.ifIndex(), q1.ifIndex());
            final String queues = ns.exec("ls", "/sys/class/net/" + name + "/queues");
            assertTrue(queues.contains("rx-0") && queues.contains("rx-1"), queues);
        }
        final IllegalStateException gone = assertThrows(IllegalStateException.class,
            () -> ns.exec("ip", "link", "show", name));
        assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
    }

    @Test
    void badNameIsRefusedNamingIt()
    {
        final PortException ex = assertThrows(PortException.class, () -> TapDevice.open("name-longer-than-15", false));
        assertTrue(ex.getMessage().startsWith("name-longer-than-15:"), ex.getMessage());
        final String name = Netns.interfaceName("tapx");
        final TapDevice plain = open(name, false);
        final PortException busy = assertThrows(PortException.class, () -> open(name, true));
        assertTrue(busy.getMessage().contains(name) && busy.getMessage().contains("TUNSETIFF"), busy.getMessage());
        plain.close();
        plain.close();
        assertEquals(LinkState.UNKNOWN, plain.linkState());
    }

    @Test
    void withoutCapNetAdminTheErrorSaysWhatIsMissing() throws InterruptedException
    {
        final String name = Netns.interfaceName("tapn");
        final Throwable thrown = Capabilities.runWithout(() -> open(name, false), Capabilities.CAP_NET_ADMIN);
        assertTrue(thrown instanceof PortException, String.valueOf(thrown));
        assertTrue(thrown.getMessage().startsWith(name + ": ioctl(TUNSETIFF, IFF_TAP) failed: Operation not permitted"),
            thrown.getMessage());
    }

    private static TapDevice open(final String name, final boolean multiQueue)
    {
        return ns.call(() -> TapDevice.open(name, multiQueue));
    }

    /** Answers an ARP request for JAVA_IP or an ICMP echo request to it, in place, and sends it back. */
    private static void answer(
        final TapDevice tap, final MutableDirectBuffer frame, final int offset, final int length, final int[] answered)
    {
        final int etherType = frame.getShort(offset + 12, BIG_ENDIAN) & 0xFFFF;
        final long requester = mac(frame, offset + 6);
        if (etherType == 0x0806 && frame.getShort(offset + 20, BIG_ENDIAN) == 1 &&
            frame.getInt(offset + 38, BIG_ENDIAN) == JAVA_IP)
        {
            putMac(frame, offset, requester);
            putMac(frame, offset + 6, JAVA_MAC);
            frame.putShort(offset + 20, (short)2, BIG_ENDIAN);
            final int senderIp = frame.getInt(offset + 28, BIG_ENDIAN);
            putMac(frame, offset + 32, requester);
            frame.putInt(offset + 38, senderIp, BIG_ENDIAN);
            putMac(frame, offset + 22, JAVA_MAC);
            frame.putInt(offset + 28, JAVA_IP, BIG_ENDIAN);
            assertTrue(tap.send(frame, offset, length));
            answered[0]++;
        }
        else if (etherType == 0x0800 && (frame.getByte(offset + 23) & 0xFF) == 1 &&
            frame.getInt(offset + 30, BIG_ENDIAN) == JAVA_IP)
        {
            final int ip = offset + 14;
            final int ihl = (frame.getByte(ip) & 0x0F) * 4;
            final int icmp = ip + ihl;
            if (frame.getByte(icmp) != 8)
            {
                return;
            }
            assertEquals(KERNEL_IP, frame.getInt(ip + 12, BIG_ENDIAN));
            putMac(frame, offset, requester);
            putMac(frame, offset + 6, JAVA_MAC);
            frame.putInt(ip + 12, JAVA_IP, BIG_ENDIAN);
            frame.putInt(ip + 16, KERNEL_IP, BIG_ENDIAN);
            frame.putShort(ip + 10, (short)0);
            frame.putShort(ip + 10, (short)ChecksumCompletion.fold(ChecksumCompletion.sum16(frame, ip, ihl)), BIG_ENDIAN);
            final int icmpLength = (frame.getShort(ip + 2, BIG_ENDIAN) & 0xFFFF) - ihl;
            frame.putByte(icmp, (byte)0);
            frame.putShort(icmp + 2, (short)0);
            frame.putShort(icmp + 2, (short)ChecksumCompletion.fold(ChecksumCompletion.sum16(frame, icmp, icmpLength)),
                BIG_ENDIAN);
            assertTrue(tap.send(frame, offset, length));
            answered[1]++;
        }
    }

    private static long mac(final MutableDirectBuffer frame, final int at)
    {
        return ((frame.getShort(at, BIG_ENDIAN) & 0xFFFFL) << 32) | (frame.getInt(at + 2, BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    private static void putMac(final MutableDirectBuffer frame, final int at, final long mac)
    {
        frame.putShort(at, (short)(mac >>> 32), BIG_ENDIAN);
        frame.putInt(at + 2, (int)mac, BIG_ENDIAN);
    }
}
