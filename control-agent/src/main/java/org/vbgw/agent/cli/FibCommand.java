package org.vbgw.agent.cli;

import picocli.CommandLine.Command;

/** {@code vbgw fib ...}: ask the forwarding table questions without running a gateway. */
@Command(
    name = "fib",
    mixinStandardHelpOptions = true,
    description = "Query and size the forwarding table offline.",
    subcommands = { FibLookupCommand.class, FibBenchCommand.class })
public final class FibCommand
{
}
