package org.vbgw.agent.config;

/**
 * The two ends of a VIF's point-to-point link in one address family: the gateway side
 * ({@code local}) and the customer side ({@code peer}), as the seeds' "interconnect addresses" /
 * "peer IP addresses" (see ../shared/seeds/000 and 003). Either end is null when it was missing or
 * malformed (already reported).
 */
public record Interconnect(InterfaceAddress local, InterfaceAddress peer)
{
}
