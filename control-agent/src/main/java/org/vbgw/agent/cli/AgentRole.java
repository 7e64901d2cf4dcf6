package org.vbgw.agent.cli;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.http.ApiServer;
import org.vbgw.agent.http.GatewayViews;
import org.vbgw.agent.http.ReloadApi;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RibRoute;
import org.vbgw.agent.run.ConfigReload;
import org.vbgw.agent.run.DataplaneEpoch;
import org.vbgw.agent.run.FpmFeed;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.agent.run.RouteAgent;
import org.vbgw.agent.run.VifIds;
import org.vbgw.fib.IpPrefix;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vbgw run --role agent}: the agent alone, for a data plane in another process
 * ({@code vbgw run --role dataplane}) on the same state directory. It reads the config, rebuilds its RIB,
 * reconciles it with what the journal says the data plane holds (writing only differences: nothing, when the
 * config did not change), then serves the route and reload API and writes the journal until stopped. Killing
 * it never disturbs forwarding: the data plane keeps the table it has.
 * <p>
 * A reload here changes routes and static neighbours only; VIFs belong to the data plane process, so a reload
 * that changes them is refused (restart the data plane with the new config, then reload the agent).
 */
final class AgentRole
{
    private AgentRole()
    {
    }

    static int run(final Path configFile, final ConfigCheck check, final Path stateDir, final String http,
        final Path countersFile, final FpmOptions fpmOptions, final PrintWriter out, final PrintWriter err)
        throws Exception
    {
        final GatewayConfig config = check.config();
        final Path journalDir = stateDir.resolve("journal");
        final Path idsFile = GatewayRuntime.vifIdsFile(journalDir);
        final Map<String, Integer> ids = VifIds.assign(config, VifIds.read(idsFile));
        VifIds.write(idsFile, ids);
        final FibJournal journal = FibJournal.open(journalDir);
        final RouteAgent agent = new RouteAgent(config, ids, journal, GatewayRuntime.apiRoutesFile(journalDir));
        final long start = System.nanoTime();
        final RouteAgent.Outcome outcome = agent.start(GatewayRuntime.snapshotFile(journalDir));
        out.printf("vbgw agent: reconciled with the journal in %.1f ms: %d routes held by the data plane, %d config " +
                "routes, %d removed, %d journal entries written%n", (System.nanoTime() - start) / 1e6,
            outcome.routesAdopted(), outcome.prefixesTouched(), outcome.routesRemoved(), outcome.journalEntries());
        outcome.notes().forEach(n -> out.println("note: " + n));
        final ConfigReload.Target reload = next -> reload(agent, config, next);
        final FpmServer fpm = fpmOptions == null ? null : FpmFeed.start(agent, () -> config, () -> ids, fpmOptions,
            new FpmCounters(), line ->
            {
                synchronized (err)
                {
                    err.println(line);
                    err.flush();
                }
            });
        final ApiServer api = "off".equals(http) ? null : api(http, agent, configFile, reload);
        // The data plane is another process: when it restarts, its counters start again from zero, and the
        // operator reading this log must learn it here too.
        new DataplaneEpoch(countersFile).watch(1_000, line ->
        {
            synchronized (out)
            {
                out.println("vbgw agent: " + line);
                out.flush();
            }
        });
        final CountDownLatch stopped = new CountDownLatch(1);
        RunCommand.onHangup(configFile, reload, out);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            if (api != null)
            {
                api.close();
            }
            if (fpm != null)
            {
                fpm.close();
            }
            final Thread timer = agent.staleTimer();
            if (timer != null)
            {
                timer.interrupt();
            }
            synchronized (agent)
            {
                // A stale flush under way holds the agent's lock: the journal closes after it.
                journal.close();
            }
            stopped.countDown();
        }, "vbgw-shutdown"));
        out.println("vbgw agent running: journal in " + journalDir +
            (api != null ? "; http://" + http + "/api/{routes,reload}" : "") +
            (fpm != null ? "; FPM (zebra) on " + fpm.localAddress() : ""));
        out.flush();
        stopped.await();
        return 0;
    }

    /** An agent alone reloads routes and neighbours; VIFs and ports are the data plane's. */
    private static ConfigReload.Report reload(final RouteAgent agent, final GatewayConfig running, final ConfigCheck next)
    {
        final List<String> refusals = new ArrayList<>();
        if (!next.ok())
        {
            next.errors().forEach(d -> refusals.add(d.toString()));
        }
        else if (!VifIds.assign(next.config(), agent.vifIds()).equals(agent.vifIds()) ||
            !next.config().ports().equals(running.ports()))
        {
            refusals.add("the VIFs or ports changed: they belong to the data plane process; restart it with the new " +
                "config, then reload the agent");
        }
        if (!refusals.isEmpty())
        {
            throw new ConfigReload.Refused(refusals);
        }
        final RouteAgent.Outcome o = agent.reload(next.config(), agent.vifIds());
        return new ConfigReload.Report(List.of(), List.of(), List.of(), o.prefixesTouched(), o.journalEntries(), o.notes());
    }

    private static ApiServer api(final String http, final RouteAgent agent, final Path configFile,
        final ConfigReload.Target reload) throws java.io.IOException
    {
        final int colon = http.lastIndexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("--http wants HOST:PORT or off, got '" + http + "'");
        }
        // The counters are the data plane's; an agent alone has none, so its /metrics is empty.
        final CountersReader none = new CountersReader(new UnsafeBuffer(new byte[0]), new UnsafeBuffer(new byte[0]));
        final ApiServer api = new ApiServer(new InetSocketAddress(http.substring(0, colon),
            Integer.parseInt(http.substring(colon + 1))), none);
        GatewayViews.registerRouteChanges(api, () -> ribRoutes(agent), agent);
        ReloadApi.register(api, configFile, reload);
        return api;
    }

    /** The RIB's installed routes in the shape of {@code /api/routes}. */
    private static String ribRoutes(final RouteAgent agent)
    {
        final List<String> items = new ArrayList<>();
        final List<RibRoute> routes;
        synchronized (agent)
        {
            routes = agent.rib().routes();
        }
        for (final RibRoute r : routes)
        {
            if (!r.installed())
            {
                continue;
            }
            final List<String> hops = new ArrayList<>();
            for (final RibPath p : r.paths())
            {
                hops.add("{\"via\":\"" + (p.gateway() == null ? "attached" :
                    IpPrefix.format(p.gateway().ipv6(), p.gateway().hi(), p.gateway().lo())) + "\",\"vif\":" +
                    p.vifId() + "}");
            }
            items.add("{\"prefix\":\"" + r.prefix() + "\",\"group\":" + r.groupId() + ",\"source\":\"" +
                r.source().name().toLowerCase() + "\",\"stale\":" + r.stale() + ",\"nexthops\":" + hops + "}");
        }
        return items.toString();
    }
}
