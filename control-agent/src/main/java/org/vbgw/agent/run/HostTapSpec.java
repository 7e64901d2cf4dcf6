package org.vbgw.agent.run;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What the host side of a VIF looks like: the TAP the host kernel (and FRR on it) sees as an ordinary
 * interface, with the VIF's MAC, MTU and interface addresses, so BGP to the peer just works.
 *
 * @param addresses the VIF's addresses with their subnet length, e.g. {@code 10.0.0.1/30}.
 */
public record HostTapSpec(String vifName, long mac, int mtuBytes, List<String> addresses)
{
    /** Longest Linux interface name (IFNAMSIZ less the terminating NUL). */
    private static final int MAX_NAME = 15;
    private static final String PREFIX = "vb-";

    /** The TAP's Linux interface name ({@link #tapName(String)}). */
    public String interfaceName()
    {
        return tapName(vifName);
    }

    /**
     * The host TAP's name for a VIF or VPC attachment: {@code vb-NAME}, or, when that is longer than 15 bytes,
     * {@code vb-} and the name's first 7 characters, a dash and 4 hex digits of the whole name's CRC-32. Cutting
     * the name short instead gave {@code vif-magdeburg-a} and {@code vif-magdeburg-b} one TAP (names run to 64
     * characters), and FPM's routes through it one VIF. The config check refuses the rare names that still meet.
     */
    public static String tapName(final String vifName)
    {
        final String name = PREFIX + vifName;
        if (name.length() <= MAX_NAME)
        {
            return name;
        }
        final CRC32 crc = new CRC32();
        crc.update(vifName.getBytes(StandardCharsets.UTF_8));
        final String hash = String.format("-%04x", crc.getValue() & 0xFFFF);
        return PREFIX + vifName.substring(0, MAX_NAME - PREFIX.length() - hash.length()) + hash;
    }
}
