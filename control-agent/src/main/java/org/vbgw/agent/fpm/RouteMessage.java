package org.vbgw.agent.fpm;

import org.vbgw.fib.IpPrefix;

import java.util.List;

/**
 * One decoded RTM_NEWROUTE or RTM_DELROUTE: a prefix and where zebra forwards it, either through a next-hop
 * object ({@code nextHopId}, next-hop groups on) or through paths written into the route (RTA_GATEWAY/RTA_OIF or
 * RTA_MULTIPATH, next-hop groups off).
 *
 * @param table     the routing table id (RTA_TABLE when present, else the rtmsg's).
 * @param type      rtm_type: RTN_UNICAST for forwarding routes; blackhole, unreachable and others are not forwarded.
 * @param nextHopId zebra's next-hop (or group) id from RTA_NH_ID, 0 when the route carries its paths.
 * @param paths     the paths written into the route; empty when {@code nextHopId} is set or for a delete.
 */
public record RouteMessage(boolean add, IpPrefix prefix, int protocol, int table, int type, int nextHopId,
    List<FrrPath> paths)
{
}
