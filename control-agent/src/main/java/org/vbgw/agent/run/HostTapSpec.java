package org.vbgw.agent.run;

import java.util.List;

/**
 * What the host side of a VIF looks like: the TAP the host kernel (and FRR on it) sees as an ordinary
 * interface, with the VIF's MAC, MTU and interface addresses, so BGP to the peer just works.
 *
 * @param addresses the VIF's addresses with their subnet length, e.g. {@code 10.0.0.1/30}.
 */
public record HostTapSpec(String vifName, long mac, int mtuBytes, List<String> addresses)
{
    /** A Linux interface name for the TAP: at most 15 bytes. */
    public String interfaceName()
    {
        final String name = "vb-" + vifName;
        return name.length() > 15 ? name.substring(0, 15) : name;
    }
}
