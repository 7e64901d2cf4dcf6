package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vbgw.agent.config.ConfigFixture.errors;
import static org.vbgw.agent.config.ConfigFixture.with;

/** CIDR lists, and the IDC address space against the VPC's. */
class AddressSpaceRulesTest
{
    private static final String VIF_A_REMOTE = "    remote-subnets: [172.16.0.0/16]";
    private static final String VPC_CIDRS = "    vpc-cidrs: [192.168.0.0/16]";

    @Test
    void remoteSubnetMustNotBeTheVpcCidr()
    {
        // Seed 002's rule, reported by name when the two are equal.
        assertEquals(List.of("gw.yaml:25:22: vifs[0].remote-subnets[0]: remote subnet 192.168.0.0/16 is the VPC CIDR of " +
                "'vpc-1' at vpc-attachments[0].vpc-cidrs[0] (line 17): a VIF's remote subnet must not be a VPC CIDR block"),
            errors(with(VIF_A_REMOTE, "    remote-subnets: [192.168.0.0/16]")));
    }

    @Test
    void remoteSubnetMustNotOverlapTheVpc()
    {
        // Seed 000's rule: seed 002's own example values (VPC 192.168.0.0/16, remote 192.168.51.0/24) break it.
        assertEquals(List.of("gw.yaml:25:22: vifs[0].remote-subnets[0]: remote subnet 192.168.51.0/24 overlaps VPC CIDR " +
                "192.168.0.0/16 of 'vpc-1' at vpc-attachments[0].vpc-cidrs[0] (line 17): IDC subnets must not overlap VPC CIDRs"),
            errors(with(VIF_A_REMOTE, "    remote-subnets: [192.168.51.0/24]")));
        assertEquals(List.of("gw.yaml:25:22: vifs[0].remote-subnets[0]: remote subnet 192.0.0.0/8 overlaps VPC CIDR " +
                "192.168.0.0/16 of 'vpc-1' at vpc-attachments[0].vpc-cidrs[0] (line 17): IDC subnets must not overlap VPC CIDRs"),
            errors(with(VIF_A_REMOTE, "    remote-subnets: [192.0.0.0/8]")));
    }

    @Test
    void atMostFiftyRemoteSubnetsPerVif()
    {
        assertEquals(List.of(), errors(with(VIF_A_REMOTE, "    remote-subnets: [" + cidrs("172.16.%d.0/24", 50) + "]")));
        assertEquals(List.of("gw.yaml:25:21: vifs[0].remote-subnets: 51 remote subnets; at most 50 are allowed per VIF"),
            errors(with(VIF_A_REMOTE, "    remote-subnets: [" + cidrs("172.16.%d.0/24", 51) + "]")));
    }

    @Test
    void atMostFiftyCidrBlocksPerVpcAttachment()
    {
        assertEquals(List.of("gw.yaml:17:16: vpc-attachments[0].vpc-cidrs: 51 CIDR blocks; at most 50 are allowed per " +
                "VPC attachment"),
            errors(with(VPC_CIDRS, "    vpc-cidrs: [" + cidrs("192.168.%d.0/24", 51) + "]")));
    }

    @Test
    void eachCidrIsListedOnce()
    {
        assertEquals(List.of("gw.yaml:25:37: vifs[0].remote-subnets[1]: 172.16.0.0/16 is listed twice (first at line 25)"),
            errors(with(VIF_A_REMOTE, "    remote-subnets: [172.16.0.0/16, 172.16.0.0/16]")));
    }

    @Test
    void vpcCidrsDoNotOverlap()
    {
        assertEquals(List.of("gw.yaml:17:33: vpc-attachments[0].vpc-cidrs[1]: VPC CIDR 192.168.1.0/24 overlaps " +
                "192.168.0.0/16 of vpc-attachments[0].vpc-cidrs[0] (line 17): VPC CIDR blocks must not overlap"),
            errors(with(VPC_CIDRS, "    vpc-cidrs: [192.168.0.0/16, 192.168.1.0/24]")));
    }

    @Test
    void aCidrBelongsToOneVpc()
    {
        final String yaml = with(VPC_CIDRS, VPC_CIDRS + "\n  - name: vpc-2\n    port: vpc\n    vpc-cidrs: [192.168.0.0/16]");
        assertEquals(List.of("gw.yaml:20:17: vpc-attachments[1].vpc-cidrs[0]: VPC CIDR 192.168.0.0/16 is also attached by " +
            "vpc-attachments[0].vpc-cidrs[0] (line 17): a CIDR block belongs to one VPC"), errors(yaml));
    }

    @Test
    void interconnectSubnetStaysOutOfTheVpc()
    {
        assertEquals(List.of("gw.yaml:22:19: vifs[0].ipv4.local: interconnect subnet 10.0.0.0/30 overlaps VPC CIDR 10.0.0.0/8 at " +
                "vpc-attachments[0].vpc-cidrs[0] (line 17): the link to the IDC must not take VPC addresses",
                "gw.yaml:29:19: vifs[1].ipv4.local: interconnect subnet 10.0.0.4/30 overlaps VPC CIDR 10.0.0.0/8 at " +
                "vpc-attachments[0].vpc-cidrs[0] (line 17): the link to the IDC must not take VPC addresses"),
            errors(with(VPC_CIDRS, "    vpc-cidrs: [10.0.0.0/8]")));
    }

    @Test
    void withoutBgpARemoteSubnetNeedsAnInterconnectOfItsFamily()
    {
        assertEquals(List.of("gw.yaml:32:9: vifs[1].remote-subnets[0]: IPv6 subnet 2001:db8:100::/48 needs an IPv6 " +
                "interconnect (ipv6) on VIF 'vif-b' to be routed to its peer"),
            errors(with("      - 172.16.0.0/16", "      - 2001:db8:100::/48")));
    }

    private static String cidrs(final String format, final int count)
    {
        return IntStream.range(0, count).mapToObj(i -> String.format(format, i)).collect(Collectors.joining(", "));
    }
}
