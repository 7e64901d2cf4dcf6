package org.vbgw.perf.fpm;

/** The gateway the FPM benchmarks feed: two VIFs (two peers), IPv4 and IPv6, BGP on both. */
final class FpmIngestBenchmarkConfig
{
    static final String CONFIG = String.join("\n",
        "gateway:",
        "  name: fpm-bench",
        "ports:",
        "  - {name: dc1, interface: eth1, location: a}",
        "  - {name: dc2, interface: eth2, location: b}",
        "vifs:",
        "  - name: vif-a",
        "    port: dc1",
        "    vlan: 0",
        "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
        "    ipv6: {local: '2001:db8::1/126', peer: '2001:db8::2/126'}",
        "    bgp: {peer-asn: 64512}",
        "  - name: vif-b",
        "    port: dc2",
        "    vlan: 0",
        "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}",
        "    ipv6: {local: '2001:db8::5/126', peer: '2001:db8::6/126'}",
        "    bgp: {peer-asn: 64512}",
        "");

    private FpmIngestBenchmarkConfig()
    {
    }
}
