package org.vbgw.agent.run;

import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmRouteTable;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.fpm.TapVifResolver;
import org.vbgw.agent.fpm.VifResolver;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * zebra's routes into an agent's RIB: the FPM server, its route table resolving zebra's interfaces to VIFs (a VIF's
 * host TAP by name, else the VIF whose interconnect subnet holds the gateway), and the end of a restart's grace
 * period for the routes the agent kept stale from before it. Shared by {@code vbgw run} (agent and data plane in
 * one process) and {@code vbgw run --role agent}.
 */
public final class FpmFeed
{
    private FpmFeed()
    {
    }

    /**
     * Starts the FPM server feeding {@code agent}'s RIB, and the timer that ends the restart's grace period for the
     * agent's stale routes ({@link RouteAgent#flushStaleAfter}).
     */
    public static FpmServer start(final RouteAgent agent, final Supplier<GatewayConfig> config,
        final Supplier<Map<String, Integer>> vifIds, final FpmOptions options, final FpmCounters counters,
        final Consumer<String> log) throws IOException
    {
        final Map<String, Integer> taps = new HashMap<>();
        vifIds.get().forEach((name, id) -> taps.put(new HostTapSpec(name, 0, 0, List.of()).interfaceName(), id));
        final FpmRouteTable table = new FpmRouteTable(new TapVifResolver(taps, gw ->
        {
            try
            {
                // The config as it is now: a reload may have moved a VIF's subnet.
                return ConfigRoutes.vifFor(config.get(), vifIds.get(), gw);
            }
            catch (final IllegalArgumentException ex)
            {
                return VifResolver.NO_VIF;
            }
        }), agent::change, options.protocols(), counters, log);
        final FpmServer server = new FpmServer(options, table, counters, log);
        agent.flushStaleAfter(options.graceMs(), log);
        return server;
    }
}
