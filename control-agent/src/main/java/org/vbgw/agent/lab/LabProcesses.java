package org.vbgw.agent.lab;

import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The lab's background processes: started in a namespace in a session of their own ({@code setsid}), so that
 * they outlive the {@code vbgw lab up} that started them and a Ctrl-C in its terminal; each one's pid in a
 * pid file and its output in a log in the lab's directory; stopped by pid, never by name.
 */
public final class LabProcesses
{
    private LabProcesses()
    {
    }

    /**
     * The command line that runs {@code vbgw ARGS} in a JVM of its own: this JVM's java, its module and system
     * flags (Agrona, Chronicle), class path, and {@code extraJvmFlags}.
     */
    public static List<String> vbgw(final List<String> extraJvmFlags, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc") ||
                arg.startsWith("-Dchronicle") || arg.startsWith("-Dorg.slf4j") || arg.startsWith("-Djnr"))
            {
                command.add(arg);
            }
        }
        command.addAll(extraJvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.vbgw.agent.cli.Vbgw"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code command} in {@code namespace} as a session leader, output to {@code log}, and writes its pid
     * to {@code pidFile}.
     */
    public static long start(final String namespace, final List<String> command, final Path log, final Path pidFile)
    {
        final List<String> full = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", namespace));
        full.addAll(command);
        try
        {
            // setsid execs (it is not a group leader here) and so does ip netns exec: the pid is the command's.
            final Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Files.writeString(pidFile, p.pid() + "\n");
            return p.pid();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + String.join(" ", full) + ": " + ex.getMessage(), ex);
        }
    }

    /** The live process of a pid file, if the file exists and the process still runs. */
    public static Optional<ProcessHandle> alive(final Path pidFile)
    {
        try
        {
            if (!Files.exists(pidFile))
            {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
        }
        catch (final IOException | NumberFormatException ex)
        {
            return Optional.empty();
        }
    }

    /** Stops a pid file's process with SIGTERM, then SIGKILL after {@code graceMs}; true if one was running. */
    public static boolean stop(final Path pidFile, final long graceMs)
    {
        final Optional<ProcessHandle> p = alive(pidFile);
        p.ifPresent(h -> stop(h, graceMs));
        return p.isPresent();
    }

    /** Stops a process with SIGTERM, then SIGKILL after {@code graceMs}. */
    public static void stop(final ProcessHandle process, final long graceMs)
    {
        process.destroy();
        try
        {
            process.onExit().get(graceMs, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ex)
        {
            process.destroyForcibly();
        }
    }

    /** Every process in a namespace ({@code ip netns pids}); empty when the namespace is gone. */
    public static List<Long> inNamespace(final String namespace)
    {
        try
        {
            return Netns.run("ip", "netns", "pids", namespace).lines().map(String::trim).filter(l -> !l.isEmpty())
                .map(Long::parseLong).toList();
        }
        catch (final RuntimeException ex)
        {
            return List.of();
        }
    }
}
