package org.vbgw.dataplane.punt;

import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.vif.Vif;

/**
 * A consumer of punted traffic for the gateway's own addresses that the data plane answers itself (BFD
 * sessions, health-probe replies) instead of the host TAP. Control thread; must not keep the buffer.
 */
@FunctionalInterface
public interface LocalReceiver
{
    /**
     * @param l2 the parsed frame: {@code l2.l3Offset}, {@code l2.l3EtherType}, {@code l2.l3Length}.
     * @return true when the frame was taken (answered, or discarded and counted); false sends it on to the host.
     */
    boolean onLocal(Vif vif, MutableDirectBuffer buffer, L2Header l2, long nowNs);
}
