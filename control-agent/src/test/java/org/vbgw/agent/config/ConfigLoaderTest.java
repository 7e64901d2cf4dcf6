package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.agent.config.ConfigFixture.BASE;
import static org.vbgw.agent.config.ConfigFixture.check;
import static org.vbgw.agent.config.ConfigFixture.errors;
import static org.vbgw.agent.config.ConfigFixture.with;

class ConfigLoaderTest
{
    @Test
    void theFixtureIsCleanAndLoadsEveryValue()
    {
        final ConfigCheck check = check(BASE);
        assertEquals(List.of(), check.diagnostics());
        final GatewayConfig config = check.config();
        assertEquals("gw", config.gateway().name());
        assertEquals(65000, config.gateway().asn());
        assertEquals(3, config.ports().size());
        assertEquals(1500, config.ports().get(0).mtuBytes());
        final VifConfig a = config.vifs().get(0);
        assertEquals(100, a.vlan());
        assertEquals("10.0.0.1/30", a.ipv4().local().toString());
        assertEquals(64512L, a.bgp().peerAsn());
        assertEquals(90, a.bgp().holdTimeS());
        assertEquals(new BfdTimers(100, 100, 3), a.bfd());
        final HealthCheck probe = config.vifs().get(1).healthCheck();
        assertEquals(2000, probe.intervalMs());
        assertEquals(8, probe.count());
        assertEquals("172.31.0.0/24", config.staticRoutes().get(0).prefix().toString());
        assertEquals(1, config.staticRoutes().get(0).preference());
        assertEquals(2, config.staticRoutes().get(0).nextHops().size());
    }

    @Test
    void vlanOutOfRange()
    {
        assertEquals(List.of("gw.yaml:21:11: vifs[0].vlan: VLAN 4095 out of range 0..4094"),
            errors(with("    vlan: 100", "    vlan: 4095")));
    }

    @Test
    void innerVlanOutOfRange()
    {
        // The replacement adds a line, so the inner-vlan is on line 21 and the vlan moves to 22.
        assertEquals(List.of("gw.yaml:21:17: vifs[0].inner-vlan: inner VLAN 0 out of range 1..4094"),
            errors(with("    port: p1", "    port: p1\n    inner-vlan: 0")));
    }

    @Test
    void numberThatIsNotANumber()
    {
        assertEquals(List.of("gw.yaml:21:11: vifs[0].vlan: VLAN must be a whole number; got 'ten'"),
            errors(with("    vlan: 100", "    vlan: ten")));
    }

    @Test
    void nameWithASpace()
    {
        assertEquals(List.of("gw.yaml:19:11: vifs[0].name: name 'vif a' is invalid: use 1-64 letters, digits, '_' or '-'"),
            errors(with("  - name: vif-a", "  - name: vif a")));
    }

    @Test
    void nameLongerThan64Characters()
    {
        final String name = "p".repeat(65);
        assertEquals(List.of("gw.yaml:6:11: ports[0].name: name '" + name + "' is invalid: use 1-64 letters, digits, '_' or '-'",
                "gw.yaml:20:11: vifs[0].port: no port named 'p1' (did you mean 'p2'?)"),
            errors(with("  - name: p1", "  - name: " + name)));
    }

    @Test
    void descriptionLongerThan128Characters()
    {
        assertEquals(List.of("gw.yaml:2:16: gateway.description: description is 129 characters long; at most 128 are allowed"),
            errors(with("  name: gw", "  description: " + "d".repeat(129) + "\n  name: gw")));
    }

    @Test
    void unknownKeyIsAnErrorWithDidYouMean()
    {
        assertEquals(List.of("gw.yaml:19:5: vifs[0].vlan: missing required key 'vlan'",
                "gw.yaml:21:5: vifs[0].vlna: unknown key 'vlna' (did you mean 'vlan'?)"),
            errors(with("    vlan: 100", "    vlna: 100")));
    }

