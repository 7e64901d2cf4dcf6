package org.vbgw.dataplane.neighbour;

import org.agrona.DirectBuffer;

/**
 * What the {@link NeighbourTable} asks of the data plane: send a request, and act on resolution results.
 * Called on the table's own thread, from {@link NeighbourTable#doWork(long)} or the call that caused it.
 */
public interface NeighbourListener
{
    /**
     * Send an ARP request / neighbour solicitation for the address on the VIF.
     *
     * @param unicastMac the neighbour's last known MAC for a refresh (unicast probe), or 0 to broadcast
     *                   (ARP) / multicast to the solicited-node address (ND).
     */
    void solicit(int vifId, boolean ipv6, long hi, long lo, long unicastMac);

    /** The neighbour answered: its MAC is {@code mac}; adjacencies through it can forward. */
    void resolved(int entry, int vifId, boolean ipv6, long hi, long lo, long mac);

    /** The neighbour stopped answering after its retries: next hops through it must be invalidated. */
    void unreachable(int entry, int vifId, boolean ipv6, long hi, long lo);

    /** A frame that waited for resolution can now leave: rewrite its destination MAC to {@code mac} and send. */
    void release(int entry, long mac, DirectBuffer frame, int offset, int length);

    /** Frames that waited for a neighbour which failed are dropped; counted by the listener. */
    void dropped(int entry, int frames);
}
