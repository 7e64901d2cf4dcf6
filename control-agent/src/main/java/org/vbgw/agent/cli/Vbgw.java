package org.vbgw.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vbgw} command line: the one entry point an operator uses. Each subcommand is a class of
 * its own, named after what it does.
 */
@Command(
    name = "vbgw",
    mixinStandardHelpOptions = true,
    version = "vbgw 0.1.0",
    description = "Virtual border gateway: a user-space forwarder and the agent that programs it.",
    subcommands = { RunCommand.class, CheckCommand.class, ClientConfigCommand.class, ShowCommand.class, RouteCommand.class,
        ReloadCommand.class, StatCommand.class,
        JournalCommand.class,
        ReplayCommand.class,
        FibCommand.class,
        DemoCommand.class,
        LabCommand.class, DrillCommand.class,
        CommandLine.HelpCommand.class })
public final class Vbgw
{
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine()
    {
        final CommandLine cl = new CommandLine(new Vbgw());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            // Operators get the message, not a stack trace: every error at the edges names what was wrong.
            cmd.getErr().println("vbgw: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return 2;
        });
        return cl;
    }
}
