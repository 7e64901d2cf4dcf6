package org.vbgw.agent.lab.drill;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a drill ran on, for the report: timings mean little without it.
 *
 * @param cpu the model name from {@code /proc/cpuinfo}, or {@code unknown}.
 */
public record Machine(String host, String os, String kernel, String cpu, int cores, String java)
{
    /** This machine. */
    public static Machine current()
    {
        String host;
        try
        {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            host = "unknown";
        }
        String cpu = "unknown";
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        catch (final IOException ex)
        {
            // Not Linux, or no procfs: the model stays unknown, which the report shows.
        }
        return new Machine(host, System.getProperty("os.name"), System.getProperty("os.version"), cpu,
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " +
            System.getProperty("java.version"));
    }

    /** One line, e.g. {@code host (Linux 6.1, 2 x Intel Xeon ..., OpenJDK 17.0.9)}. */
    public String describe()
    {
        return host + " (" + os + " " + kernel + ", " + cores + " x " + cpu + ", " + java + ")";
    }
}
