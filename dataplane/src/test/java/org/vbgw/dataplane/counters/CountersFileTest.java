package org.vbgw.dataplane.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void aSecondMappingSeesCountersLive()
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile writer = CountersFile.create(file, 64);
             CountersFile reader = CountersFile.openForReading(file))
        {
            final AtomicCounter rx = writer.manager().newCounter("port eth1 rx_packets", CounterKind.PORT);
            final AtomicCounter drop = writer.manager().newCounter("drop unknown_vlan", CounterKind.DROP);
            rx.increment();
            rx.increment();
            drop.incrementOrdered();
            final Map<String, Long> seen = new HashMap<>();
            reader.reader().forEach((value, id, label) -> seen.put(label, value));
            assertEquals(Map.of("port eth1 rx_packets", 2L, "drop unknown_vlan", 1L), seen);
            rx.getAndAdd(40);
            assertEquals(42, reader.reader().getCounterValue(rx.id()));
            assertEquals(ProcessHandle.current().pid(), reader.writerPid());
        }
    }

    @Test
    void refusesFilesThatAreNotCounters() throws Exception
    {
        final Path file = dir.resolve("junk.dat");
        Files.write(file, new byte[4096]);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> CountersFile.openForReading(file));
        assertTrue(ex.getMessage().startsWith("not a vbgw counters file"), ex.getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> CountersFile.openForReading(dir.resolve("none")))
            .getMessage().contains("is the data plane running?"));
    }
}
