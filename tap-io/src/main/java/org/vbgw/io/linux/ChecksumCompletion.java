package org.vbgw.io.linux;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.MutableDirectBuffer;

/**
 * Finishes the TCP or UDP checksum of a frame the kernel marked {@code TP_STATUS_CSUMNOTREADY}: a frame
 * that the sending kernel left for checksum offload (CHECKSUM_PARTIAL) and that reached this socket over
 * a virtual link (veth) without any hardware to finish it. Such a frame carries only the pseudo-header
 * sum in its checksum field; the checksum is recomputed over pseudo-header and segment and written in
 * place.
 * <p>
 * Handles TCP and UDP over IPv4 (unfragmented) and over IPv6 without extension headers, behind zero, one
 * or two VLAN tags: what a kernel sends with a partial checksum. Anything else is refused, so that the
 * caller drops the frame rather than deliver an unfinished checksum. No allocation; any thread.
 */
public final class ChecksumCompletion
{
    private static final int ETH_P_IPV4 = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88A8;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private ChecksumCompletion()
    {
    }

    /**
     * Recomputes the L4 checksum of the frame at {@code offset}.
     *
     * @return true when the checksum was written; false when the frame is not TCP/UDP over IP as
     *     described above, or is shorter than its headers claim.
     */
    public static boolean complete(final MutableDirectBuffer frame, final int offset, final int length)
    {
        final int end = offset + length;
        int l3 = offset + 14;
        if (l3 > end)
        {
            return false;
        }
        int etherType = frame.getShort(l3 - 2, BIG_ENDIAN) & 0xFFFF;
        for (int tags = 0; tags < 2 && (etherType == ETH_P_8021Q || etherType == ETH_P_8021AD); tags++)
        {
            l3 += 4;
            if (l3 > end)
            {
                return false;
            }
            etherType = frame.getShort(l3 - 2, BIG_ENDIAN) & 0xFFFF;
        }

        final int protocol;
        final int l4;
        final int l4Length;
        long sum;
        if (etherType == ETH_P_IPV4)
        {
            if (l3 + 20 > end)
            {
                return false;
            }
            final int headerLength = (frame.getByte(l3) & 0x0F) * 4;
            final int totalLength = frame.getShort(l3 + 2, BIG_ENDIAN) & 0xFFFF;
            final int fragment = frame.getShort(l3 + 6, BIG_ENDIAN) & 0x3FFF;
            if (headerLength < 20 || fragment != 0 || totalLength < headerLength || l3 + totalLength > end)
            {
                return false;
            }
            protocol = frame.getByte(l3 + 9) & 0xFF;
            l4 = l3 + headerLength;
            l4Length = totalLength - headerLength;
            sum = sum16(frame, l3 + 12, 8);
        }
        else if (etherType == ETH_P_IPV6)
        {
            if (l3 + 40 > end)
            {
                return false;
            }
            protocol = frame.getByte(l3 + 6) & 0xFF;
            l4 = l3 + 40;
            l4Length = frame.getShort(l3 + 4, BIG_ENDIAN) & 0xFFFF;
            if (l4 + l4Length > end)
            {
                return false;
            }
            sum = sum16(frame, l3 + 8, 32);
        }
        else
        {
            return false;
        }

        final int checksumOffset;
        if (protocol == IPPROTO_TCP && l4Length >= 20)
        {
            checksumOffset = l4 + 16;
        }
        else if (protocol == IPPROTO_UDP && l4Length >= 8)
        {
            checksumOffset = l4 + 6;
        }
        else
        {
            return false;
        }
        frame.putShort(checksumOffset, (short)0);
        sum += protocol + l4Length + sum16(frame, l4, l4Length);
        int checksum = fold(sum);
        if (checksum == 0 && protocol == IPPROTO_UDP)
        {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones.
        }
        frame.putShort(checksumOffset, (short)checksum, BIG_ENDIAN);
        return true;
    }

    /** The one's complement sum (not folded) of {@code length} bytes as big-endian 16-bit words. */
    public static long sum16(final MutableDirectBuffer frame, final int offset, final int length)
    {
        long sum = 0;
        int i = offset;
        final int evenEnd = offset + (length & ~1);
        for (; i + 4 <= evenEnd; i += 4)
        {
            sum += frame.getInt(i, BIG_ENDIAN) & 0xFFFF_FFFFL;
        }
        for (; i < evenEnd; i += 2)
        {
            sum += frame.getShort(i, BIG_ENDIAN) & 0xFFFF;
        }
        if ((length & 1) != 0)
        {
            sum += (frame.getByte(i) & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits and complements it: the checksum to write. */
    public static int fold(final long sum)
    {
        long s = sum;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)(~s & 0xFFFF);
    }
}
