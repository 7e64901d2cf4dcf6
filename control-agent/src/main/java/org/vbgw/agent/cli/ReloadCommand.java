package org.vbgw.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vbgw reload [CONFIG]}: a running gateway applies a changed config, touching only what changed. Without
 * CONFIG it re-reads the file it was started with (as SIGHUP does); with CONFIG the file's text is sent. A config
 * with errors, or one that changes ports, is refused with every reason, and nothing changes.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
    description = "Apply a changed config to a running gateway (only the differences).")
public final class ReloadCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "The new config (default: the file the gateway runs).")
    Path configFile;

    @Option(names = "--api", defaultValue = "127.0.0.1:9468", description = "The gateway's HTTP API.")
    String api;

    @Option(names = "--json", description = "Print the reload report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        final String body = configFile == null ? "" : Files.readString(configFile, StandardCharsets.UTF_8);
        final String report;
        try
        {
            report = RouteCommand.send(api, HttpRequest.newBuilder(URI.create("http://" + api + "/api/reload"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/yaml"));
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println(ex.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        if (json)
        {
            spec.commandLine().getOut().println(report);
            return 0;
        }
        final com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report);
        final var out = spec.commandLine().getOut();
        out.printf("reloaded: %d VIF(s) added %s, %d removed %s, %d changed %s; %d route prefix(es) changed; " +
                "%d journal entries%n", r.path("vifs_added").size(), r.path("vifs_added"), r.path("vifs_removed").size(),
            r.path("vifs_removed"), r.path("vifs_changed").size(), r.path("vifs_changed"),
            r.path("route_prefixes_changed").asInt(), r.path("journal_entries").asLong());
        r.path("notes").forEach(n -> out.println("note: " + n.asText()));
        return 0;
    }
}
