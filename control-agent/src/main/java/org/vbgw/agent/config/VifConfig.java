package org.vbgw.agent.config;

import java.util.List;

/**
 * A virtual interface (seed 000 "private virtual interface", seed 002 "virtual interface", seed 003
 * "VBR"): one VLAN (or QinQ pair) on a port, with interconnect addresses, the routing on it (BGP,
 * static routes through it, or its remote subnets) and how its failure is detected (BFD, health
 * check). Optional or malformed values are null (malformed ones are already reported).
 *
 * @param path          where the entry was read from, e.g. {@code vifs[1]}
 * @param vlan          the 802.1Q VLAN id, 0 for untagged
 * @param innerVlan     the inner (customer) VLAN id for QinQ, or null
 * @param mac           the MAC address the gateway uses on this VIF, or null for the port's own
 * @param ipv4          the IPv4 interconnect (/30 or /31), or null
 * @param ipv6          the IPv6 interconnect (/126, /127 or /64), or null
 * @param bandwidthMbps the VIF's bandwidth; also its ECMP weight when {@code weight} is not set
 * @param weight        the VIF's ECMP weight, 1..255
 * @param remoteSubnets the IDC subnets behind the VIF (seed 002), at most 50. Without BGP they are
 *                      routed to the VIF's peer, as the cloud products do; with BGP they declare what
 *                      the peer is expected to announce. The checks and the lint use them either way.
 */
public record VifConfig(String path, String name, String port, Integer vlan, Integer innerVlan, String mac,
                        Interconnect ipv4, Interconnect ipv6, BgpSession bgp, BfdTimers bfd, Integer bandwidthMbps,
                        Integer weight, List<CidrBlock> remoteSubnets, HealthCheck healthCheck, String description)
{
}
