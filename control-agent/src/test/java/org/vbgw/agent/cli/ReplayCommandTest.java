package org.vbgw.agent.cli;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.io.pcap.PcapReader;
import org.vbgw.io.pcap.PcapWriter;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays captured frames through the active/standby example and explains each one. */
class ReplayCommandTest
{
    @TempDir
    Path dir;

    /** An untagged UDP/IPv4 frame from a VPC host to {@code dst}, addressed to the VPC port's MAC. */
    static byte[] fromVpc(final int dst, final int vlan)
    {
        final ByteBuffer b = ByteBuffer.allocate((vlan != 0 ? 18 : 14) + 28);
        b.putShort((short)0x0200).putInt(0x00000003);          // the VPC port's MAC in a replay: 02:00:00:00:00:03
        b.putShort((short)0x0200).putInt(0x000000C8);
        if (vlan != 0)
        {
            b.putShort((short)0x8100).putShort((short)vlan);
        }
        b.putShort((short)0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)28).putShort((short)1).putShort((short)0).put((byte)64)
            .put((byte)17).putShort((short)0).putInt(0xC0A80A0A).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += ((b.get(ip + i) & 0xFF) << 8) | (b.get(ip + i + 1) & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        b.putShort(ip + 10, (short)~((sum & 0xFFFF) + (sum >>> 16)));
        b.putShort((short)1000).putShort((short)2000).putShort((short)8).putShort((short)0);
        return b.array();
    }

    @Test
    void tracesEachFrameAndWritesWhatEachPortSends()
    {
        final Path in = dir.resolve("vpc-in.pcap");
        try (PcapWriter w = new PcapWriter(in, 65535))
        {
            for (final byte[] f : List.of(fromVpc(0xAC1F0009, 0), fromVpc(0x0B000001, 0), fromVpc(0xAC1F0009, 77)))
            {
                w.write(new UnsafeBuffer(f), 0, f.length, 1_700_000_000_000_000_000L);
            }
        }
        final StringWriter out = new StringWriter();
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        final Path outDir = dir.resolve("out");
        assertEquals(0, cl.execute("replay", "examples/active-standby.yaml", "--in", "vpc-side=" + in,
            "--out", outDir.toString(), "--trace"), out.toString());
        final String text = out.toString();
        assertTrue(text.contains("#1 vpc-side: vif vpc-001 -> forwarded via 10.0.0.2 on vif vif-biere (next hop"), text);
        assertTrue(text.contains("#2 vpc-side: vif vpc-001 -> drop_no_route"), text);
        assertTrue(text.contains("#3 vpc-side: drop_unknown_vlan"), text);
        assertTrue(text.contains("3 frames replayed"), text);

        final List<byte[]> sent = new ArrayList<>();
        try (PcapReader r = new PcapReader(outDir.resolve("dc-biere.pcap")))
        {
            while (r.next((b, o, l) ->
            {
                final byte[] f = new byte[l];
                b.getBytes(o, f);
                sent.add(f);
            }))
            {
                // read all
            }
        }
        // The gateway's own ARP (announcing its address, asking for the next hop) goes out too, as it would live.
        final List<byte[]> ipv4 = sent.stream().filter(f -> f[16] == 0x08 && f[17] == 0x00).toList();
        assertEquals(1, ipv4.size(), "the frame for the static route left on the primary line, and nothing else");
        assertEquals(30, ipv4.get(0)[15] & 0xFF, "tagged with the primary VIF's VLAN");
        assertEquals(0x02FE0A000002L, ByteBuffer.wrap(ipv4.get(0), 0, 8).getLong() >>> 16, "synthetic neighbour MAC");
        assertEquals(63, ipv4.get(0)[18 + 8] & 0xFF);
        assertTrue(sent.stream().allMatch(f -> (f[15] & 0xFF) == 30), "everything on that line carries VLAN 30");
    }
}
