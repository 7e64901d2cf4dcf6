package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.cli.Vbgw;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.counters.CountersFile;
import org.vbgw.io.MemoryPort;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No counter reset goes unreported: a data plane's counters file carries its start time, the data plane publishes
 * it as a counter ({@code vbgw_dataplane_start_time_seconds} on /metrics), {@code vbgw stat} prints it, and a
 * watcher in another process (the agent) reports the restart when a new data plane replaces the file.
 */
class DataplaneEpochTest
{
    @TempDir
    Path dir;

    private GatewayRuntime gateway(final Path counters) throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        return new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults().withCountersFile(counters));
    }

    /** The value of the counter labelled {@code label}, -1 when there is none. */
    private static long counter(final CountersFile file, final String label)
    {
        final long[] value = {-1};
        file.reader().forEach((v, id, l) ->
        {
            if (l.equals(label))
            {
                value[0] = v;
            }
        });
        return value[0];
    }

    @Test
    void aRestartedDataPlaneIsReportedByTheFileTheCounterAndTheWatcher() throws Exception
    {
        final Path counters = dir.resolve("counters.dat");
        final DataplaneEpoch epoch = new DataplaneEpoch(counters);
        assertTrue(epoch.check().startsWith("no data plane counters at "), "nothing runs yet");

        final long firstStart;
        final long before = System.currentTimeMillis();
        try (GatewayRuntime rt = gateway(counters))
        {
            firstStart = rt.dataplane().startTimeMs();
            assertTrue(firstStart >= before && firstStart <= System.currentTimeMillis(), "start time " + firstStart);
            assertEquals(firstStart, CountersFile.startTimeMs(counters));
            final String first = epoch.check();
            assertTrue(first.startsWith("data plane running, counters since "), first);
            assertNull(epoch.check(), "the same data plane: nothing to report");

            rt.dataplane().doControlWork();
            Thread.sleep(150); // control counters are published every 100 ms
            rt.dataplane().doControlWork();
            try (CountersFile file = CountersFile.openForReading(counters))
            {
                assertEquals(firstStart / 1000, counter(file, GatewayRuntime.START_TIME_COUNTER));
                assertEquals(firstStart, file.startTimeMs());
            }

            final StringWriter out = new StringWriter();
            final CommandLine cl = Vbgw.commandLine();
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute("stat", "--counters", counters.toString()));
            assertTrue(out.toString().startsWith("counters since " + DataplaneEpoch.format(firstStart)), out.toString());
            final StringWriter json = new StringWriter();
            cl.setOut(new PrintWriter(json));
            assertEquals(0, cl.execute("stat", "--counters", counters.toString(), "--json"));
            assertTrue(json.toString().startsWith("{\"dataplane\":{\"start_time_ms\":" + firstStart + "}"), json.toString());
        }

        Thread.sleep(5); // a restart within the same millisecond would be no different on the file
        try (GatewayRuntime rt = gateway(counters))
        {
            final long secondStart = rt.dataplane().startTimeMs();
            assertNotEquals(firstStart, secondStart);
            final String restart = epoch.check();
            assertTrue(restart.startsWith("the data plane restarted at " + DataplaneEpoch.format(secondStart)), restart);
            assertTrue(restart.contains("it was running since " + DataplaneEpoch.format(firstStart)), restart);
            assertTrue(restart.contains("counters start again from zero"), restart);
        }

        Files.delete(counters);
        assertTrue(epoch.check().startsWith("no data plane counters at "));
    }

    @Test
    void aFileFromBeforeStartTimesSaysItDoesNotKnow()
    {
        assertEquals("an unknown time", DataplaneEpoch.format(0));
        assertEquals(-1, CountersFile.startTimeMs(dir.resolve("absent.dat")));
    }
}
