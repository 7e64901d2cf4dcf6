package org.vbgw.io.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.io.PortException;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.testing.TestFrames;

/** Capture files written by PcapPort read by tshark, and files tshark writes (pcap, pcapng) read back. */
class PcapPortIT
{
    private static final int[] SIZES = {60, 64, 100, 1514, 1518, 1522, 9000};

    @TempDir
    Path dir;

    @Test
    void tsharkReadsWhatPcapPortWrites()
    {
        final List<byte[]> frames = frames();
        final Path file = dir.resolve("capture.pcap");
        write(file, frames);

        final String lengths = Netns.run("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.len");
        final List<Integer> expected = new ArrayList<>();
        frames.forEach(f -> expected.add(f.length));
        assertEquals(expected, lengths.lines().map(Integer::parseInt).toList());

        final List<byte[]> dumped = parseHexDump(Netns.run("tshark", "-r", file.toString(), "-x"));
        assertEquals(frames.size(), dumped.size());
        for (int i = 0; i < frames.size(); i++)
        {
            assertArrayEquals(frames.get(i), dumped.get(i), "frame " + i);
        }
    }

    @Test
    void pcapAndPcapngFromTsharkReadBack()
    {
        final List<byte[]> frames = frames();
        final Path ours = dir.resolve("ours.pcap");
        write(ours, frames);
        final Path pcapng = dir.resolve("converted.pcapng");
        Netns.run("tshark", "-r", ours.toString(), "-F", "pcapng", "-w", pcapng.toString());
        final Path nanoPcap = dir.resolve("converted-nsec.pcap");
        Netns.run("tshark", "-r", ours.toString(), "-F", "nsecpcap", "-w", nanoPcap.toString());

        for (final Path file : List.of(ours, pcapng, nanoPcap))
        {
            final List<byte[]> read = new ArrayList<>();
            final List<Long> times = new ArrayList<>();
            try (PcapPort port = PcapPort.open("replay", file, null, 9000, 0))
            {
                while (!port.exhausted())
                {
                    port.receive((buffer, offset, length) ->
                    {
                        read.add(TestFrames.copy(buffer, offset, length));
                        times.add(port.lastTimestampNs());
                    }, 3);
                }
                assertEquals(frames.size(), port.statistics().rxFrames(), file.toString());
            }
            assertEquals(frames.size(), read.size(), file.toString());
            for (int i = 0; i < frames.size(); i++)
            {
                assertArrayEquals(frames.get(i), read.get(i), file + " frame " + i);
            }
            final long now = System.currentTimeMillis() * 1_000_000L;
            assertTrue(Math.abs(now - times.get(0)) < 600_000_000_000L, file + ": timestamp " + times.get(0));
        }
    }

    @Test
    void replayedFramesAreWritableWithoutChangingTheFile() throws IOException
    {
        final Path file = dir.resolve("rewrite.pcap");
        write(file, frames());
        final byte[] before = Files.readAllBytes(file);
        try (PcapPort port = PcapPort.open("replay", file, null, 9000, 0))
        {
            port.receive((buffer, offset, length) -> buffer.putByte(offset, (byte)0x55), 100);
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void badFilesAreNamed() throws IOException
    {
        final Path text = dir.resolve("not-a-capture.txt");
        Files.writeString(text, "this is not a capture file at all");
        final PortException ex = assertThrows(PortException.class, () -> PcapPort.open("replay", text, null, 1500, 0));
        assertTrue(ex.getMessage().contains("not-a-capture.txt") && ex.getMessage().contains("not a pcap"), ex.getMessage());
        final Path missing = dir.resolve("missing.pcap");
        final PortException gone = assertThrows(PortException.class, () -> PcapPort.open("replay", missing, null, 1500, 0));
        assertTrue(gone.getMessage().contains("missing.pcap"), gone.getMessage());
    }

    private static List<byte[]> frames()
    {
        final List<byte[]> frames = new ArrayList<>();
        int sequence = 0;
        for (final int size : SIZES)
        {
            frames.add(TestFrames.frame(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, 0, 0, 0, sequence++, size));
            frames.add(TestFrames.frame(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, 0x8100, 100, 0, sequence++, size));
            frames.add(TestFrames.frame(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, 0x88A8, 300, 200, sequence++, size));
        }
        return frames;
    }

    private static void write(final Path file, final List<byte[]> frames)
    {
        try (PcapPort port = PcapPort.open("capture", null, file, 9000, 0))
        {
            for (final byte[] f : frames)
            {
                assertTrue(port.send(new UnsafeBuffer(f), 0, f.length));
            }
            port.flush();
            assertEquals(0, port.receive((b, o, l) -> { }, 10));
        }
    }

    /** Frames from {@code tshark -x}: blocks of "offset  hex bytes  ascii" lines, separated by blank lines. */
    private static List<byte[]> parseHexDump(final String dump)
    {
        final List<byte[]> frames = new ArrayList<>();
        java.io.ByteArrayOutputStream current = null;
        for (final String line : dump.split("\n"))
        {
            if (line.isBlank())
            {
                if (current != null)
                {
                    frames.add(current.toByteArray());
                    current = null;
                }
                continue;
            }
            if (current == null)
            {
                current = new java.io.ByteArrayOutputStream();
            }
            final String hex = line.substring(6, Math.min(line.length(), 6 + 48)).trim();
            for (final String token : hex.split("\\s+"))
            {
                current.write(Integer.parseInt(token, 16));
            }
        }
        if (current != null)
        {
            frames.add(current.toByteArray());
        }
        return frames;
    }
}
