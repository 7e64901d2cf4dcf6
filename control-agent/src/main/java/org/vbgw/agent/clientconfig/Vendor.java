package org.vbgw.agent.clientconfig;

import java.util.Locale;

/**
 * The router platforms {@code vbgw client-config} writes for, each with its renderer: what the cloud consoles
 * offer as "download router configuration" (seed 000 notes that JD Cloud's console cannot).
 */
public enum Vendor
{
    /** BIRD 2 ({@code bird.conf}); Linux owns the interfaces, so their commands come as comments. */
    BIRD("bird"),
    /** FRR 8 integrated config ({@code frr.conf}, {@code vtysh -f}); zebra owns addresses, Linux the VLAN devices. */
    FRR("frr"),
    /** Cisco IOS XE configuration mode commands. */
    CISCO("cisco"),
    /** Junos configuration in its hierarchy (curly-brace) form. */
    JUNOS("junos"),
    /** The same Junos configuration as {@code set} commands. */
    JUNOS_SET("junos-set");

    private final String cliName;

    Vendor(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** Renders the customer side in this vendor's syntax. */
    public String render(final ClientSide side)
    {
        return switch (this)
        {
            case BIRD -> BirdConfig.render(side);
            case FRR -> FrrConfig.render(side);
            case CISCO -> CiscoConfig.render(side);
            case JUNOS -> JunosConfig.tree(side).curly();
            case JUNOS_SET -> JunosConfig.tree(side).setCommands();
        };
    }

    /** Parses the {@code --vendor} value. */
    public static Vendor of(final String text)
    {
        for (final Vendor v : values())
        {
            if (v.cliName.equals(text.toLowerCase(Locale.ROOT)))
            {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown vendor '" + text + "': use bird, frr, cisco, junos or junos-set");
    }
}
