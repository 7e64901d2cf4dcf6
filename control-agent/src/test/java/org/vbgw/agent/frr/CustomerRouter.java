package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The customer's router of the interop tests, in the lab's customer namespace with files of its own (config,
 * control socket, pid, log) in the lab's directory: BIRD 2 or FRR, with one eBGP session per connection
 * ({@code dx1} to 10.0.0.1, {@code dx2} to 10.0.0.5), MD5 signed, announcing 172.16.0.0/16 and 172.17.0.0/16.
 * The configs are test resources next to this class.
 */
interface CustomerRouter extends AutoCloseable
{
    /** The gateway's address on each connection. */
    List<String> GATEWAY_PEERS = List.of("10.0.0.1", "10.0.0.5");
    /** The gateway's address on the backup connection of {@link BgpLab#startWithBackup()}. */
    String BACKUP_PEER = "10.0.0.9";
    /** The customer's prefixes, each of which {@link #withdraw} and {@link #announce} take. */
    List<String> PREFIXES = List.of("172.16.0.0/16", "172.17.0.0/16");

    /** Starts the router of kind {@code bird} or {@code frr} in the lab, with the backup session if the lab has one. */
    static CustomerRouter start(final String kind, final BgpLab lab) throws IOException
    {
        return "bird".equals(kind)
            ? new Bird(lab.cpe, lab.dir.resolve("customer"), lab.withBackup)
            : new Frr(lab.cpe, lab.dir.resolve("customer/frr"), lab.withBackup);
    }

    /** True when the session with the gateway at {@code peer} is Established. */
    boolean established(String peer);

    /** The gateway peers from which the router has a route for {@code prefix}. */
    List<String> routeFrom(String prefix);

    /** Stops announcing {@code prefix} (one of {@link #PREFIXES}) on every session. */
    void withdraw(String prefix);

    /** Announces {@code prefix} (one of {@link #PREFIXES}) again. */
    void announce(String prefix);

    /** What the router shows about its sessions, for failure messages. */
    String describe();

    @Override
    void close();

