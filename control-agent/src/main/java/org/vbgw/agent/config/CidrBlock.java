package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * One CIDR block of a list (a VPC CIDR, a VIF's remote subnet, a prefix a VPN backup announces),
 * with the path it was read from ({@code vifs[0].remote-subnets[2]}) so a rule that compares two
 * lists can point at both entries.
 */
public record CidrBlock(String path, IpPrefix prefix)
{
    @Override
    public String toString()
    {
        return prefix.toString();
    }
}
