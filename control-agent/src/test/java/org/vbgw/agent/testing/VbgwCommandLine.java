package org.vbgw.agent.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code vbgw ARGS} in a JVM of its own, as an operator would start it, with this
 * test JVM's java, module flags (Agrona, Chronicle), log settings and class path: the integration tests that run
 * {@code vbgw run} in a namespace start it with this.
 */
public final class VbgwCommandLine
{
    private VbgwCommandLine()
    {
    }

    /** {@code java FLAGS -cp CLASSPATH org.vbgw.agent.cli.Vbgw ARGS}. */
    public static List<String> of(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("-Dorg.slf4j"))
            {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.vbgw.agent.cli.Vbgw"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The same, run in network namespace {@code netns} ({@code ip netns exec NETNS java ...}). SIGHUP is reset to
     * its default first: a build started under {@code nohup} passes SIGHUP on as ignored, and the JVM then installs
     * no handler for it, so the gateway's reload on SIGHUP would never run.
     */
    public static List<String> inNamespace(final String netns, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env", "--default-signal=HUP"));
        command.addAll(of(args));
        return command;
    }
}
