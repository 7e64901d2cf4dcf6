package org.vbgw.agent.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a namespace lab needs from the machine: root (namespaces, veths, AF_PACKET), and the commands of a few
 * Debian packages. {@link #missing()} names each missing piece with the way to get it, so {@code vbgw lab up}
 * and {@code vbgw demo} can say exactly what to do instead of failing halfway.
 */
public final class LabPrerequisites
{
    /** Command → Debian package. */
    static final Map<String, String> COMMANDS = new java.util.LinkedHashMap<>();

    static
    {
        COMMANDS.put("ip", "iproute2");
        COMMANDS.put("bird", "bird2");
        COMMANDS.put("birdc", "bird2");
        COMMANDS.put("vtysh", "frr");
        COMMANDS.put("nft", "nftables");
        COMMANDS.put("ethtool", "ethtool");
        COMMANDS.put("curl", "curl");
        COMMANDS.put("ping", "iputils-ping");
        COMMANDS.put("setsid", "util-linux");
    }

    private LabPrerequisites()
    {
    }

    /** Whether this process runs as root (uid 0). */
    public static boolean root()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException ex)
        {
            // No /proc: not Linux, certainly no namespaces.
        }
        return false;
    }

    /** The Debian packages whose commands are not on the PATH (FRR's zebra and bgpd counted with vtysh). */
    public static List<String> missingPackages()
    {
        final List<String> packages = new ArrayList<>();
        for (final Map.Entry<String, String> e : COMMANDS.entrySet())
        {
            if (!onPath(e.getKey()) && !packages.contains(e.getValue()))
            {
                packages.add(e.getValue());
            }
        }
        if (!packages.contains("frr") && !Files.isExecutable(Path.of("/usr/lib/frr/bgpd")))
        {
            packages.add("frr");
        }
        return packages;
    }

    /** Everything missing, one sentence each with the fix; empty when a lab can run. */
    public static List<String> missing()
    {
        final List<String> missing = new ArrayList<>();
        if (!root())
        {
            missing.add("root: network namespaces, veths and packet sockets need it (run: sudo ./vbgw ...)");
        }
        final List<String> packages = missingPackages();
        if (!packages.isEmpty())
        {
            missing.add("packages " + String.join(", ", packages) + " (install: sudo apt-get install " +
                String.join(" ", packages) + ")");
        }
        return missing;
    }

    private static boolean onPath(final String command)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        // sbin is not on every user's PATH, while the packages put their daemons there.
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }
}
