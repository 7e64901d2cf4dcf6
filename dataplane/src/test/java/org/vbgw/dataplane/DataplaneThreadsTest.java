package org.vbgw.dataplane;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;
import org.vbgw.io.PortStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.DataplaneTest.CPE_MAC;
import static org.vbgw.dataplane.DataplaneTest.DX1_MAC;
import static org.vbgw.dataplane.DataplaneTest.HOST_MAC;
import static org.vbgw.dataplane.DataplaneTest.VPC_MAC;

/**
 * The started data plane (control thread and worker threads): a port has one transmitting thread, its
 * worker, even for what the control thread sends (ARP answers, packets released after resolution). Two
 * threads writing one PACKET_MMAP ring or in-memory queue lose or corrupt frames.
 */
class DataplaneThreadsTest
{
    @Test
    void onlyTheWorkerTransmitsOnAPortOnceStarted() throws InterruptedException
    {
        final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 20, 1500);
        final MemoryPort[] vpc = MemoryPort.pair("vpc", "vpc-peer", 1 << 20, 1500);
        final RecordingPort idcPort = new RecordingPort(idc[0]);
        try (Dataplane dp = new Dataplane(new Port[] {idcPort, vpc[0]}, Dataplane.Config.defaults()))
        {
            dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, DX1_MAC, 1500, List.of(IpPrefix.parse("10.0.0.1")),
                List.of(IpPrefix.parse("10.0.0.0/30")), SourceCheck.STRICT, true), null);
            dp.addVif(new Vif(1, "vpc", 1, 0, 0, 0, VPC_MAC, 1500, List.of(IpPrefix.parse("172.16.0.1")), List.of(),
                SourceCheck.OFF, true), null);
            dp.addNextHop(0, 0, false, 0, 0x0A000002L);
            dp.fib().addGroup(0, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
            dp.fib().addRoute(IpPrefix.parse("192.168.0.0/16"), 0);
            assertEquals(2, DataplaneTest.drain(idc[1]).size(), "gratuitous ARP and ARP request, sent before start");
            idcPort.senders.clear();

            dp.start();
            // A packet that must wait for the neighbour (released by the control thread), then the neighbour's
            // ARP request (answered by the control thread), which also resolves it.
            DataplaneTest.send(vpc[1], DataplaneTest.udp(VPC_MAC, HOST_MAC, 0, 0xAC100007, 0xC0A80101, 9));
            Thread.sleep(50);
            DataplaneTest.send(idc[1], DataplaneTest.arp(1, 0xFFFF_FFFF_FFFFL, CPE_MAC, 0x0A000002, 0, 0x0A000001, 100));
            final List<byte[]> out = new ArrayList<>();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (out.size() < 2 && System.currentTimeMillis() < deadline)
            {
                out.addAll(DataplaneTest.drain(idc[1]));
                Thread.sleep(5);
            }
            assertEquals(2, out.size(), "the ARP reply and the released packet left");
            assertTrue(out.stream().anyMatch(f -> ((f[16] & 0xFF) << 8 | (f[17] & 0xFF)) == 0x0806 && DataplaneTest.arpOp(f, 18) == 2), "ARP reply");
            assertTrue(out.stream().anyMatch(f -> ((f[16] & 0xFF) << 8 | (f[17] & 0xFF)) == 0x0800), "the UDP packet");
            assertEquals(Set.of("vbgw-worker-0"), idcPort.senders, "one transmitting thread on the port");
        }
    }

    /** A port that notes which threads send on it. */
    private static final class RecordingPort implements Port
    {
        final Set<String> senders = ConcurrentHashMap.newKeySet();
        private final Port port;

        RecordingPort(final Port port)
        {
            this.port = port;
        }

        @Override
        public boolean send(final DirectBuffer buffer, final int offset, final int length)
        {
            senders.add(Thread.currentThread().getName());
            return port.send(buffer, offset, length);
        }

        @Override
        public String name()
        {
            return port.name();
        }

        @Override
        public int receive(final FrameHandler handler, final int limit)
        {
            return port.receive(handler, limit);
        }

        @Override
        public int flush()
        {
            return port.flush();
        }

        @Override
        public PortStatistics statistics()
        {
            return port.statistics();
        }

        @Override
        public LinkState linkState()
        {
            return port.linkState();
        }

        @Override
        public int mtu()
        {
            return port.mtu();
        }

        @Override
        public long macAddress()
        {
            return port.macAddress();
        }

        @Override
        public void close()
        {
            port.close();
        }
    }
}
