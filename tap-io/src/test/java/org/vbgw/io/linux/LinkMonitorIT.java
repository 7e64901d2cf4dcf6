package org.vbgw.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.LinkState;
import org.vbgw.io.lab.Netns;

/** Link events from rtnetlink for a veth pair between two namespaces the test creates. */
class LinkMonitorIT
{
    private static Netns nsA;
    private static Netns nsB;
    private static String ifA;
    private static String ifB;

    @BeforeAll
    static void createNamespaces()
    {
        nsA = Netns.create("vbgw-lma");
        nsB = Netns.create("vbgw-lmb");
        ifA = Netns.interfaceName("lma");
        ifB = Netns.interfaceName("lmb");
        nsA.veth(ifA, nsB, ifB, 1500);
    }

    @AfterAll
    static void deleteNamespaces()
    {
        if (nsA != null)
        {
            nsA.close();
        }
        if (nsB != null)
        {
            nsB.close();
        }
    }

    @Test
    void adminDownAndCarrierLossArriveAsEvents()
    {
        exerciseLink(nsA.call(LinkMonitor::open));
    }

    @Test
    void watchedInterfacesAreAlsoQueried()
    {
        exerciseLink(nsA.call(() -> LinkMonitor.open().watch(ifA).queryIntervalNs(0)));
    }

    private static void exerciseLink(final LinkMonitor monitor)
    {
        try (monitor)
        {
            assertEquals(LinkState.UP, monitor.state(ifA));
            assertEquals(LinkState.UNKNOWN, monitor.state("vbgwnone0"));
            assertEquals(0, monitor.poll((index, name, state) -> { }), "no change yet");

            nsA.exec("ip", "link", "set", ifA, "down");
            final long downAtNs = System.nanoTime();
            awaitEvent(monitor, ifA, LinkState.DOWN, downAtNs, "ip link set down");
            assertEquals(LinkState.DOWN, monitor.state(ifA));

            nsA.exec("ip", "link", "set", ifA, "up");
            awaitEvent(monitor, ifA, LinkState.UP, System.nanoTime(), "ip link set up");

            // The peer going down takes the carrier away from this end (NO-CARRIER, LOWERLAYERDOWN).
            nsB.exec("ip", "link", "set", ifB, "down");
            awaitEvent(monitor, ifA, LinkState.DOWN, System.nanoTime(), "peer down");
            nsB.exec("ip", "link", "set", ifB, "up");
            awaitEvent(monitor, ifA, LinkState.UP, System.nanoTime(), "peer up");
        }
        monitor.close();
    }

    private static void awaitEvent(
        final LinkMonitor monitor, final String name, final LinkState expected, final long sinceNs, final String what)
    {
        final List<String> seen = new ArrayList<>();
        final long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final boolean[] found = new boolean[1];
            monitor.poll((index, interfaceName, state) ->
            {
                seen.add(interfaceName + "=" + state);
                if (interfaceName.equals(name) && state == expected)
                {
                    found[0] = true;
                }
            });
            if (found[0])
            {
                // Informational only: the command's process exit is already after the kernel's change.
                System.out.printf("link event %s (%s) seen %.3f ms after the command returned%n",
                    expected, what, (System.nanoTime() - sinceNs) / 1e6);
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no " + expected + " event for " + name + " after " + what + "; saw " + seen);
    }
}
