package org.vbgw.agent.frr;

import java.util.List;

/**
 * One FRR daemon to run: its name (the binary in FRR's daemon directory, e.g. {@code zebra}), its config file
 * text, and the arguments it needs besides the paths {@link FrrDaemons} gives every daemon (e.g. zebra's
 * {@code -M dplane_fpm_nl}).
 */
public record FrrDaemon(String name, String config, List<String> arguments)
{
    public FrrDaemon
    {
        if (!name.matches("[a-z0-9]+"))
        {
            throw new IllegalArgumentException("not an FRR daemon name: '" + name + "'");
        }
        arguments = List.copyOf(arguments);
    }
}
