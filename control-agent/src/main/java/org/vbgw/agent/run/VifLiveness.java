package org.vbgw.agent.run;

import org.vbgw.agent.config.BfdTimers;
import org.vbgw.agent.config.HealthCheck;
import org.vbgw.agent.config.Interconnect;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.liveness.BfdSessionConfig;
import org.vbgw.dataplane.liveness.HealthProbeConfig;
import org.vbgw.fib.IpPrefix;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A VIF's failure detectors from its config: a BFD session to the customer side of each interconnect (one per
 * address family) when the VIF has BFD timers, and its health check as a data-plane probe. Runs on the data
 * plane's control thread (or before it starts).
 */
public final class VifLiveness
{
    private VifLiveness()
    {
    }

    /**
     * Starts the VIF's BFD sessions and health probe.
     *
     * @param notes told what could not be set up as configured, for the operator.
     */
    public static void start(final Dataplane dp, final int vifId, final VifConfig vif, final Consumer<String> notes)
    {
        final BfdTimers bfd = vif.bfd();
        if (bfd != null)
        {
            for (final Interconnect i : interconnects(vif))
            {
                BfdSessionConfig session = BfdSessionConfig.of(vifId, i.local().host(), i.peer().host(),
                    bfd.minTxMs() * 1_000L, bfd.minRxMs() * 1_000L, bfd.multiplier(), bfd.holdDownMs() * 1_000_000L);
                if (bfd.authType() != null)
                {
                    session = session.withAuth(bfd.authTypeNumber(), bfd.authKeyId(),
                        bfd.authKey().getBytes(StandardCharsets.UTF_8));
                }
                dp.addBfdSession(session);
            }
        }
        final HealthCheck check = vif.healthCheck();
        if (check != null && check.sourceIp() != null && check.destinationIp() != null)
        {
            final boolean v6 = check.destinationIp().ipv6();
            final Interconnect i = v6 ? vif.ipv6() : vif.ipv4();
            if (i == null)
            {
                notes.accept("health check on " + vif.name() + ": no " + (v6 ? "IPv6" : "IPv4") + " interconnect to send it on");
                return;
            }
            IpPrefix source = check.sourceIp();
            final var snapshot = dp.vifs().snapshot();
            final int owner = source.ipv6() ? snapshot.localIpv6Owner(source.hi(), source.lo())
                : snapshot.localIpv4Owner(source.ipv4Address());
            if (owner == org.vbgw.dataplane.vif.VifTable.NO_VIF)
            {
                // The data plane takes replies only for the addresses it owns: the VIFs' own. A probe from the
                // router id would never hear back and would take the VIF down for good.
                notes.accept("health check on " + vif.name() + ": probing from " + i.local().host() + ", the VIF's own " +
                    "address, instead of " + source + " (the data plane answers only for VIF addresses)");
                source = i.local().host();
            }
            dp.addHealthProbe(new HealthProbeConfig(vifId, i.peer().host(), source, check.destinationIp(),
                check.intervalMs() * 1_000_000L, check.count(), check.recoverCount(), check.holdDownMs() * 1_000_000L));
        }
    }

    private static List<Interconnect> interconnects(final VifConfig vif)
    {
        return java.util.stream.Stream.of(vif.ipv4(), vif.ipv6())
            .filter(i -> i != null && i.local() != null && i.peer() != null).toList();
    }
}
