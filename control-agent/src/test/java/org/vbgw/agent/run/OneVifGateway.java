package org.vbgw.agent.run;

/**
 * The gateway config the run package's namespace tests start {@code vbgw run} with: port {@code dc} (eth1) with one
 * untagged VIF {@code dx} at 10.0.0.1/30 towards 10.0.0.2, and VPC attachment {@code vpc-1} (192.168.0.0/16) on
 * port {@code vpc} (eth2). Each test adds the VIF's own lines: remote subnets, BGP, BFD, a health check.
 */
final class OneVifGateway
{
    private OneVifGateway()
    {
    }

    /** The config named {@code name}, with {@code vifLines} (indented as VIF keys) added to VIF dx. */
    static String config(final String name, final String... vifLines)
    {
        return String.join("\n",
            "gateway:",
            "  name: " + name,
            "ports:",
            "  - name: dc",
            "    interface: eth1",
            "    location: lab",
            "  - name: vpc",
            "    interface: eth2",
            "vpc-attachments:",
            "  - name: vpc-1",
            "    port: vpc",
            "    vpc-cidrs: [192.168.0.0/16]",
            "vifs:",
            "  - name: dx",
            "    port: dc",
            "    vlan: 0",
            "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
            "") + String.join("\n", vifLines) + "\n";
    }
}
