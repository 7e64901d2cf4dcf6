package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Splits an IPv4 packet larger than an egress MTU into fragments (RFC 791 §2.3 "Fragmentation and
 * reassembly", §3.2 procedure; RFC 1812 §5.2.6), writing each into one caller-supplied buffer and
 * handing it to a {@link FragmentSink} before writing the next.
 * <p>
 * Fragment payloads are multiples of 8 bytes except the last (offsets count 8-byte units); every
 * fragment but the last has MF set, the last keeps the original MF (so fragmenting a fragment
 * works), offsets add to the original offset. The first fragment carries all options; later ones
 * only those whose copy flag (bit 0 of the option type) is set, padded to a 4-byte boundary with
 * end-of-option-list bytes (RFC 791 §3.1 "Options"). Each fragment gets its own header checksum.
 * Only the IP part is written, at {@code outOffset}: the caller puts the Ethernet header before it
 * once (the same for every fragment) and sends from there in the sink.
 * <p>
 * One instance per thread; allocation-free; the sink must be a reusable object (not a lambda
 * capturing per-packet state) and must consume the fragment before returning.
 */
public final class Ipv4Fragmenter
{
    /** Receives each fragment, in order; the buffer is overwritten by the next fragment. */
    @FunctionalInterface
    public interface FragmentSink
    {
        /**
         * @param buffer the output buffer.
         * @param offset offset of the fragment's IPv4 header.
         * @param length fragment length (total length field).
         * @param index  0 for the first fragment.
         */
        void onFragment(MutableDirectBuffer buffer, int offset, int length, int index);
    }

    /** Smallest MTU an IPv4 module must accept without further fragmentation (RFC 791 §3.2). */
    public static final int MIN_MTU = 68;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_COPY_FLAG = 0x80;

    /**
     * Fragments the validated IPv4 packet at {@code ipOffset} for {@code mtu}.
     *
     * @return the number of fragments handed to the sink (1 when the packet already fits, as a
     * copy), or a negated {@link PacketError#FRAGMENT_DF_SET}, {@link PacketError#FRAGMENT_MTU_TOO_SMALL}
     * or {@link PacketError#BUFFER_TOO_SMALL}.
     */
    public int fragment(
        final DirectBuffer in,
        final int ipOffset,
        final int mtu,
        final MutableDirectBuffer out,
        final int outOffset,
        final FragmentSink sink)
    {
        final int headerLength = (in.getByte(ipOffset) & 0x0F) << 2;
        final int totalLength = in.getShort(ipOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int word = in.getShort(ipOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (mtu < MIN_MTU)
        {
            return -PacketError.FRAGMENT_MTU_TOO_SMALL;
        }
        if (totalLength > mtu && (word & Ipv4Flyweight.FLAG_DF) != 0)
        {
            return -PacketError.FRAGMENT_DF_SET;
        }
        if (outOffset < 0 || outOffset + Math.min(mtu, totalLength) > out.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }

        final int laterHeaderLength = Ipv4Flyweight.MIN_HEADER_LENGTH + copiedOptionsLength(in, ipOffset, headerLength);
        final int firstData = (mtu - headerLength) & ~7;
        final int laterData = (mtu - laterHeaderLength) & ~7;
        final int payloadLength = totalLength - headerLength;
        final int baseUnits = word & Ipv4Flyweight.FRAGMENT_OFFSET_MASK;
        final int keptFlags = word & ~(Ipv4Flyweight.FLAG_MF | Ipv4Flyweight.FRAGMENT_OFFSET_MASK);
        final int lastMf = word & Ipv4Flyweight.FLAG_MF;

        int position = 0;
        int index = 0;
        do
        {
            final int fragmentHeaderLength;
            final int maxData;
            if (index == 0)
            {
                fragmentHeaderLength = headerLength;
                maxData = firstData;
                out.putBytes(outOffset, in, ipOffset, headerLength);
            }
            else
            {
                fragmentHeaderLength = laterHeaderLength;
                maxData = laterData;
                writeLaterHeader(in, ipOffset, headerLength, out, outOffset, laterHeaderLength);
            }
            final int data = Math.min(maxData, payloadLength - position);
            final boolean last = position + data == payloadLength;
            final int fragmentLength = fragmentHeaderLength + data;
            out.putBytes(outOffset + fragmentHeaderLength, in, ipOffset + headerLength + position, data);
            out.putByte(outOffset, (byte)(0x40 | fragmentHeaderLength >>> 2));
            out.putShort(outOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, (short)fragmentLength, ByteOrder.BIG_ENDIAN);
            out.putShort(
                outOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET,
                (short)(keptFlags | (last ? lastMf : Ipv4Flyweight.FLAG_MF) | (baseUnits + (position >>> 3))),
                ByteOrder.BIG_ENDIAN);
            out.putShort(outOffset + Ipv4Flyweight.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
            out.putShort(
                outOffset + Ipv4Flyweight.CHECKSUM_OFFSET,
                (short)InternetChecksum.checksum(out, outOffset, fragmentHeaderLength),
                ByteOrder.BIG_ENDIAN);
            sink.onFragment(out, outOffset, fragmentLength, index);
            position += data;
            index++;
        }
        while (position < payloadLength);
        return index;
    }

    /** Bytes of the options with the copy flag, padded to a multiple of 4. */
    static int copiedOptionsLength(final DirectBuffer in, final int ipOffset, final int headerLength)
    {
        int length = 0;
        int i = Ipv4Flyweight.MIN_HEADER_LENGTH;
        while (i < headerLength)
        {
            final int type = in.getByte(ipOffset + i) & 0xFF;
            if (type == OPTION_END)
            {
                break;
            }
            if (type == OPTION_NOP)
            {
                i++;
                continue;
            }
            final int optionLength = i + 1 < headerLength ? in.getByte(ipOffset + i + 1) & 0xFF : 0;
            if (optionLength < 2 || i + optionLength > headerLength)
            {
                break; // malformed option list: copy nothing past it
            }
            if ((type & OPTION_COPY_FLAG) != 0)
            {
                length += optionLength;
            }
            i += optionLength;
        }
        return (length + 3) & ~3;
    }

    /** Fixed header of the original plus its copied options, zero-padded (EOL) to {@code laterHeaderLength}. */
    private static void writeLaterHeader(
        final DirectBuffer in,
        final int ipOffset,
        final int headerLength,
        final MutableDirectBuffer out,
        final int outOffset,
        final int laterHeaderLength)
    {
        out.putBytes(outOffset, in, ipOffset, Ipv4Flyweight.MIN_HEADER_LENGTH);
        int written = Ipv4Flyweight.MIN_HEADER_LENGTH;
        int i = Ipv4Flyweight.MIN_HEADER_LENGTH;
        while (i < headerLength)
        {
            final int type = in.getByte(ipOffset + i) & 0xFF;
            if (type == OPTION_END)
            {
                break;
            }
            if (type == OPTION_NOP)
            {
                i++;
                continue;
            }
            final int optionLength = i + 1 < headerLength ? in.getByte(ipOffset + i + 1) & 0xFF : 0;
            if (optionLength < 2 || i + optionLength > headerLength)
            {
                break;
            }
            if ((type & OPTION_COPY_FLAG) != 0)
            {
                out.putBytes(outOffset + written, in, ipOffset + i, optionLength);
                written += optionLength;
            }
            i += optionLength;
        }
        out.setMemory(outOffset + written, laterHeaderLength - written, (byte)OPTION_END);
    }
}
