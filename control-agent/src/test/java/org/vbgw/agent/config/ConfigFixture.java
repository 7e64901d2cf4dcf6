package org.vbgw.agent.config;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small valid config whose line numbers the tests rely on, and helpers that break one line of it
 * and return what the check reports. Replacing one line by one line keeps every other position.
 */
final class ConfigFixture
{
    /** Line numbers in the comments; tests cite them in expected positions. */
    static final String BASE = """
        gateway:
          name: gw
          asn: 65000
          router-id: 10.255.0.1
        ports:
          - name: p1
            interface: eth1
            location: site-a
          - name: p2
            interface: eth2
            location: site-b
          - name: vpc
            interface: eth3
        vpc-attachments:
          - name: vpc-1
            port: vpc
            vpc-cidrs: [192.168.0.0/16]
        vifs:
          - name: vif-a
            port: p1
            vlan: 100
            ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}
            bgp: {peer-asn: 64512}
            bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}
            remote-subnets: [172.16.0.0/16]
          - name: vif-b
            port: p2
            vlan: 200
            ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}
            health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.6}
            remote-subnets:
              - 172.16.0.0/16
        static-routes:
          - name: mgmt
            prefix: 172.31.0.0/24
            next-hops: [10.0.0.2, 10.0.0.6]
        """;

    private ConfigFixture()
    {
    }

    /** BASE with the one line equal to {@code line} replaced by {@code replacement}. */
    static String with(final String line, final String replacement)
    {
        return with(BASE, line, replacement);
    }

    static String with(final String yaml, final String line, final String replacement)
    {
        final String[] lines = yaml.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].equals(line))
            {
                assertEquals(-1, found, "line occurs twice in the fixture: " + line);
                found = i;
            }
        }
        assertTrue(found >= 0, "line not in the fixture: " + line);
        lines[found] = replacement;
        return String.join("\n", lines);
    }

    static ConfigCheck check(final String yaml)
    {
        return ConfigCheck.of("gw.yaml", yaml);
    }

    static List<String> errors(final String yaml)
    {
        return check(yaml).errors().stream().map(Diagnostic::toString).toList();
    }

    static List<String> warnings(final String yaml)
    {
        return check(yaml).warnings().stream().map(Diagnostic::toString).toList();
    }
}
