package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * The border gateway itself (seed 000 step 1): its name, its BGP ASN (65000 unless configured, as
 * in the JD Cloud border gateway), its BGP router id (an IPv4 address, or null to let BGP choose),
 * and a description.
 */
public record GatewaySettings(String name, long asn, IpPrefix routerId, String description)
{
    public static final long DEFAULT_ASN = 65000;
}
