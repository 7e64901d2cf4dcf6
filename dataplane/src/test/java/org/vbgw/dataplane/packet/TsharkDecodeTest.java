package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hands frames built by the packet builders to tshark, an independent dissector, and checks that it
 * decodes them as intended with no malformed packet and no checksum error.
 */
class TsharkDecodeTest
{
    private static final long GW_MAC = 0x020000000001L;
    private static final long HOST_MAC = 0x020000000002L;
    private static final long HI = 0x20010DB800000000L;

    @TempDir
    Path dir;

    @Test
    void tsharkDecodesBuiltFramesWithoutErrors() throws Exception
    {
        final String tshark = findTshark();
        assumeTrue(tshark != null, "tshark is not installed (apt-get install -y tshark); skipping the decode check");

        final PcapWriter pcap = new PcapWriter();
        final List<String> expectedInfo = new ArrayList<>();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
        final EthernetEncap untagged = new EthernetEncap().set(GW_MAC, 0, 0);
        final EthernetEncap vlan = new EthernetEncap().set(GW_MAC, 100, 0);
        final EthernetEncap qinq = new EthernetEncap().set(GW_MAC, 200, 100);

        final ArpPacketBuilder arp = new ArpPacketBuilder();
        pcap.add(out, 0, arp.request(out, 0, vlan, 0x0A000001, 0x0A000002));
        expectedInfo.add("Who has 10.0.0.2? Tell 10.0.0.1");
        pcap.add(out, 0, arp.reply(out, 0, untagged, 0x0A000001, HOST_MAC, 0x0A000002));
        expectedInfo.add("10.0.0.1 is at 02:00:00:00:00:01");
        pcap.add(out, 0, arp.gratuitous(out, 0, qinq, 0x0A000001));
        expectedInfo.add("ARP Announcement for 10.0.0.1"); // RFC 5227 §3 naming

        final IcmpErrorBuilder icmp = new IcmpErrorBuilder();
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(IcmpErrorBuilderTest.INVOKING));
        pcap.add(out, 0, icmp.timeExceeded(out, 0, vlan, HOST_MAC, 0x0A000001, invoking, 0));
        expectedInfo.add("Time-to-live exceeded");
        pcap.add(out, 0, icmp.fragmentationNeeded(out, 0, qinq, HOST_MAC, 0x0A000001, 1400, invoking, 0));
        expectedInfo.add("Fragmentation needed");
        pcap.add(out, 0, icmp.destinationUnreachable(out, 0, untagged, HOST_MAC, 0x0A000001,
            IcmpFlyweight.CODE_ADMIN_PROHIBITED, invoking, 0));
        expectedInfo.add("Communication administratively filtered");

        final UnsafeBuffer echo4 = new UnsafeBuffer(Hex.bytes(EchoResponderTest.ECHO4_REQUEST));
        assertEquals(PacketError.OK, EchoResponder.replyIpv4(echo4, 0, 14));
        pcap.add(echo4, 0, echo4.capacity());
        expectedInfo.add("Echo (ping) reply");
        final UnsafeBuffer echo6 = new UnsafeBuffer(Hex.bytes(EchoResponderTest.ECHO6_REQUEST));
        assertEquals(PacketError.OK, EchoResponder.replyIpv6(echo6, 0, 18));
        pcap.add(echo6, 0, echo6.capacity());
        expectedInfo.add("Echo (ping) reply");

        final Icmpv6ErrorBuilder icmp6 = new Icmpv6ErrorBuilder();
        final UnsafeBuffer invoking6 = new UnsafeBuffer(Hex.bytes(Icmpv6ErrorBuilderTest.INVOKING));
        pcap.add(out, 0, icmp6.timeExceeded(out, 0, vlan, HOST_MAC, HI, 1, invoking6, 0));
        expectedInfo.add("Time Exceeded (hop limit exceeded in transit)");
        final byte[] big = new byte[1440];
        System.arraycopy(Hex.bytes(Icmpv6ErrorBuilderTest.INVOKING), 0, big, 0, 40);
        final UnsafeBuffer bigInvoking = new UnsafeBuffer(big);
        bigInvoking.putShort(4, (short)1400, java.nio.ByteOrder.BIG_ENDIAN);
        bigInvoking.putShort(44, (short)1400, java.nio.ByteOrder.BIG_ENDIAN); // UDP length
        pcap.add(out, 0, icmp6.packetTooBig(out, 0, untagged, HOST_MAC, HI, 1, 1300, bigInvoking, 0));
        expectedInfo.add("Packet Too Big");
        pcap.add(out, 0, icmp6.destinationUnreachable(out, 0, qinq, HOST_MAC, HI, 1,
            Icmpv6Flyweight.CODE_NO_ROUTE, invoking6, 0));
        expectedInfo.add("Destination Unreachable (no route to destination)");

