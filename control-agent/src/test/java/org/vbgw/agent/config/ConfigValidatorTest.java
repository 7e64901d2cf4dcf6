package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vbgw.agent.config.ConfigFixture.BASE;
import static org.vbgw.agent.config.ConfigFixture.errors;
import static org.vbgw.agent.config.ConfigFixture.with;

/** Names, ports, references and VLANs; and that every error of a file is reported at once. */
class ConfigValidatorTest
{
    @Test
    void vifNamesAreUnique()
    {
        assertEquals(List.of("gw.yaml:26:11: vifs[1].name: VIF name 'vif-a' is already used by vifs[0] (line 19)"),
            errors(with("  - name: vif-b", "  - name: vif-a")));
    }

    @Test
    void portNamesAreUnique()
    {
        assertEquals(List.of("gw.yaml:9:11: ports[1].name: port name 'p1' is already used by ports[0] (line 6)",
                "gw.yaml:27:11: vifs[1].port: no port named 'p2' (did you mean 'p1'?)"),
            errors(with("  - name: p2", "  - name: p1")));
    }

    @Test
    void vpcAttachmentNamesAreUnique()
    {
        assertEquals(List.of("gw.yaml:18:11: vpc-attachments[1].name: VPC attachment name 'vpc-1' is already used by " +
                "vpc-attachments[0] (line 15)"),
            errors(with("    vpc-cidrs: [192.168.0.0/16]", "    vpc-cidrs: [192.168.0.0/16]\n  - name: vpc-1\n    port: vpc\n" +
                "    vpc-cidrs: [10.10.0.0/16]")));
    }

    @Test
    void vifsAndVpcAttachmentsShareOneNamespace()
    {
        assertEquals(List.of("gw.yaml:15:11: vpc-attachments[0].name: VPC attachment name 'vif-a' is already used by " +
                "the VIF vifs[0] (line 19): VIFs and VPC attachments share one namespace"),
            errors(with("  - name: vpc-1", "  - name: vif-a")));
    }

    @Test
    void longNamesThatWouldShareAHostInterfaceAreRefused()
    {
        // Distinct long names get distinct TAPs (a hash of the whole name in the last 4 characters)...
        assertEquals(List.of(), errors(with(with("  - name: vif-a", "  - name: vif-magdeburg-primary"),
            "  - name: vif-b", "  - name: vif-magdeburg-standby")));
        assertEquals("vb-vif-bie", org.vbgw.agent.run.HostTapSpec.tapName("vif-bie"));
        final String a = org.vbgw.agent.run.HostTapSpec.tapName("vif-magdeburg-primary");
        final String b = org.vbgw.agent.run.HostTapSpec.tapName("vif-magdeburg-standby");
        assertEquals(15, a.length());
        assertEquals(15, b.length());
        assertEquals("vb-vif-mag-", a.substring(0, 11));
        assertEquals(false, a.equals(b), a);
        // ...and the rare pair whose TAP names still meet (same CRC-32 low bits, found by search) is refused.
        assertEquals(List.of("gw.yaml:26:11: vifs[1].name: 'vif-magdeburg-4024' and 'vif-magdeburg-289' (vifs[0] " +
                "(line 19)) would both have the host interface vb-vif-mag-c623 (Linux allows 15 bytes): rename one"),
            errors(with(with("  - name: vif-a", "  - name: vif-magdeburg-289"), "  - name: vif-b",
                "  - name: vif-magdeburg-4024")));
    }

    @Test
    void staticRoutesAndVpnBackupsShareOneNamespace()
    {
        assertEquals(List.of("gw.yaml:38:11: vpn-backups[0].name: route name 'mgmt' is already used by static-routes[0] (line 34)"),
            errors(BASE + "vpn-backups:\n  - name: mgmt\n    tunnel: ipsec0\n    prefixes: [172.16.0.0/12]\n"));
    }

    @Test
    void oneLinuxInterfacePerPort()
    {
        assertEquals(List.of("gw.yaml:10:16: ports[1].interface: interface eth1 is already used by ports[0] (line 6): " +
                "one port per Linux interface"),
            errors(with("    interface: eth2", "    interface: eth1")));
    }

    @Test
    void atLeastOnePort()
    {
        assertEquals(List.of("gw.yaml:3:8: ports: a gateway needs at least one port (two at different locations for redundancy)"),
            errors("gateway:\n  name: gw\nports: []\n"));
    }

    @Test
    void vifPortMustExist()
    {
        assertEquals(List.of("gw.yaml:20:11: vifs[0].port: no port named 'p3' (did you mean 'p1'?)"),
            errors(with("    port: p1", "    port: p3")));
    }

    @Test
    void vpcAttachmentPortMustExist()
    {
        assertEquals(List.of("gw.yaml:16:11: vpc-attachments[0].port: no port named 'vcp' (did you mean 'vpc'?)"),
            errors(with("    port: vpc", "    port: vcp")));
    }

    @Test
    void vlanIsUniquePerPort()
    {
        final String yaml = with(with("    port: p2", "    port: p1"), "    vlan: 200", "    vlan: 100");
        assertEquals(List.of("gw.yaml:28:11: vifs[1].vlan: VLAN 100 is already used on port 'p1' by vifs[0] (line 19): " +
            "one VIF per VLAN and port"), errors(yaml));
    }

