package org.vbgw.agent.clientconfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A VIF on a Linux customer router (BIRD, FRR): the VLAN device it needs and the {@code ip} commands that make
 * it. Neither daemon creates VLAN devices, so both renderers print these commands as a comment, and the
 * containerlab topologies run them on the customer node.
 */
final class LinuxLink
{
    /** IFNAMSIZ - 1. */
    private static final int MAX_NAME = 15;

    private LinuxLink()
    {
    }

    /**
     * The Linux name of the VIF's interface: the parent for VLAN 0, {@code parent.vlan} for 802.1Q,
     * {@code parent.outer.inner} for QinQ (the kernel's own naming convention for VLAN devices).
     *
     * @throws IllegalArgumentException when the name would be longer than Linux allows
     */
    static String interfaceName(final ClientSide.Link link)
    {
        final String name = link.untagged() ? link.parentInterface()
            : link.parentInterface() + "." + link.vlan() + (link.qinq() ? "." + link.innerVlan() : "");
        if (name.length() > MAX_NAME || name.isEmpty())
        {
            throw new IllegalArgumentException("Linux interface name '" + name + "' of VIF " + link.vifName() +
                " is longer than " + MAX_NAME + " characters: pass a shorter --interface");
        }
        return name;
    }

    /**
     * The commands that create the VIF's interface and its addresses. The outer tag of QinQ is 802.1ad (TPID
     * 0x88A8), which is what vbgw sends by default.
     */
    static List<String> commands(final ClientSide.Link link)
    {
        final List<String> commands = new ArrayList<>();
        final String name = interfaceName(link);
        if (!link.untagged())
        {
            if (link.qinq())
            {
                final String outer = link.parentInterface() + "." + link.vlan();
                commands.add("ip link add link " + link.parentInterface() + " name " + outer +
                    " type vlan proto 802.1ad id " + link.vlan());
                commands.add("ip link add link " + outer + " name " + name + " type vlan id " + link.innerVlan());
                commands.add("ip link set " + outer + " up");
            }
            else
            {
                commands.add("ip link add link " + link.parentInterface() + " name " + name + " type vlan id " +
                    link.vlan());
            }
        }
        return commands;
    }

    /** The address commands, for a router whose daemon does not set addresses itself (BIRD). */
    static List<String> addressCommands(final ClientSide.Link link)
    {
        final List<String> commands = new ArrayList<>();
        final String name = interfaceName(link);
        for (final ClientSide.Side s : link.sides())
        {
            commands.add("ip " + (s.ipv6() ? "-6 " : "") + "address add " + s.customerCidr() + " dev " + name);
        }
        commands.add("ip link set " + name + " up");
        return commands;
    }
}
