package org.vbgw.agent.lab;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.vbgw.io.Port;
import org.vbgw.io.lab.VlanShim;
import org.vbgw.io.linux.PacketSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The customer router's VLAN tagging, as a process of its own ({@code vbgw lab shim}, run in the customer
 * namespace): one {@link VlanShim} per tagged VIF, all on one thread, until SIGTERM.
 */
public final class LabShim
{
    private LabShim()
    {
    }

    /** One shim: the access interface (the VLAN device's far end), the trunk, the VLAN. */
    public record Spec(String access, String trunk, int vlan)
    {
        /** Parses {@code ACCESS:TRUNK:VLAN}; throws naming the bad value. */
        public static Spec parse(final String text)
        {
            final String[] parts = text.split(":");
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty())
            {
                throw new IllegalArgumentException("a shim is ACCESS:TRUNK:VLAN (t101:eth1:101), not '" + text + "'");
            }
            final int vlan;
            try
            {
                vlan = Integer.parseInt(parts[2]);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("VLAN of shim '" + text + "' is not a number: " + parts[2]);
            }
            if (vlan < 1 || vlan > 4094)
            {
                throw new IllegalArgumentException("VLAN of shim '" + text + "' must be 1-4094: " + vlan);
            }
            return new Spec(parts[0], parts[1], vlan);
        }
    }

    /** Runs the shims until the process is told to stop; prints a line per shim with its counters on the way out. */
    public static void run(final List<Spec> specs) throws InterruptedException
    {
        final List<Port> ports = new ArrayList<>();
        final List<VlanShim> shims = new ArrayList<>();
        try
        {
            for (final Spec s : specs)
            {
                final PacketSocket access = PacketSocket.open(s.access());
                ports.add(access);
                final PacketSocket trunk = PacketSocket.open(s.trunk());
                ports.add(trunk);
                shims.add(VlanShim.dot1q(access, trunk, s.vlan()));
                System.out.println("shim " + s.access() + " <-> " + s.trunk() + " vlan " + s.vlan());
            }
            System.out.flush();
            final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 100_000),
                Throwable::printStackTrace, null, new CompositeAgent(shims.toArray(Agent[]::new)));
            final CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                CloseHelper.quietClose(runner);
                for (int i = 0; i < shims.size(); i++)
                {
                    final VlanShim shim = shims.get(i);
                    // Ports are access, trunk per shim; ring drops mean this process was stalled, not the wire.
                    System.out.println(shim.roleName() + ": to trunk " + shim.toTrunk() + ", to access " + shim.toAccess() +
                        ", other VLAN " + shim.droppedOtherVlan() + ", untagged " + shim.droppedUntagged() +
                        ", tx refused " + shim.droppedTx() + ", receive ring drops " +
                        ports.get(2 * i).statistics().rxKernelDrops() + " (access) " +
                        ports.get(2 * i + 1).statistics().rxKernelDrops() + " (trunk)");
                }
                System.out.flush();
                stopped.countDown();
            }, "lab-shim-stop"));
            AgentRunner.startOnThread(runner);
            stopped.await();
        }
        finally
        {
            ports.forEach(CloseHelper::quietClose);
        }
    }
}
