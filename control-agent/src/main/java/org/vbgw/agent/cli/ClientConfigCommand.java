package org.vbgw.agent.cli;

import org.vbgw.agent.clientconfig.ClientSide;
import org.vbgw.agent.clientconfig.Vendor;
import org.vbgw.agent.config.ConfigCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vbgw client-config CONFIG VIF... --vendor bird|frr|cisco|junos|junos-set [--interface IF]... [--out FILE]}:
 * the customer router's side of one or more VIFs, in a vendor's syntax: the cloud consoles' "download router
 * configuration".
 * <p>
 * Several VIFs render one router that terminates all of them (one ASN). Exit 0 with the config on standard
 * output or in {@code --out}; exit 1 when the gateway config has errors or the VIFs cannot be rendered (the
 * message says why); exit 2 when a file cannot be read or written.
 */
@Command(name = "client-config", mixinStandardHelpOptions = true,
    description = "Print the customer-side router config of a VIF (BIRD 2, FRR, Cisco IOS XE, Junos).")
public final class ClientConfigCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The gateway config file (YAML).")
    Path configFile;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "VIF",
        description = "The VIF(s) the customer router terminates.")
    List<String> vifs;

    @Option(names = "--vendor", required = true, paramLabel = "V",
        description = "bird, frr, cisco, junos or junos-set (Junos as set commands).")
    String vendor;

    @Option(names = "--interface", paramLabel = "IF",
        description = "The customer router's interface each VIF rides on: once for all, or once per VIF " +
            "(default eth1; GigabitEthernet0/0/1 for cisco; ge-0/0/1 for junos).")
    List<String> interfaces;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the config here instead of standard output.")
    Path out;

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final ConfigCheck check;
        try
        {
            check = ConfigCheck.of(configFile);
        }
        catch (final IOException ex)
        {
            err.println("vbgw client-config: cannot read " + configFile + ": " + ex.getClass().getSimpleName() +
                (ex.getMessage() != null ? " " + ex.getMessage() : ""));
            err.flush();
            return 2;
        }
        final String text;
        try
        {
            final Vendor v = Vendor.of(vendor);
            final List<String> parents = interfaces == null || interfaces.isEmpty()
                ? List.of(ClientSide.defaultParentInterface(v)) : interfaces;
            text = v.render(ClientSide.of(check, vifs, parents));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("vbgw client-config: " + ex.getMessage());
            err.flush();
            return 1;
        }
        if (out == null)
        {
            final PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(text);
            stdout.flush();
            return 0;
        }
        try
        {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            err.println("vbgw client-config: cannot write " + out + ": " + ex.getClass().getSimpleName() +
                (ex.getMessage() != null ? " " + ex.getMessage() : ""));
            err.flush();
            return 2;
        }
        return 0;
    }
}