    @Test
    void theSameVlanOnAnotherPortIsFine()
    {
        assertEquals(List.of(), errors(with("    vlan: 200", "    vlan: 100")));
    }

    @Test
    void untaggedIsVlanZeroAndOncePerPort()
    {
        final String yaml = with(with(with("    port: p2", "    port: p1"), "    vlan: 200", "    vlan: 0"),
            "    vlan: 100", "    vlan: 0");
        assertEquals(List.of("gw.yaml:28:11: vifs[1].vlan: VLAN 0 (untagged) is already used on port 'p1' by vifs[0] " +
            "(line 19): one VIF per VLAN and port"), errors(yaml));
    }

    @Test
    void theQinqPairIsUniquePerPort()
    {
        final String sameOuter = with(with(with("    port: p2", "    port: p1"), "    vlan: 100", "    vlan: 100\n    inner-vlan: 8"),
            "    vlan: 200", "    vlan: 100\n    inner-vlan: 7");
        assertEquals(List.of(), errors(sameOuter));
        final String samePair = with(with(with("    port: p2", "    port: p1"), "    vlan: 100", "    vlan: 100\n    inner-vlan: 7"),
            "    vlan: 200", "    vlan: 100\n    inner-vlan: 7");
        assertEquals(List.of("gw.yaml:29:11: vifs[1].vlan: VLAN 100 inner VLAN 7 is already used on port 'p1' by vifs[0] " +
            "(line 19): one VIF per VLAN and port"), errors(samePair));
    }

    @Test
    void qinqNeedsAnOuterTag()
    {
        assertEquals(List.of("gw.yaml:22:17: vifs[0].inner-vlan: inner VLAN 7 needs an outer VLAN: a QinQ VIF cannot be " +
                "untagged (vlan is 0)"),
            errors(with("    vlan: 100", "    vlan: 0\n    inner-vlan: 7")));
    }

    @Test
    void gatewayAsnCannotBeAsTrans()
    {
        assertEquals(List.of("gw.yaml:3:8: gateway.asn: ASN 23456 is AS_TRANS (RFC 6793), not an ASN a router may use"),
            errors(with("  asn: 65000", "  asn: 23456")));
    }

    @Test
    void everyErrorOfAFileIsReportedAtOnceInFileOrder()
    {
        String yaml = with("  asn: 65000", "  asn: 70000000000");
        yaml = with(yaml, "    interface: eth2", "    interface: eth1");
        yaml = with(yaml, "    vpc-cidrs: [192.168.0.0/16]", "    vpc-cidrs: [192.168.0.0/16, 172.16.0.0/16]");
        yaml = with(yaml, "    vlan: 100", "    vlan: 5000");
        yaml = with(yaml, "    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 65000, hold-tme-s: 3}");
        yaml = with(yaml, "    port: p2", "    port: p9");
        yaml = with(yaml, "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}", "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.7/30}");
        yaml = with(yaml, "    next-hops: [10.0.0.2, 10.0.0.6]", "    next-hops: [10.0.0.2, 10.0.9.9]");
        assertEquals(List.of(
                "gw.yaml:3:8: gateway.asn: ASN 70000000000 out of range 1..4294967295",
                "gw.yaml:10:16: ports[1].interface: interface eth1 is already used by ports[0] (line 6): one port per Linux interface",
                "gw.yaml:21:11: vifs[0].vlan: VLAN 5000 out of range 0..4094",
                "gw.yaml:23:21: vifs[0].bgp.peer-asn: peer ASN 65000 is the gateway's own ASN: vbgw speaks eBGP only, so " +
                    "the customer router needs a different ASN",
                "gw.yaml:23:28: vifs[0].bgp.hold-tme-s: unknown key 'hold-tme-s' (did you mean 'hold-time-s'?)",
                "gw.yaml:25:22: vifs[0].remote-subnets[0]: remote subnet 172.16.0.0/16 is the VPC CIDR of 'vpc-1' at " +
                    "vpc-attachments[0].vpc-cidrs[1] (line 17): a VIF's remote subnet must not be a VPC CIDR block",
                "gw.yaml:27:11: vifs[1].port: no port named 'p9' (did you mean 'p1'?)",
                "gw.yaml:29:38: vifs[1].ipv4.peer: 10.0.0.7 is the broadcast address of 10.0.0.4/30: a /30 has two usable " +
                    "addresses, 10.0.0.5 and 10.0.0.6",
                // A consequence of the broken peer above, and true: the probe must go to the configured peer.
                "gw.yaml:30:57: vifs[1].health-check.destination-ip: 10.0.0.6 is not on the IDC side of VIF 'vif-b': " +
                    "use its peer address (10.0.0.7) or an address in its remote-subnets",
                "gw.yaml:32:9: vifs[1].remote-subnets[0]: remote subnet 172.16.0.0/16 is the VPC CIDR of 'vpc-1' at " +
                    "vpc-attachments[0].vpc-cidrs[1] (line 17): a VIF's remote subnet must not be a VPC CIDR block",
                "gw.yaml:36:27: static-routes[0].next-hops[1].address: next hop 10.0.9.9 is not in any VIF's interconnect " +
                    "subnet: a static next hop must be directly connected"),
            errors(yaml));
    }
}
