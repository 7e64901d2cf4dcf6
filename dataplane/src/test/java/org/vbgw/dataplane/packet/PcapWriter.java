package org.vbgw.dataplane.packet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * A minimal classic-pcap writer (the libpcap file format: 24-byte global header, 16-byte record
 * headers, link type 1 = Ethernet) so tests can hand built frames to tshark.
 */
final class PcapWriter
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int count;

    PcapWriter()
    {
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xA1B2C3D4);
        header.putShort((short)2);
        header.putShort((short)4);
        header.putInt(0);
        header.putInt(0);
        header.putInt(65535);
        header.putInt(1);
        bytes.writeBytes(header.array());
    }

    PcapWriter add(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(1_700_000_000 + count);
        record.putInt(0);
        record.putInt(length);
        record.putInt(length);
        bytes.writeBytes(record.array());
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        bytes.writeBytes(frame);
        count++;
        return this;
    }

    int count()
    {
        return count;
    }

    void write(final Path path) throws IOException
    {
        Files.write(path, bytes.toByteArray());
    }
}
