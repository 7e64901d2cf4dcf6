package org.vbgw.agent.config;

/**
 * A physical connection (seed 000 "physical connection", seed 002 "connection"): a Linux interface
 * at an access location. The seeds ask for two of them at different locations; the redundancy lint
 * checks exactly that, so {@code location} matters even though forwarding never reads it.
 *
 * @param path            where the entry was read from, e.g. {@code ports[0]}
 * @param linuxInterface  the Linux interface name (at most 15 characters, IFNAMSIZ - 1)
 * @param location        the access location or site, or null when not given
 * @param mtuBytes        the IP MTU of the port, 68..9216
 */
public record PortConfig(String path, String name, String linuxInterface, String location, int mtuBytes,
                         String description)
{
    public static final int DEFAULT_MTU_BYTES = 1500;
}
