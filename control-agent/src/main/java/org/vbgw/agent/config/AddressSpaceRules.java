package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules for the address space on either side of the gateway. The seeds state two rules that look
 * alike and are reported apart, so the operator knows which one was broken:
 * <ul>
 *   <li>"The segment in enterprise IDC cannot overlap with that in public cloud VPC"
 *       (../shared/seeds/000 and 001): no remote subnet may share an address with a VPC CIDR;</li>
 *   <li>"The remote subnet of the virtual interface cannot be the same as the VPC CIDR block"
 *       (../shared/seeds/002): reported when the two are equal, the sharpest form of overlap.</li>
 * </ul>
 * Also: at most 50 CIDR blocks per VPC attachment and per VIF, each listed once (seed 002); VPC
 * CIDRs do not overlap each other; interconnect subnets stay out of the VPC.
 */
final class AddressSpaceRules
{
    /** Seed 002: "You can add a maximum of 50 CIDR blocks" / "a maximum of 50 remote subnets". */
    static final int MAX_CIDRS = 50;

    private AddressSpaceRules()
    {
    }

    static void check(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final List<CidrBlock> vpcCidrs = new ArrayList<>();
        final Map<String, String> attachmentOf = new HashMap<>();
        for (final VpcAttachment vpc : config.vpcAttachments())
        {
            listRules(vpc.vpcCidrs(), vpc.path() + ".vpc-cidrs", "CIDR blocks", "VPC attachment", diagnostics);
            for (final CidrBlock cidr : vpc.vpcCidrs())
            {
                for (final CidrBlock other : vpcCidrs)
                {
                    if (other.prefix().overlaps(cidr.prefix()) && !other.prefix().equals(cidr.prefix()))
                    {
                        diagnostics.error(cidr.path(), "VPC CIDR " + cidr + " overlaps " + other + " of " +
                            ConfigValidator.at(diagnostics, other.path()) + ": VPC CIDR blocks must not overlap");
                        break;
                    }
                    if (other.prefix().equals(cidr.prefix()) && !attachmentOf.get(other.path()).equals(vpc.path()))
                    {
                        diagnostics.error(cidr.path(), "VPC CIDR " + cidr + " is also attached by " +
                            ConfigValidator.at(diagnostics, other.path()) + ": a CIDR block belongs to one VPC");
                        break;
                    }
                }
                vpcCidrs.add(cidr);
                attachmentOf.put(cidr.path(), vpc.path());
            }
        }
        for (final VifConfig vif : config.vifs())
        {
            listRules(vif.remoteSubnets(), vif.path() + ".remote-subnets", "remote subnets", "VIF", diagnostics);
            for (final CidrBlock remote : vif.remoteSubnets())
            {
                idcAgainstVpc(remote, vpcCidrs, attachmentOf, config, diagnostics);
            }
            interconnectOutsideVpc(vif, vpcCidrs, diagnostics);
        }
    }

    /** At most 50 entries, none listed twice ("Each pair must be unique", seed 002). */
    private static void listRules(final List<CidrBlock> cidrs, final String path, final String what, final String owner,
                                  final Diagnostics diagnostics)
    {
        if (cidrs.size() > MAX_CIDRS)
        {
            diagnostics.error(path, cidrs.size() + " " + what + "; at most " + MAX_CIDRS + " are allowed per " + owner);
        }
        final Map<IpPrefix, String> first = new HashMap<>();
        for (final CidrBlock cidr : cidrs)
        {
            final String earlier = first.putIfAbsent(cidr.prefix(), cidr.path());
            if (earlier != null)
            {
                diagnostics.error(cidr.path(), cidr + " is listed twice (first at line " +
                    diagnostics.positions().of(earlier).line() + ")");
            }
        }
    }

    private static void idcAgainstVpc(final CidrBlock remote, final List<CidrBlock> vpcCidrs,
                                      final Map<String, String> attachmentOf, final GatewayConfig config,
                                      final Diagnostics diagnostics)
    {
        for (final CidrBlock vpc : vpcCidrs)
        {
            final String owner = attachmentName(config, attachmentOf.get(vpc.path()));
            if (vpc.prefix().equals(remote.prefix()))
            {
                diagnostics.error(remote.path(), "remote subnet " + remote + " is the VPC CIDR of " + owner + " at " +
                    ConfigValidator.at(diagnostics, vpc.path()) + ": a VIF's remote subnet must not be a VPC CIDR block");
                return;
            }
            if (vpc.prefix().overlaps(remote.prefix()))
            {
                diagnostics.error(remote.path(), "remote subnet " + remote + " overlaps VPC CIDR " + vpc + " of " + owner +
                    " at " + ConfigValidator.at(diagnostics, vpc.path()) + ": IDC subnets must not overlap VPC CIDRs");
                return;
            }
        }
    }

    private static void interconnectOutsideVpc(final VifConfig vif, final List<CidrBlock> vpcCidrs,
                                               final Diagnostics diagnostics)
    {
        for (final String family : List.of("ipv4", "ipv6"))
        {
            final Interconnect link = family.equals("ipv4") ? vif.ipv4() : vif.ipv6();
            if (link == null || link.local() == null)
            {
                continue;
            }
            final IpPrefix subnet = link.local().subnet();
            for (final CidrBlock vpc : vpcCidrs)
            {
                if (vpc.prefix().overlaps(subnet))
                {
                    diagnostics.error(vif.path() + "." + family + ".local", "interconnect subnet " + subnet +
                        " overlaps VPC CIDR " + vpc + " at " + ConfigValidator.at(diagnostics, vpc.path()) +
                        ": the link to the IDC must not take VPC addresses");
                    break;
                }
            }
        }
    }

    /** A route toward the IDC must not capture VPC addresses; covering them (an aggregate, a default) is fine. */
    static void routeOutsideVpc(final GatewayConfig config, final IpPrefix prefix, final String path, final String what,
                                final Diagnostics diagnostics)
    {
        for (final VpcAttachment vpc : config.vpcAttachments())
        {
            for (final CidrBlock cidr : vpc.vpcCidrs())
            {
                if (cidr.prefix().contains(prefix))
                {
                    diagnostics.error(path, what + " " + prefix + " lies inside VPC CIDR " + cidr + " of " +
                        attachmentName(config, vpc.path()) + " at " + ConfigValidator.at(diagnostics, cidr.path()) +
                        ": a route toward the IDC must not capture VPC addresses");
                    return;
                }
            }
        }
    }

    private static String attachmentName(final GatewayConfig config, final String path)
    {
        return config.vpcAttachments().stream().filter(v -> v.path().equals(path)).findFirst()
            .map(v -> "'" + v.name() + "'").orElse(path);
    }
}
