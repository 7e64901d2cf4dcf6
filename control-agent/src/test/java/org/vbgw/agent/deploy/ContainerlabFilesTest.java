package org.vbgw.agent.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vbgw.agent.cli.Vbgw;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.PortConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The containerlab files, as far as they can be checked without Docker: every topology parses, wires existing
 * nodes, binds files that exist, runs the gateway on a config that passes {@code vbgw check} with exactly the
 * interfaces its ports name, and configures its customer router with what {@code vbgw client-config} renders
 * now (so a committed config cannot drift from the renderer); the image definition copies files that exist
 * and starts the entrypoint; the shell scripts parse.
 */
class ContainerlabFilesTest
{
    /** Surefire runs in the module directory. */
    private static final Path LAB = Path.of("deploy", "containerlab");
    private static final Path REPOSITORY = Path.of("..");

    @TempDir
    Path dir;

    static Stream<Path> topologies() throws IOException
    {
        try (Stream<Path> files = Files.list(LAB))
        {
            final List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".clab.yml")).sorted().toList();
            assertEquals(3, all.size(), "one topology per scenario: " + all);
            return all.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(final Path file) throws IOException
    {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object o)
    {
        return (Map<String, Object>)o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(final Object o)
    {
        return o == null ? List.of() : (List<String>)o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void theTopologyIsWiredAndItsFilesExist(final Path topology) throws IOException
    {
        final Map<String, Object> root = yaml(topology);
        assertTrue(root.get("name") instanceof String name && !name.isBlank(), "a lab name");
        final Map<String, Object> nodes = map(map(root.get("topology")).get("nodes"));
        final Set<String> used = new HashSet<>();
        for (final Object link : (List<Object>)map(root.get("topology")).get("links"))
        {
            final List<String> endpoints = strings(map(link).get("endpoints"));
            assertEquals(2, endpoints.size(), "a link has two endpoints: " + endpoints);
            for (final String e : endpoints)
            {
                final String[] nodeIf = e.split(":");
                assertEquals(2, nodeIf.length, e);
                assertTrue(nodes.containsKey(nodeIf[0]), "link to an unknown node: " + e);
                assertTrue(nodeIf[1].matches("eth[1-9][0-9]*"), "data interfaces of linux nodes are eth1..: " + e);
                assertTrue(used.add(e), "interface wired twice: " + e);
            }
        }
        nodes.forEach((name, n) ->
        {
            assertEquals("linux", map(n).get("kind"), name + " is a linux kind node");
            assertNotNull(map(n).get("image"), name + " names its image");
            for (final String bind : strings(map(n).get("binds")))
            {
                final Path source = topology.getParent().resolve(bind.substring(0, bind.indexOf(':')));
                assertTrue(Files.isRegularFile(source), name + " binds a missing file: " + source);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void theGatewayRunsACheckedConfigOnTheInterfacesItsPortsName(final Path topology) throws IOException
    {
        final Map<String, Object> root = yaml(topology);
        final Map<String, Object> gw = map(map(map(root.get("topology")).get("nodes")).get("gw"));
        assertEquals("vbgw:latest", gw.get("image"));
        final String bind = strings(gw.get("binds")).stream().filter(b -> b.contains(":/etc/vbgw/gateway.yaml"))
            .findFirst().orElseThrow(() -> new AssertionError("gw binds no /etc/vbgw/gateway.yaml"));
        final ConfigCheck check = ConfigCheck.of(topology.getParent().resolve(bind.substring(0, bind.indexOf(':'))));
        assertTrue(check.ok(), check.errors().toString());
        final Set<String> configured = check.config().ports().stream().map(PortConfig::linuxInterface)
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(configured, interfacesOf(root, "gw"), "the links give the gateway exactly its ports' interfaces");
        final Object n = gw.get("env") == null ? null : map(gw.get("env")).get("VBGW_DATA_INTERFACES");
        if (n != null)
        {
            final Set<String> waited = new TreeSet<>();
            for (int i = 1; i <= Integer.parseInt(n.toString()); i++)
            {
                waited.add("eth" + i);
            }
            assertEquals(configured, waited, "the entrypoint waits for the interfaces the config uses");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void theCustomerRouterRunsWhatClientConfigRendersNow(final Path topology) throws IOException
    {
        final Map<String, Object> root = yaml(topology);
        final Map<String, Object> idc = map(map(map(root.get("topology")).get("nodes")).get("idc"));
        final String invocation = (String)map(idc.get("labels")).get("vbgw.client-config");
        final List<String> args = new ArrayList<>(List.of("client-config"));
        args.addAll(Arrays.asList(invocation.split(" ")));
        args.set(1, topology.getParent().resolve(args.get(1)).toString());
        final Path fresh = dir.resolve("fresh.conf");
        args.addAll(List.of("--out", fresh.toString()));
        final StringWriter err = new StringWriter();
        final var cl = Vbgw.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute(args.toArray(String[]::new)), err.toString());
        final String bind = strings(idc.get("binds")).stream().filter(b -> b.endsWith(":/etc/frr/frr.conf")).findFirst()
            .orElseThrow(() -> new AssertionError("idc binds no /etc/frr/frr.conf"));
        final Path committed = topology.getParent().resolve(bind.substring(0, bind.indexOf(':')));
        final String rendered = Files.readString(fresh);
        assertEquals(rendered, Files.readString(committed), committed + " is stale: run deploy/containerlab/render-configs.sh");

        // The VLAN devices the rendering asks for are what the node creates, and on the interfaces it is wired to.
        final List<String> vlanCommands = rendered.lines().filter(l -> l.startsWith("!   ip link "))
            .map(l -> l.substring("!   ".length())).toList();
        final List<String> exec = strings(idc.get("exec")).stream().filter(c -> c.startsWith("ip link ")).toList();
        assertEquals(vlanCommands, exec);
        for (int i = 0; i < args.size() - 1; i++)
        {
            if (args.get(i).equals("--interface"))
            {
                assertTrue(interfacesOf(root, "idc").contains(args.get(i + 1)), "idc is wired on " + args.get(i + 1));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> interfacesOf(final Map<String, Object> root, final String node)
    {
        final Set<String> interfaces = new TreeSet<>();
        for (final Object link : (List<Object>)map(root.get("topology")).get("links"))
        {
            for (final String e : strings(map(link).get("endpoints")))
            {
                if (e.startsWith(node + ":"))
                {
                    interfaces.add(e.substring(node.length() + 1));
                }
            }
        }
        return interfaces;
    }

    @Test
    void theImageCopiesWhatExistsAndStartsTheEntrypoint() throws IOException
    {
        final List<String> lines = Files.readAllLines(LAB.resolve("Containerfile"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("openjdk-17-jre-headless")), "a JDK 17 runtime");
        String entrypointTarget = null;
        for (final String line : lines)
        {
            if (line.startsWith("COPY ") && !line.startsWith("COPY --from"))
            {
                final String[] parts = line.split("\\s+");
                final Path source = REPOSITORY.resolve(parts[1]);
                assertTrue(Files.exists(source), "COPY of a missing path: " + line);
                if (parts[1].endsWith("vbgw-entrypoint.sh"))
                {
                    entrypointTarget = parts[2];
                }
            }
        }
        assertNotNull(entrypointTarget, "the image copies the entrypoint");
        assertTrue(lines.contains("ENTRYPOINT [\"" + entrypointTarget + "\"]"), "and starts it");
        assertTrue(Files.isExecutable(LAB.resolve("vbgw-entrypoint.sh")));
        assertTrue(Files.isExecutable(LAB.resolve("render-configs.sh")));
    }

    @Test
    void theScriptsParse() throws Exception
    {
        for (final String script : List.of("vbgw-entrypoint.sh", "render-configs.sh"))
        {
            final Process p = new ProcessBuilder("bash", "-n", LAB.resolve(script).toString()).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), script + ": " + out);
        }
    }
}
