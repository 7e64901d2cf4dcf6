package org.vbgw.io.linux;

import static org.vbgw.io.linux.Native.LIBC;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The AF_PACKET socket options and structures {@link PacketSocket} sets up: constants from
 * {@code linux/if_packet.h} and the calls that fill {@code tpacket_req3}, {@code sockaddr_ll} and
 * {@code packet_mreq} in a scratch buffer. Every failure is a {@link org.vbgw.io.PortException} naming the
 * interface, the option and the errno text.
 */
final class PacketSocketSetup
{
    static final int ETH_P_ALL = 0x0003;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_MR_PROMISC = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_RESERVE = 12;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V3 = 2;
    static final int PACKET_FANOUT_HASH = 0;

    private PacketSocketSetup()
    {
    }

    static void setInt(
        final int fd, final UnsafeBuffer scratch, final String name, final int level, final int option,
        final int value, final String what)
    {
        scratch.putInt(0, value);
        if (LIBC.setsockopt(fd, level, option, scratch.addressOffset(), 4) < 0)
        {
            throw Native.failure(name, "setsockopt(" + what + ", " + value + ")");
        }
    }

    static void setRing(
        final int fd, final UnsafeBuffer scratch, final String name, final int option, final int blockSize,
        final int blockCount, final int frameSize, final int frameCount, final int timeoutMs)
    {
        // struct tpacket_req3: block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv,
        // feature_req_word.
        scratch.setMemory(0, 28, (byte)0);
        scratch.putInt(0, blockSize);
        scratch.putInt(4, blockCount);
        scratch.putInt(8, frameSize);
        scratch.putInt(12, frameCount);
        scratch.putInt(16, timeoutMs);
        if (LIBC.setsockopt(fd, SOL_PACKET, option, scratch.addressOffset(), 28) < 0)
        {
            final String ring = option == PACKET_RX_RING ? "PACKET_RX_RING" : "PACKET_TX_RING";
            throw Native.failure(name, "setsockopt(" + ring +
                ", " + blockCount + " blocks of " + blockSize + " bytes)");
        }
    }

    static void bind(final int fd, final UnsafeBuffer scratch, final String name, final int ifIndex)
    {
        // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8].
        scratch.setMemory(0, 20, (byte)0);
        scratch.putShort(0, (short)Native.AF_PACKET);
        scratch.putShort(2, (short)Native.htons(ETH_P_ALL));
        scratch.putInt(4, ifIndex);
        if (LIBC.bind(fd, scratch.addressOffset(), 20) < 0)
        {
            throw Native.failure(name, "bind(AF_PACKET, ifindex " + ifIndex + ")");
        }
    }

    static void promiscuous(final int fd, final UnsafeBuffer scratch, final String name, final int ifIndex)
    {
        // struct packet_mreq: ifindex, type, address length, address[8]. A membership, so the kernel
        // drops promiscuous mode again when the socket closes, even if the process dies.
        scratch.setMemory(0, 16, (byte)0);
        scratch.putInt(0, ifIndex);
        scratch.putShort(4, (short)PACKET_MR_PROMISC);
        if (LIBC.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, scratch.addressOffset(), 16) < 0)
        {
            throw Native.failure(name, "setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC)");
        }
    }
}