    static String resource(final String name)
    {
        try (InputStream in = CustomerRouter.class.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** BIRD 2, run in the foreground with its own socket. */
    final class Bird implements CustomerRouter
    {
        private final Netns ns;
        private final Path socket;
        private final Path dir;
        private final Process bird;

        Bird(final Netns ns, final Path dir, final boolean withBackup) throws IOException
        {
            this.ns = ns;
            this.dir = dir;
            Files.createDirectories(dir);
            final Path conf = dir.resolve("bird.conf");
            Files.writeString(conf, resource("customer-bird.conf").replace("@LOG@", dir.resolve("bird.log").toString())
                .replace("@BACKUP@", withBackup ? String.join("\n",
                    "protocol bgp dx3 from to_gateway {",
                    "    local 10.0.0.10;",
                    "    neighbor 10.0.0.9 as 65000;",
                    "    password \"s3cret-three\";",
                    "}",
                    "") : ""));
            socket = dir.resolve("bird.ctl");
            bird = ns.start("bird", "-f", "-c", conf.toString(), "-s", socket.toString(), "-P", dir.resolve("bird.pid").toString());
            BgpLab.await("BIRD opens its control socket", 15_000, () ->
            {
                if (!bird.isAlive())
                {
                    throw new AssertionError("bird exited " + bird.exitValue() + ": " + output(bird));
                }
                return Files.exists(socket);
            });
        }

        String birdc(final String command)
        {
            return ns.exec("birdc", "-s", socket.toString(), command);
        }

        @Override
        public boolean established(final String peer)
        {
            return birdc("show protocols all " + protocol(peer)).lines()
                .anyMatch(l -> l.contains("BGP state:") && l.contains("Established"));
        }

        @Override
        public List<String> routeFrom(final String prefix)
        {
            // birdc exits 1 with "Network not found" when there is no route: an answer here, not a failure.
            final String routes;
            try
            {
                final Process p = ns.start("birdc", "-s", socket.toString(), "show route " + prefix + " all");
                routes = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            return GATEWAY_PEERS.stream().filter(p -> routes.contains("[" + protocol(p) + " ")).toList();
        }

        private static String protocol(final String peer)
        {
            return switch (peer)
            {
                case "10.0.0.1" -> "dx1";
                case "10.0.0.5" -> "dx2";
                case BACKUP_PEER -> "dx3";
                default -> throw new IllegalArgumentException("no session with " + peer);
            };
        }

        @Override
        public void withdraw(final String prefix)
        {
            final String out = birdc("disable " + staticProtocol(prefix));
            if (!out.contains("disabled"))
            {
                throw new IllegalStateException("birdc disable " + staticProtocol(prefix) + ": " + out);
            }
        }

        @Override
        public void announce(final String prefix)
        {
            final String out = birdc("enable " + staticProtocol(prefix));
            if (!out.contains("enabled"))
            {
                throw new IllegalStateException("birdc enable " + staticProtocol(prefix) + ": " + out);
            }
        }

        /** customer-bird.conf has one static protocol per prefix, named after it. */
        private static String staticProtocol(final String prefix)
        {
            if (!PREFIXES.contains(prefix))
            {
                throw new IllegalArgumentException("the customer does not announce " + prefix);
            }
            return "idc_" + prefix.substring(0, prefix.indexOf('/')).replace(".0.0", "").replace('.', '_');
        }

        @Override
        public String describe()
        {
            String log;
            try
            {
                final List<String> lines = Files.readAllLines(dir.resolve("bird.log"));
                log = String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
            }
            catch (final IOException ex)
            {
                log = "(no bird.log: " + ex.getMessage() + ")";
            }
            return birdc("show protocols all") + "\n--- bird.log (last 200 lines)\n" + log;
        }

        @Override
        public void close()
        {
            bird.destroy();
            try
            {
                if (!bird.waitFor(5, TimeUnit.SECONDS))
                {
                    bird.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                bird.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static String output(final Process p)
        {
            try
            {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                return ex.getMessage();
            }
        }
    }

    /** FRR (zebra and bgpd), run by {@link FrrDaemons} in the customer namespace, as the gateway's is. */
    final class Frr implements CustomerRouter
    {
        private final FrrDaemons daemons;
        private final Vtysh vtysh;

        Frr(final Netns ns, final Path dir, final boolean withBackup) throws IOException
        {
            Files.createDirectories(dir.getParent());
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            final String bgpd = resource("customer-bgpd.conf").replace("@BACKUP-NEIGHBOUR@", withBackup ? String.join("\n",
                " neighbor 10.0.0.9 remote-as 65000",
                " neighbor 10.0.0.9 password s3cret-three",
                " neighbor 10.0.0.9 timers 3 9",
                " neighbor 10.0.0.9 timers connect 5",
                "") : "");
            daemons = FrrDaemons.start(dir, List.of(
                new FrrDaemon("zebra", resource("customer-zebra.conf"), List.of()),
                new FrrDaemon("bgpd", bgpd, List.of())),
                FrrDaemons.DEFAULT_BINARIES, List.of("ip", "netns", "exec", ns.name()));
            daemons.awaitReady(java.time.Duration.ofSeconds(15));
            vtysh = daemons.vtysh();
        }

        private JsonNode neighbour(final String peer)
        {
            return vtysh.json("show bgp neighbors " + peer + " json").path(peer);
        }

        @Override
        public boolean established(final String peer)
        {
            return "Established".equals(neighbour(peer).path("bgpState").asText());
        }

        @Override
        public List<String> routeFrom(final String prefix)
        {
            final JsonNode paths = vtysh.json("show bgp ipv4 unicast " + prefix + " json").path("paths");
            final List<String> from = new java.util.ArrayList<>();
            for (final JsonNode p : paths)
            {
                if (p.path("valid").asBoolean(false))
                {
                    from.add(p.path("peer").path("peerId").asText());
                }
            }
            return GATEWAY_PEERS.stream().filter(from::contains).toList();
        }

        @Override
        public void withdraw(final String prefix)
        {
            network(prefix, "no network ");
        }

        @Override
        public void announce(final String prefix)
        {
            network(prefix, "network ");
        }

        private void network(final String prefix, final String command)
        {
            if (!PREFIXES.contains(prefix))
            {
                throw new IllegalArgumentException("the customer does not announce " + prefix);
            }
            vtysh.run("configure terminal", "router bgp 64512", "address-family ipv4 unicast", command + prefix);
        }

        @Override
        public String describe()
        {
            return vtysh.run("show bgp summary") + daemons.logTail("bgpd");
        }

        @Override
        public void close()
        {
            daemons.close();
        }
    }
}
