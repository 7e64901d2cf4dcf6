package org.vbgw.dataplane.pipeline;

import org.agrona.DirectBuffer;

/**
 * Where a worker sends what it does not handle itself: frames for the control thread (ARP, neighbour
 * discovery, traffic for the gateway's own addresses that goes to the host through a TAP) and frames that
 * wait for a next hop's neighbour to resolve.
 * <p>
 * Called on worker threads; implementations copy the frame before returning (the worker's buffer is
 * the receive ring) and never block: when full they return false and the worker counts a drop.
 */
public interface ControlPath
{
    /** Why a frame is punted; the control thread and the policer treat them differently. */
    int PUNT_ARP = 1;
    int PUNT_ND = 2;
    int PUNT_LOCAL = 3;
    /** BGP (TCP 179) and BFD (UDP 3784/4784) to a gateway address: policed ahead of everything else. */
    int PUNT_LOCAL_PRIORITY = 4;

    boolean punt(int reason, int portIndex, int vifId, DirectBuffer frame, int offset, int length);

    /**
     * The packet's next hop has no resolved neighbour yet. The packet is already rewritten for forwarding
     * (TTL or hop limit decremented); once the neighbour answers, the control thread puts the next hop's L2
     * header in front of it and sends it.
     *
     * @param hi     with {@code lo}, the neighbour to resolve: the next hop's address, or the packet's
     *               destination for an attached (connected-subnet) next hop.
     * @param packet the L3 packet, from its IP header; {@code offset} and {@code length} delimit it.
     */
    boolean awaitNeighbour(int nextHopId, int vifId, boolean ipv6, long hi, long lo, DirectBuffer packet, int offset,
        int length);
}