    @Test
    void unknownKeyInOtherSpellingsSuggestsTheKebabCaseKey()
    {
        assertEquals(List.of("gw.yaml:23:10: vifs[0].bgp.peer-asn: missing required key 'peer-asn'",
                "gw.yaml:23:11: vifs[0].bgp.peerAsn: unknown key 'peerAsn' (did you mean 'peer-asn'?)"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peerAsn: 64512}")));
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownOnes()
    {
        assertEquals(List.of("gw.yaml:3:3: gateway.colour: unknown key 'colour'; expected one of: name, asn, router-id, description"),
            errors(with("  asn: 65000", "  colour: blue")));
    }

    @Test
    void duplicateKeyIsAnError()
    {
        assertEquals(List.of("gw.yaml:3:3: gateway.name: duplicate key 'name' (first given at line 2)"),
            errors(with("  asn: 65000", "  name: gw2")));
    }

    @Test
    void malformedYamlIsOneErrorWithItsLine()
    {
        final ConfigCheck check = check(with("    vlan: 100", "    vlan: 100: 200"));
        assertNull(check.config());
        assertEquals(List.of("gw.yaml:21:14: YAML syntax error: mapping values are not allowed here"),
            check.errors().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void tabIndentationIsASyntaxError()
    {
        assertEquals(List.of("gw.yaml:21:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token. " +
                "(Do not use \\t(TAB) for indentation) " +
                "(while scanning for the next token)"),
            errors(with("    vlan: 100", "\tvlan: 100")));
    }

    @Test
    void emptyFile()
    {
        assertEquals(List.of("gw.yaml:1:1: the file is empty: a config needs at least 'gateway' and 'ports'"), errors(""));
    }

    @Test
    void aListWhereAMappingBelongs()
    {
        assertEquals(List.of("gw.yaml:1:1: expected a mapping of gateway, ports, vifs, vpc-attachments, static-routes, " +
                "static-neighbours, vpn-backups; got a list"),
            errors("- gateway\n- ports\n"));
    }

    @Test
    void missingRequiredKeys()
    {
        assertEquals(List.of("gw.yaml:19:5: vifs[0].port: missing required key 'port'"),
            errors(with("    port: p1", "    mac: 02:00:00:00:00:01")));
    }

    @Test
    void malformedAndMulticastMacAddresses()
    {
        assertEquals(List.of("gw.yaml:21:10: vifs[0].mac: MAC address '02:00:00:00:01' is invalid: write six hex bytes " +
                "such as 02:00:00:00:01:01"),
            errors(with("    port: p1", "    port: p1\n    mac: 02:00:00:00:01")));
        assertEquals(List.of("gw.yaml:21:10: vifs[0].mac: MAC address 01:00:5e:00:00:01 is a multicast address: an " +
                "interface needs a unicast one"),
            errors(with("    port: p1", "    port: p1\n    mac: 01:00:5e:00:00:01")));
        assertEquals(List.of("gw.yaml:21:10: vifs[0].mac: MAC address 00:00:00:00:00:00 is all zeros"),
            errors(with("    port: p1", "    port: p1\n    mac: 00:00:00:00:00:00")));
    }

    @Test
    void bfdAndHealthCheckRanges()
    {
        assertEquals(List.of("gw.yaml:24:22: vifs[0].bfd.min-tx-ms: min-tx-ms 5 out of range 10..10000",
                "gw.yaml:24:53: vifs[0].bfd.multiplier: multiplier 0 out of range 1..255"),
            errors(with("    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}",
                "    bfd: {min-tx-ms: 5, min-rx-ms: 100, multiplier: 0}")));
        assertEquals(List.of("gw.yaml:30:80: vifs[1].health-check.interval-ms: interval-ms 20000 out of range 10..10000",
                "gw.yaml:30:94: vifs[1].health-check.count: count 0 out of range 1..255"),
            errors(with("    health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.6}",
                "    health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.6, interval-ms: 20000, count: 0}")));
    }

    @Test
    void bgpHoldTimeOfOneOrTwoSecondsIsInvalid()
    {
        assertEquals(List.of("gw.yaml:23:41: vifs[0].bgp.hold-time-s: hold-time-s 2 is invalid: BGP allows 0 or 3..65535 (RFC 4271 4.2)"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, hold-time-s: 2}")));
    }

    @Test
    void asnRange()
    {
        assertEquals(List.of("gw.yaml:3:8: gateway.asn: ASN 4294967296 out of range 1..4294967295"),
            errors(with("  asn: 65000", "  asn: 4294967296")));
        assertEquals(List.of("gw.yaml:23:21: vifs[0].bgp.peer-asn: peer ASN 0 out of range 1..4294967295"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 0}")));
    }

    @Test
    void cidrWithHostBitsSet()
    {
        assertEquals(List.of("gw.yaml:17:17: vpc-attachments[0].vpc-cidrs[0]: host bits set in 192.168.1.0/16 " +
                "(did you mean 192.168.0.0/16?)"),
            errors(with("    vpc-cidrs: [192.168.0.0/16]", "    vpc-cidrs: [192.168.1.0/16]")));
        assertEquals(List.of("gw.yaml:35:13: static-routes[0].prefix: '172.31.0.1' has no /length: write a CIDR block " +
                "such as 10.0.0.0/16"),
            errors(with("    prefix: 172.31.0.0/24", "    prefix: 172.31.0.1")));
    }

    @Test
    void linuxInterfaceNameLongerThan15()
    {
        assertEquals(List.of("gw.yaml:7:16: ports[0].interface: interface name 'enp0s31f6-uplink' is invalid: Linux allows " +
                "1-15 characters without '/', ':' or spaces"),
            errors(with("    interface: eth1", "    interface: enp0s31f6-uplink")));
    }

    @Test
    void routerIdMustBeANonZeroIpv4Address()
    {
        assertEquals(List.of("gw.yaml:4:14: gateway.router-id: router id 0.0.0.0 is invalid: BGP needs a non-zero IPv4 address (RFC 4271 4.2)"),
            errors(with("  router-id: 10.255.0.1", "  router-id: 0.0.0.0")));
    }

    @Test
    void md5KeyLongerThanLinuxAllows()
    {
        assertEquals(List.of("gw.yaml:23:37: vifs[0].bgp.md5-key: MD5 key is 81 characters long; Linux allows at most 80"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, md5-key: " + "k".repeat(81) + "}")));
    }

    @Test
    void md5KeyMustBeOneWordForFrr()
    {
        assertEquals(List.of("gw.yaml:23:37: vifs[0].bgp.md5-key: MD5 key must be printable ASCII without spaces (FRR reads it as one word)"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, md5-key: 'two words'}")));
    }

    @Test
    void maxPrefixesDefaultsAndRange()
    {
        assertEquals(BgpSession.DEFAULT_MAX_PREFIXES, check(BASE).config().vifs().get(0).bgp().maxPrefixes());
        assertEquals(50, check(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, max-prefixes: 50}"))
            .config().vifs().get(0).bgp().maxPrefixes());
        assertEquals(List.of("gw.yaml:23:42: vifs[0].bgp.max-prefixes: max-prefixes 0 out of range 1..4294967295"),
            errors(with("    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, max-prefixes: 0}")));
    }

    @Test
    void anchorsAndMergeKeysShareSettingsAndKeepTheAnchoredPosition()
    {
        // vif-a defines the BFD timers once; vif-b merges them and overrides the multiplier.
        String yaml = with("    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}",
            "    bfd: &fast {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}");
        yaml = with(yaml, "    vlan: 200", "    vlan: 200\n    bfd: {<<: *fast, multiplier: 5}");
        final ConfigCheck ok = check(yaml);
        assertEquals(List.of(), ok.diagnostics());
        assertEquals(new BfdTimers(100, 100, 5), ok.config().vifs().get(1).bfd());
        // A bad value in the anchor is reported where it is written, once per use.
        final String bad = yaml.replace("{min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}", "{min-tx-ms: 1, min-rx-ms: 100, multiplier: 3}");
        assertEquals(List.of("gw.yaml:24:28: vifs[0].bfd.min-tx-ms: min-tx-ms 1 out of range 10..10000",
                "gw.yaml:24:28: vifs[1].bfd.min-tx-ms: min-tx-ms 1 out of range 10..10000"),
            errors(bad));
    }

    @Test
    void bfdTakesAHoldDownAndKeyedAuthenticationAndRefusesWhatCannotWork()
    {
        final String line = "    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}";
        final ConfigCheck ok = check(with(line, "    bfd: {min-tx-ms: 10, min-rx-ms: 10, multiplier: 3, hold-down-ms: 500, " +
            "auth-type: meticulous-keyed-sha1, auth-key-id: 7, auth-key: s3cret}"));
        assertEquals(List.of(), ok.diagnostics());
        final BfdTimers bfd = ok.config().vifs().get(0).bfd();
        assertEquals(new BfdTimers(10, 10, 3, 500, "meticulous-keyed-sha1", 7, "s3cret"), bfd);
        assertEquals(5, bfd.authTypeNumber(), "RFC 5880's number for meticulous keyed SHA1");
        assertEquals(1000, check(BASE).config().vifs().get(0).bfd().holdDownMs(), "the default hold-down");

        final List<String> errors = errors(with(line,
            "    bfd: {auth-type: simple-password, auth-key: x}"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("vifs[0].bfd.auth-type: BFD auth-type 'simple-password' is not one of keyed-md5"),
            errors.get(0));
        assertTrue(errors(with(line, "    bfd: {auth-type: keyed-md5, auth-key: " + "k".repeat(17) + "}")).get(0)
            .contains("a BFD MD5 key has 1..16 characters, this one 17"));
        assertTrue(errors(with(line, "    bfd: {auth-type: keyed-sha1}")).get(0).contains("needs an auth-key"));
        assertTrue(errors(with(line, "    bfd: {auth-key: k}")).get(0).contains("a BFD auth-key needs an auth-type"));
        assertTrue(errors(with(line, "    bfd: {hold-down-ms: -1}")).get(0).contains("hold-down-ms -1 out of range 0..600000"));
    }
}
