package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vbgw.io.lab.Netns;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the customer's BGP does to vbgw's forwarding, end to end (customer router → vbgw's FRR → FPM → RIB → FIB →
 * the packets), with BIRD 2 and FRR as the customer router, over three tagged connections: two direct VIFs and a
 * backup VIF ({@link BgpLab#startWithBackup()}: LOCAL_PREF 200 on the direct ones). Where the gateway forwards is
 * read from the FIB ({@code /api/routes}) and from the customer's side ({@link CustomerLinks}: which connection the
 * VPC host's echo requests arrive on).
 * <ul>
 *   <li>the customer's prefixes are in the FIB over the two direct VIFs (ECMP) and not the backup, and traffic
 *       arrives on the direct connections only;</li>
 *   <li>a prefix the customer withdraws leaves the FIB, and the VPC host gets ICMP net unreachable from the
 *       gateway instead of a path to the customer; announced again, it is back and forwarded;</li>
 *   <li>both direct connections cut silently: once BGP's hold time notices, the backup VIF carries the prefixes
 *       (FIB and packets); mended, the direct VIFs carry them again and the backup nothing;</li>
 *   <li>zebra and bgpd killed together with SIGKILL while the VPC host pings the customer 100 times a second:
 *       vbgw's supervisor restarts them, zebra reconnects to the FPM server and replays its table, not one ping
 *       is lost, and the FIB afterwards is the FIB before, route for route, down to group and next-hop ids.</li>
 * </ul>
 */
class BgpRoutingIT
{
    private static final String DIRECT = "172.16.0.0/16";
    private static final String WITHDRAWN = "172.17.0.0/16";
    private static final Set<String> ECMP = new TreeSet<>(Set.of("10.0.0.2%dx1", "10.0.0.6%dx2"));
    private static final Set<String> BACKUP = new TreeSet<>(Set.of("10.0.0.10%dx3"));
    private static final List<String> PEERS = List.of("10.0.0.1", "10.0.0.5", CustomerRouter.BACKUP_PEER);

    @ParameterizedTest(name = "customer router: {0}")
    @ValueSource(strings = {"bird", "frr"})
    void withdrawBackupAndRestartUnderTraffic(final String customerKind) throws Exception
    {
        try (BgpLab lab = BgpLab.startWithBackup())
        {
            final CustomerRouter customer = lab.own(CustomerRouter.start(customerKind, lab));
            final CustomerLinks links = new CustomerLinks(lab.cpe, List.of(lab.c1, lab.c2, lab.c3), lab.dir);
            try
            {
                directPathsCarryTheTraffic(lab, customer, links);
                aWithdrawRemovesTheRoute(lab, customer, links);
                theBackupTakesOverAndHandsBack(lab, customer, links);
                frrKilledUnderTrafficLosesNothing(lab, customer, links);
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError(ex.getMessage() + "\n--- customer\n" + safe(customer::describe) + "\n" +
                    lab.gatewayLogs(), ex);
            }
        }
    }

    private static void directPathsCarryTheTraffic(final BgpLab lab, final CustomerRouter customer,
        final CustomerLinks links) throws Exception
    {
        BgpLab.await("all three sessions are Established on the customer router", 90_000,
            () -> PEERS.stream().allMatch(customer::established));
        for (final String prefix : CustomerRouter.PREFIXES)
        {
            BgpLab.await(prefix + " is in vbgw's FIB over the two direct VIFs, not the backup", 60_000,
                () -> lab.fibNextHops(prefix).equals(ECMP));
        }
        // The backup session is up and has the customer's prefixes too: they lose on LOCAL_PREF, not for lack of them.
        BgpLab.await("dx3 has received both customer prefixes", 30_000,
            () -> lab.session("dx3").path("received").asLong() == 2);
        final long[] sent = pings(lab, "172.16.0.1", 20, links);
        assertEquals(20, sent[0] + sent[1], "the echo requests left through the direct VIFs: " + Arrays.toString(sent));
        assertEquals(0, sent[2], "none through the backup VIF: " + Arrays.toString(sent));
    }

    /**
     * The customer withdraws 172.17.0.0/16: the route leaves vbgw's FIB, the VPC host's pings get ICMP net
     * unreachable from the gateway and none reaches the customer; the other prefix is untouched. Announced again,
     * the route comes back over both direct VIFs and is forwarded.
     */
    private static void aWithdrawRemovesTheRoute(final BgpLab lab, final CustomerRouter customer,
        final CustomerLinks links) throws Exception
    {
        customer.withdraw(WITHDRAWN);
        BgpLab.await(WITHDRAWN + " leaves vbgw's FIB after the customer withdrew it", 30_000,
            () -> lab.fibNextHops(WITHDRAWN).isEmpty());
        assertEquals(ECMP, lab.fibNextHops(DIRECT), "the other prefix stays");
        final long[] before = links.echoRequests();
        final Process ping = lab.vpc.start("ping", "-c", "3", "-i", "0.2", "-W", "1", "172.17.0.1");
        final String out = new String(ping.getInputStream().readAllBytes());
        assertTrue(ping.waitFor() != 0, "no answer from a withdrawn prefix:\n" + out);
        assertTrue(out.contains("From 192.168.0.1") && out.contains("Destination Net Unreachable"),
            "the gateway answers with ICMP net unreachable:\n" + out);
        assertEquals(Arrays.toString(before), Arrays.toString(links.echoRequests()),
            "nothing was forwarded to the customer");

        customer.announce(WITHDRAWN);
        BgpLab.await(WITHDRAWN + " is back in vbgw's FIB over both direct VIFs", 30_000,
            () -> lab.fibNextHops(WITHDRAWN).equals(ECMP));
        final long[] sent = pings(lab, "172.17.0.1", 5, links);
        assertEquals(5, sent[0] + sent[1], "forwarded over a direct VIF again: " + Arrays.toString(sent));
    }

    /**
     * Both direct connections are cut (silently: the ports stay up). When BGP's hold time (9 s) has expired, the
     * gateway's FRR selects the backup path, FPM carries the change, and the FIB and the packets move to dx3.
     * Mended, the sessions come back and the FIB and the packets return to the direct VIFs.
     */
    private static void theBackupTakesOverAndHandsBack(final BgpLab lab, final CustomerRouter customer,
        final CustomerLinks links) throws Exception
    {
        links.cut(1);
        links.cut(2);
        final long cutAt = System.nanoTime();
        BgpLab.await(DIRECT + " goes over the backup VIF alone once the direct sessions are down", 60_000,
            () -> lab.fibNextHops(DIRECT).equals(BACKUP));
        final double switchedS = (System.nanoTime() - cutAt) / 1e9;
        assertEquals(BACKUP, lab.fibNextHops(WITHDRAWN));
        // The customer's way back to the VPC moves to the backup session when its own hold timers expire.
        BgpLab.await("the VPC host reaches the customer over the backup path", 60_000,
            () -> pingsAnswered(lab, "172.16.0.1"));
        final long[] sent = pings(lab, "172.16.0.1", 20, links);
        assertEquals(20, sent[2], "the echo requests leave through the backup VIF: " + Arrays.toString(sent));
        assertEquals(0, sent[0] + sent[1], "none through the cut ones: " + Arrays.toString(sent));

        links.mend(1);
        links.mend(2);
        final long mendedAt = System.nanoTime();
        BgpLab.await("both direct sessions are Established again", 90_000,
            () -> customer.established("10.0.0.1") && customer.established("10.0.0.5"));
        for (final String prefix : CustomerRouter.PREFIXES)
        {
            BgpLab.await(prefix + " is back over the two direct VIFs", 60_000, () -> lab.fibNextHops(prefix).equals(ECMP));
        }
        final double backS = (System.nanoTime() - mendedAt) / 1e9;
        BgpLab.await("the VPC host reaches the customer over the direct path", 30_000,
            () -> pingsAnswered(lab, "172.16.0.1"));
        final long[] back = pings(lab, "172.16.0.1", 20, links);
        assertEquals(20, back[0] + back[1], "the echo requests leave through the direct VIFs again: " + Arrays.toString(back));
        assertEquals(0, back[2], "and none through the backup: " + Arrays.toString(back));
        System.out.printf("BgpRoutingIT: backup VIF in the FIB %.1f s after the cut (hold time 9 s), direct VIFs back " +
            "%.1f s after the mend%n", switchedS, backS);
    }

    /**
     * SIGKILL to zebra and bgpd at once while the VPC host sends 100 pings a second to the customer: the FPM
     * server keeps zebra's routes (stale) while zebra is away, the supervisor starts both again, zebra reconnects,
     * bgpd learns the routes again and zebra replays them; the replay refreshes the stale routes without changing
     * any. Every echo request the VPC host sent reaches the customer (counted where it arrives), every answer comes
     * back, and the FIB ends as it began, route for route, down to group and next-hop ids.
     * <p>
     * The answers need the customer, a graceful-restart helper, to keep its route to the VPC: it drops the stale
     * route at the restarted bgpd's End-of-RIB, so the VPC CIDR must come before it (see FrrConfig: policy first).
     */
    private static void frrKilledUnderTrafficLosesNothing(final BgpLab lab, final CustomerRouter customer,
        final CustomerLinks links) throws Exception
    {
        final Map<String, String> fibBefore = fib(lab);
        assertEquals(ECMP, lab.fibNextHops(DIRECT), fibBefore.toString());
        final long connectionsBefore = fpmCounter(lab, "connections");
        final int count = 3_000;
        final long[] requestsBefore = links.echoRequests();
        final Process ping = lab.vpc.start("ping", "-q", "-i", "0.01", "-c", Integer.toString(count), "-W", "2",
            "172.16.0.1");
        Thread.sleep(2_000);
        final long zebra = lab.gatewayPid("zebra");
        final long bgpd = lab.gatewayPid("bgpd");
        Netns.run("kill", "-9", Long.toString(zebra), Long.toString(bgpd));
        final long killedAt = System.nanoTime();
        BgpLab.await("zebra and bgpd are restarted, both direct sessions Established, zebra's FPM client back", 90_000, () ->
        {
            final long z = lab.gatewayPid("zebra");
            final long b = lab.gatewayPid("bgpd");
            return z > 0 && z != zebra && b > 0 && b != bgpd &&
                "Established".equals(lab.session("dx1").path("state").asText()) &&
                "Established".equals(lab.session("dx2").path("state").asText()) &&
                fpmCounter(lab, "connections") > connectionsBefore && fpmCounter(lab, "connected") == 1;
        });
        BgpLab.await("zebra's replay has refreshed every stale route", 60_000, () -> fpmCounter(lab, "routes_stale") == 0);
        final double replayedS = (System.nanoTime() - killedAt) / 1e9;
        final String out = new String(ping.getInputStream().readAllBytes());
        ping.waitFor();
        final long[] after = links.echoRequests();
        long arrived = 0;
        for (int i = 0; i < after.length; i++)
        {
            arrived += after[i] - requestsBefore[i];
        }
        final String summary = out.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(out);
        assertTrue(summary.startsWith(count + " packets transmitted"), out);
        assertEquals(count, arrived, "every echo request reached the customer while FRR was killed and restarted " +
            "(FPM deletes " + fpmCounter(lab, "messages_delroute") + "; journal:\n" + journal(lab, DIRECT) + ")");
        assertTrue(summary.contains(count + " received"), "every answer came back (the customer kept its route " +
            "to the VPC through the restart): " + summary);
        assertEquals(fibBefore, fib(lab), "the FIB after zebra's replay is the FIB before the kill");
        System.out.printf("BgpRoutingIT: zebra and bgpd killed under traffic, routes replayed and refreshed %.1f s later; " +
            "VPC to customer: %d of %d echo requests arrived; round trip: %s; FPM deletes of stale routes ignored: %d%n",
            replayedS, arrived, count, summary, fpmCounter(lab, "stale_deletes_ignored"));
    }

    /** {@code vbgw journal} for one prefix: every FIB change, with its time. */
    private static String journal(final BgpLab lab, final String prefix)
    {
        try
        {
            return lab.vbgwCommand("journal", "--state-dir", lab.dir.resolve("gw").toString(), "--prefix", prefix).output();
        }
        catch (final Exception ex)
        {
            return "(" + ex + ")";
        }
    }

    /** Sends {@code count} pings from the VPC host; returns how many echo requests arrived on each connection. */
    private static long[] pings(final BgpLab lab, final String to, final int count, final CustomerLinks links)
        throws Exception
    {
        final long[] before = links.echoRequests();
        final Process p = lab.vpc.start("ping", "-q", "-c", Integer.toString(count), "-i", "0.02", "-W", "1", to);
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "pings to " + to + " answered:\n" + out);
        final long[] after = links.echoRequests();
        for (int i = 0; i < after.length; i++)
        {
            after[i] -= before[i];
        }
        return after;
    }

    private static boolean pingsAnswered(final BgpLab lab, final String to)
    {
        try
        {
            return lab.vpc.start("ping", "-q", "-c", "3", "-i", "0.1", "-W", "1", to).waitFor() == 0;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** vbgw's FIB as {@code /api/routes} shows it: prefix → group id and next hops (ids, addresses, VIFs, liveness). */
    private static Map<String, String> fib(final BgpLab lab)
    {
        final Map<String, String> routes = new TreeMap<>();
        for (final JsonNode r : lab.api("routes"))
        {
            routes.put(r.path("prefix").asText(), "group " + r.path("group").asInt() + " " + r.path("nexthops"));
        }
        return routes;
    }

    /** An FPM counter ({@code fpm NAME}) from {@code /api/counters}; -1 when the gateway does not answer. */
    private static long fpmCounter(final BgpLab lab, final String name)
    {
        for (final JsonNode c : lab.api("counters"))
        {
            if (("fpm " + name).equals(c.path("label").asText()))
            {
                return c.path("value").asLong();
            }
        }
        return -1;
    }

    private static String safe(final java.util.function.Supplier<String> s)
    {
        try
        {
            return s.get();
        }
        catch (final RuntimeException ex)
        {
            return "(" + ex.getMessage() + ")";
        }
    }
}