        final NdpPacketBuilder ndp = new NdpPacketBuilder();
        pcap.add(out, 0, ndp.solicitation(out, 0, vlan, HI, 1, HI, 0x11223344L));
        expectedInfo.add("Neighbor Solicitation for 2001:db8::1122:3344 from 02:00:00:00:00:01");
        pcap.add(out, 0, ndp.advertisement(out, 0, untagged, HOST_MAC, HI, 0x11223344L, HI, 1,
            NdpFlyweight.FLAG_ROUTER | NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE));
        expectedInfo.add("Neighbor Advertisement 2001:db8::1 (rtr, sol, ovr) is at 02:00:00:00:00:01");

        // A UDP datagram with a valid checksum, fragmented for MTU 576: tshark reassembles it and
        // checks the UDP checksum over the reassembled payload.
        final byte[] datagram = new byte[20 + 8 + 1200];
        final UnsafeBuffer udpPacket = new UnsafeBuffer(datagram);
        for (int i = 28; i < datagram.length; i++)
        {
            datagram[i] = (byte)i;
        }
        new UdpFlyweight().wrap(udpPacket, 20).srcPort(40000).dstPort(9).length(1208)
            .updateChecksum(InternetChecksum.ipv4PseudoHeader(0x0A010101, 0x0A020202, 17, 1208));
        new Ipv4Flyweight().wrap(udpPacket, 0).versionAndHeaderLength(20).totalLength(datagram.length)
            .identification(0x4242).ttl(64).protocol(17).srcAddress(0x0A010101).dstAddress(0x0A020202)
            .updateChecksum();
        final int l2 = vlan.write(out, 0, HOST_MAC, EthernetFlyweight.ETHER_TYPE_IPV4);
        final int fragments = new Ipv4Fragmenter().fragment(udpPacket, 0, 576, out, l2,
            new Ipv4Fragmenter.FragmentSink()
            {
                @Override
                public void onFragment(final MutableDirectBuffer buffer, final int offset, final int length, final int index)
                {
                    pcap.add(buffer, offset - l2, length + l2);
                }
            });
        assertEquals(3, fragments);
        expectedInfo.add("Fragmented IP protocol");
        expectedInfo.add("Fragmented IP protocol");
        expectedInfo.add("Len=1200"); // the reassembled UDP datagram

        final File file = dir.resolve("built.pcap").toFile();
        pcap.write(file.toPath());

        final List<String> info = run(tshark, "-r", file.getPath(), "-o", "ip.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE", "-T", "fields", "-e", "_ws.col.Info");
        assertEquals(pcap.count(), info.size(), () -> "tshark lines: " + info);
        for (int i = 0; i < expectedInfo.size(); i++)
        {
            final String line = info.get(i).replaceAll("\\s+", " ");
            final String expected = expectedInfo.get(i).replaceAll("\\s+", " ");
            final int frame = i + 1;
            assertTrue(line.contains(expected), () -> "frame " + frame + ": expected '" + expected + "' in '" + line + "'");
        }

        final List<String> problems = run(tshark, "-r", file.getPath(), "-o", "ip.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE", "-Y", "_ws.malformed || _ws.expert.severity >= \"Warning\"",
            "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message");
        assertTrue(problems.isEmpty(), () -> "tshark reports problems: " + problems);

        // Control: the same filter does flag a corrupted IPv4 header checksum, an ICMP checksum
        // and a truncated frame, so an empty result above means something.
        final PcapWriter bad = new PcapWriter();
        final UnsafeBuffer corrupt = new UnsafeBuffer(new byte[128]);
        int length = icmp.timeExceeded(corrupt, 0, untagged, HOST_MAC, 0x0A000001, invoking, 0);
        corrupt.putByte(25, (byte)(corrupt.getByte(25) ^ 0x40));
        bad.add(corrupt, 0, length);
        length = icmp.timeExceeded(corrupt, 0, untagged, HOST_MAC, 0x0A000001, invoking, 0);
        corrupt.putByte(37, (byte)(corrupt.getByte(37) ^ 0x01));
        bad.add(corrupt, 0, length);
        length = ndp.solicitation(corrupt, 0, untagged, HI, 1, HI, 0x11223344L);
        bad.add(corrupt, 0, length - 5);
        final File badFile = dir.resolve("corrupt.pcap").toFile();
        bad.write(badFile.toPath());
        final List<String> flagged = run(tshark, "-r", badFile.getPath(), "-o", "ip.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE", "-Y", "_ws.malformed || _ws.expert.severity >= \"Warning\"",
            "-T", "fields", "-e", "frame.number");
        assertEquals(List.of("1", "2", "3"), flagged);
    }

    private static String findTshark()
    {
        for (final String dirName : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
        {
            final File candidate = new File(dirName, "tshark");
            if (candidate.canExecute())
            {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static List<String> run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        final byte[] stdout = process.getInputStream().readAllBytes();
        final byte[] stderr = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark timed out");
        assertEquals(0, process.exitValue(), () -> "tshark failed: " + new String(stderr, StandardCharsets.UTF_8));
        final List<String> lines = new ArrayList<>();
        for (final String line : new String(stdout, StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isBlank())
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
