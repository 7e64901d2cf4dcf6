package org.vbgw.agent.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The failures of the seeds' failover test, as {@link LabFault} applies them to one path of a lab: the names are
 * the ones {@code vbgw lab cut --mode} and {@code vbgw drill --modes} take.
 */
public enum FailureMode
{
    /** The link goes down: the gateway's carrier detector sees it. */
    PORT_DOWN("port-down"),
    /** The BGP session breaks while the link stays up. */
    BGP_DOWN("bgp-down"),
    /** The customer router stops announcing its prefixes over the path; the session stays up. */
    ROUTE_WITHDRAWN("route-withdrawn"),
    /** The far end stops answering BFD (and everything else) while the link stays up. */
    BFD_SILENCED("bfd-silenced");

    private final String cliName;

    FailureMode(final String cliName)
    {
        this.cliName = cliName;
    }

    /** The name on the command line and in reports, e.g. {@code port-down}. */
    public String cliName()
    {
        return cliName;
    }

    /** The mode named {@code name}; the exception lists the valid names. */
    public static FailureMode of(final String name)
    {
        for (final FailureMode mode : values())
        {
            if (mode.cliName.equals(name.trim().toLowerCase(java.util.Locale.ROOT)))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown failure mode '" + name + "': expected one of " + names());
    }

    /** A comma-separated list such as {@code port-down,bfd-silenced}, in the order given, without repeats. */
    public static List<FailureMode> parseList(final String list)
    {
        final List<FailureMode> modes = new ArrayList<>();
        for (final String name : list.split(","))
        {
            if (name.isBlank())
            {
                throw new IllegalArgumentException("empty failure mode in '" + list + "': expected one of " + names());
            }
            final FailureMode mode = of(name);
            if (!modes.contains(mode))
            {
                modes.add(mode);
            }
        }
        return modes;
    }

    private static String names()
    {
        return Arrays.stream(values()).map(FailureMode::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString()
    {
        return cliName;
    }
}
