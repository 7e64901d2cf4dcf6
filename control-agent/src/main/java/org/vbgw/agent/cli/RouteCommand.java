package org.vbgw.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code vbgw route add PREFIX NEXTHOP... [--distance N]} and {@code vbgw route del PREFIX}: operator routes
 * on a running gateway, through its HTTP API. They go through the RIB and the journal like every route, at
 * the API source's distance (1 unless given); the agent keeps them in a file beside the journal and restores
 * them when it restarts.
 */
@Command(name = "route", mixinStandardHelpOptions = true, description = "Add or delete an operator route on a running gateway.",
    subcommands = { RouteCommand.Add.class, RouteCommand.Del.class })
public final class RouteCommand
{
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add or replace a route (several next hops: ECMP).")
    static final class Add implements java.util.concurrent.Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "The prefix, e.g. 172.16.0.0/12.")
        String prefix;

        @Parameters(index = "1..*", arity = "1..*", description = "Next hop addresses, each in a VIF's interconnect subnet.")
        List<String> nextHops;

        @Option(names = "--distance", defaultValue = "1", description = "Administrative distance (default: ${DEFAULT-VALUE}).")
        int distance;

        @Option(names = "--api", defaultValue = "127.0.0.1:9468", description = "The gateway's HTTP API.")
        String api;

        @Override
        public Integer call() throws Exception
        {
            final String body = "{\"prefix\":\"" + prefix + "\",\"nexthops\":[" +
                nextHops.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",")) + "],\"distance\":" + distance + "}";
            spec.commandLine().getOut().println(send(api, HttpRequest.newBuilder(URI.create("http://" + api + "/api/routes"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")));
            return 0;
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete an operator route.")
    static final class Del implements java.util.concurrent.Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "The prefix.")
        String prefix;

        @Option(names = "--api", defaultValue = "127.0.0.1:9468", description = "The gateway's HTTP API.")
        String api;

        @Override
        public Integer call() throws Exception
        {
            spec.commandLine().getOut().println(send(api, HttpRequest.newBuilder(URI.create("http://" + api +
                "/api/routes?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8))).DELETE()));
            return 0;
        }
    }

    static String send(final String api, final HttpRequest.Builder request) throws Exception
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                .send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new IllegalArgumentException(response.body().trim().replaceFirst("^vbgw: ", ""));
            }
            return response.body();
        }
        catch (final ConnectException ex)
        {
            throw new IllegalStateException("no gateway answers at " + api + " (is `vbgw run` running, with --http there?)", ex);
        }
    }
}
