package org.vbgw.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

/** VIF and next-hop counters keep their meaning when a reload gives an id to another VIF or next hop. */
class WorkerCountersTest
{
    private final CountersManager manager = new CountersManager(new UnsafeBuffer(new byte[1 << 20]),
        new UnsafeBuffer(new byte[1 << 18]));

    private Map<String, Long> counters()
    {
        final Map<String, Long> values = new HashMap<>();
        manager.forEach((id, type, key, label) -> values.put(label, manager.getCounterValue(id)));
        return values;
    }

    @Test
    void aReusedIdCountsAgainUnderTheNewName()
    {
        final WorkerCounters counters = new WorkerCounters(manager, 0, 8, 8);
        counters.addVif(3, "vif-old");
        counters.addNextHop(5, "10.0.0.2%vif-old");
        counters.vifRx(3, 100);
        counters.vifTx(3, 60);
        counters.nextHopTx(5);
        counters.publish();
        assertEquals(1L, counters().get("vif vif-old rx_packets worker 0"));
        assertEquals(100L, counters().get("vif vif-old rx_bytes worker 0"));
        assertEquals(1L, counters().get("nexthop 10.0.0.2%vif-old tx_packets worker 0"));

        // Adding the same VIF again (a reload that kept it) changes nothing.
        counters.addVif(3, "vif-old");
        assertEquals(1L, counters().get("vif vif-old rx_packets worker 0"));

        // The id now belongs to another VIF: the old labels are gone and the new ones start from 0.
        counters.addVif(3, "vif-new");
        counters.addNextHop(5, "10.0.0.6%vif-new");
        final Map<String, Long> after = counters();
        assertEquals(null, after.get("vif vif-old rx_packets worker 0"));
        assertEquals(0L, after.get("vif vif-new rx_packets worker 0"));
        assertEquals(0L, after.get("vif vif-new tx_bytes worker 0"));
        assertEquals(0L, after.get("nexthop 10.0.0.6%vif-new tx_packets worker 0"));
        counters.vifTx(3, 70);
        counters.publish();
        assertEquals(70L, counters().get("vif vif-new tx_bytes worker 0"));
    }
}
