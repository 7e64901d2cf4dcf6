package org.vbgw.agent.config;

/**
 * One way traffic leaves the gateway toward the IDC (a VIF, or a VPN backup), where it leaves, and
 * how long a silent failure of it takes to detect, from its timers.
 *
 * @param kind       {@code vif} or {@code vpn}
 * @param port       the port it leaves through, or the tunnel interface of a VPN
 * @param location   the port's location, or null when not given
 * @param detection  {@code bfd}, {@code health-check}, {@code bgp-hold-time} or {@code none}
 * @param failoverMs the expected failover time in milliseconds, or -1 for never
 */
public record PathReport(String kind, String name, String port, String location, String detection, long failoverMs)
{
    /** {@code 900 ms}, {@code 16 s}, or {@code never (no detection)}. */
    public String failoverText()
    {
        if (failoverMs < 0)
        {
            return "never (no detection)";
        }
        return failoverMs < 10_000 || failoverMs % 1000 != 0 ? failoverMs + " ms" : failoverMs / 1000 + " s";
    }
}
