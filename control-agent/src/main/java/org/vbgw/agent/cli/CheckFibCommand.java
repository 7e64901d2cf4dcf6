package org.vbgw.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vbgw.agent.frr.FibCheck;
import org.vbgw.agent.frr.Vtysh;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vbgw check fib [--json]}: FRR's BGP routes (through vtysh) against a running gateway's FIB and BGP
 * routes (through its HTTP API), differences listed. Exit 0 when they agree, 1 when they differ, 2 when either
 * side cannot be asked.
 */
@Command(name = "fib", mixinStandardHelpOptions = true,
    description = "Compare FRR's BGP routes with the running gateway's FIB; exit 1 when they differ.")
public final class CheckFibCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--api", defaultValue = "127.0.0.1:9468", description = "The gateway's HTTP API (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--frr-dir", defaultValue = "/var/lib/vbgw/frr",
        description = "FRR's directory, with its vty sockets: STATE-DIR/frr of `vbgw run` (default: ${DEFAULT-VALUE}).")
    Path frrDir;

    @Option(names = "--json", description = "Print the differences as one JSON document.")
    boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ObjectMapper mapper = new ObjectMapper();
        final List<FibCheck.Difference> differences;
        try
        {
            final Vtysh vtysh = new Vtysh(frrDir);
            final List<JsonNode> frr = List.of(vtysh.json(FibCheck.FRR_IPV4), vtysh.json(FibCheck.FRR_IPV6));
            final JsonNode routes = mapper.readTree(ShowCommand.fetch(uri("routes")));
            final JsonNode vifs = mapper.readTree(ShowCommand.fetch(uri("vifs")));
            JsonNode rib;
            try
            {
                rib = mapper.readTree(ShowCommand.fetch(uri("rib")));
            }
            catch (final IllegalStateException ex)
            {
                err.println("vbgw check fib: " + ex.getMessage() + "; not checking for BGP routes FRR no longer has");
                rib = null;
            }
            differences = FibCheck.compare(frr, routes, vifs, rib);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("vbgw check fib: interrupted");
            err.flush();
            return 2;
        }
        catch (final Exception ex)
        {
            err.println("vbgw check fib: " + ex.getMessage());
            err.flush();
            return 2;
        }
        if (json)
        {
            final ObjectNode doc = mapper.createObjectNode();
            doc.put("consistent", differences.isEmpty());
            final ArrayNode list = doc.putArray("differences");
            for (final FibCheck.Difference d : differences)
            {
                list.addObject().put("prefix", d.prefix()).put("kind", d.kind().name()).put("frr", d.frr()).put("vbgw", d.vbgw());
            }
            out.println(doc);
        }
        else if (differences.isEmpty())
        {
            out.println("FRR and vbgw agree on every BGP route");
        }
        else
        {
            differences.forEach(out::println);
            out.println(differences.size() + " difference(s) between FRR and vbgw");
        }
        out.flush();
        err.flush();
        return differences.isEmpty() ? 0 : 1;
    }

    private URI uri(final String resource)
    {
        return URI.create("http://" + api + "/api/" + resource);
    }
}
