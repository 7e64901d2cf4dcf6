package org.vbgw.io.lab;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space VLAN tagging bridge for labs whose kernel has no 8021q devices: frames from an untagged
 * access port leave on a trunk port with an 802.1Q tag (or an 802.1ad + 802.1Q pair, QinQ) pushed, and
 * frames from the trunk that carry exactly those tags reach the access port with them popped. Anything
 * else on the trunk (another VID, another TPID, untagged) is dropped and counted.
 * <p>
 * In a namespace lab: a host's plain veth on one side, a tagged VIF of the gateway on the other, each
 * through a {@link Port} (usually a {@link org.vbgw.io.linux.PacketSocket} in the shim's own namespace).
 * <pre>
 *   host ──veth── [access] VlanShim [trunk] ──veth── gateway (VLAN 100)
 * </pre>
 * Sizes: the kernel lets an AF_PACKET sender exceed the interface MTU by one tag only when it is 802.1Q
 * (0x8100); for full-size QinQ frames give the trunk veth an MTU 4 bytes larger than the access side.
 * <p>
 * Tags are pushed and popped in place: the MAC addresses move into the port's
 * {@linkplain Port#FRAME_HEADROOM headroom} (push) or over the tag (pop); no copy besides the ports' own.
 * <p>
 * An Agrona {@link Agent}: one thread runs {@link #doWork()}; the ports belong to the caller, who closes
 * them after the agent stops. Counters are written by that thread only (opaque stores) and may be read
 * from any thread. No allocation per frame.
 */
public final class VlanShim implements Agent
{
    /** Frames taken from one side per duty cycle. */
    public static final int BATCH = 64;
    /** 802.1Q tag protocol identifier, also the inner tag of QinQ. */
    public static final int TPID_8021Q = 0x8100;
    /** 802.1ad (QinQ) outer tag protocol identifier. */
    public static final int TPID_8021AD = 0x88A8;

    private static final int MAC_ADDRESSES_LENGTH = 12;
    private static final int ETHERNET_HEADER_LENGTH = 14;
    private static final int TAG_LENGTH = 4;
    private static final int VID_MASK = 0x0FFF;

    private final Port access;
    private final Port trunk;
    private final int outerTpid;
    private final int outerVid;
    private final int innerVid;
    private final int tagsLength;
    private final String name;
    private final Push push = new Push();
    private final Pop pop = new Pop();

    private final AtomicLong toTrunk = new AtomicLong();
    private final AtomicLong toAccess = new AtomicLong();
    private final AtomicLong droppedOtherVlan = new AtomicLong();
    private final AtomicLong droppedUntagged = new AtomicLong();
    private final AtomicLong droppedTx = new AtomicLong();

    private VlanShim(final Port access, final Port trunk, final int outerTpid, final int outerVid, final int innerVid)
    {
        if (outerVid < 1 || outerVid > 4094 || innerVid < 0 || innerVid > 4094)
        {
            throw new IllegalArgumentException("VLAN ids must be 1-4094 (inner 0 for none): " + outerVid + "/" + innerVid);
        }
        if (outerTpid != TPID_8021Q && outerTpid != TPID_8021AD && outerTpid != 0x9100)
        {
            throw new IllegalArgumentException("outer TPID must be 0x8100, 0x88a8 or 0x9100: 0x" + Integer.toHexString(outerTpid));
        }
        this.access = access;
        this.trunk = trunk;
        this.outerTpid = outerTpid;
        this.outerVid = outerVid;
        this.innerVid = innerVid;
        this.tagsLength = innerVid == 0 ? TAG_LENGTH : 2 * TAG_LENGTH;
        this.name = "vlan-shim " + access.name() + " <-> " + trunk.name() + " vlan " + outerVid +
            (innerVid == 0 ? "" : "." + innerVid);
    }

    /** A shim that pushes and pops one 802.1Q tag with {@code vid} (1-4094). */
    public static VlanShim dot1q(final Port access, final Port trunk, final int vid)
    {
        return new VlanShim(access, trunk, TPID_8021Q, vid, 0);
    }

    /**
     * A shim that pushes and pops a QinQ pair: an outer tag with {@code outerTpid} (0x88a8, or 0x8100 and
     * 0x9100 as some switches use) and {@code outerVid}, then an 802.1Q tag with {@code innerVid}.
     */
    public static VlanShim qinq(final Port access, final Port trunk, final int outerTpid, final int outerVid,
        final int innerVid)
    {
        if (innerVid == 0)
        {
            throw new IllegalArgumentException("QinQ needs an inner VLAN id 1-4094");
        }
        return new VlanShim(access, trunk, outerTpid, outerVid, innerVid);
    }

    @Override
    public int doWork()
    {
        final int up = access.receive(push, BATCH);
        if (up > 0)
        {
            trunk.flush();
        }
        final int down = trunk.receive(pop, BATCH);
        if (down > 0)
        {
            access.flush();
        }
        return up + down;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    /** Frames sent to the trunk with the tags pushed. */
    public long toTrunk()
    {
        return toTrunk.get();
    }

    /** Frames from the trunk sent to the access port with the tags popped. */
    public long toAccess()
    {
        return toAccess.get();
    }

    /** Tagged frames from the trunk that were not for this shim's VLAN(s): dropped. */
    public long droppedOtherVlan()
    {
        return droppedOtherVlan.get();
    }

    /** Untagged (or too short to hold the tags) frames from the trunk: dropped. */
    public long droppedUntagged()
    {
        return droppedUntagged.get();
    }

    /** Frames a port refused to send (full, too large, link down). */
    public long droppedTx()
    {
        return droppedTx.get();
    }

    private static void increment(final AtomicLong counter)
    {
        // One writer (the agent thread): an opaque store is enough, no atomic add.
        counter.setOpaque(counter.getPlain() + 1);
    }

    private static void moveMacAddresses(final MutableDirectBuffer buffer, final int from, final int to)
    {
        // Read both words before writing: source and destination overlap.
        final long first = buffer.getLong(from);
        final int last = buffer.getInt(from + 8);
        buffer.putLong(to, first);
        buffer.putInt(to + 8, last);
    }

    /** Access to trunk: move the MAC addresses into the headroom and write the tags behind them. */
    private final class Push implements FrameHandler
    {
        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            if (length < ETHERNET_HEADER_LENGTH)
            {
                increment(droppedUntagged);
                return;
            }
            final int start = offset - tagsLength;
            moveMacAddresses(buffer, offset, start);
            final int tag = start + MAC_ADDRESSES_LENGTH;
            buffer.putShort(tag, (short)outerTpid, ByteOrder.BIG_ENDIAN);
            buffer.putShort(tag + 2, (short)outerVid, ByteOrder.BIG_ENDIAN);
            if (innerVid != 0)
            {
                buffer.putShort(tag + 4, (short)TPID_8021Q, ByteOrder.BIG_ENDIAN);
                buffer.putShort(tag + 6, (short)innerVid, ByteOrder.BIG_ENDIAN);
            }
            increment(trunk.send(buffer, start, length + tagsLength) ? toTrunk : droppedTx);
        }
    }

    /** Trunk to access: check the tags, then move the MAC addresses over them. */
    private final class Pop implements FrameHandler
    {
        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            if (length < ETHERNET_HEADER_LENGTH + tagsLength || !isTagged(buffer, offset))
            {
                increment(droppedUntagged);
                return;
            }
            final int tag = offset + MAC_ADDRESSES_LENGTH;
            if ((buffer.getShort(tag, ByteOrder.BIG_ENDIAN) & 0xFFFF) != outerTpid ||
                (buffer.getShort(tag + 2, ByteOrder.BIG_ENDIAN) & VID_MASK) != outerVid ||
                (innerVid != 0 && ((buffer.getShort(tag + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF) != TPID_8021Q ||
                    (buffer.getShort(tag + 6, ByteOrder.BIG_ENDIAN) & VID_MASK) != innerVid)))
            {
                increment(droppedOtherVlan);
                return;
            }
            final int start = offset + tagsLength;
            moveMacAddresses(buffer, offset, start);
            increment(access.send(buffer, start, length - tagsLength) ? toAccess : droppedTx);
        }

        private boolean isTagged(final MutableDirectBuffer buffer, final int offset)
        {
            final int type = buffer.getShort(offset + MAC_ADDRESSES_LENGTH, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            return type == TPID_8021Q || type == TPID_8021AD || type == 0x9100;
        }
    }
}
