package org.vbgw.agent.cli;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.dataplane.counters.CountersFile;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatCommandTest
{
    @TempDir
    Path dir;

    @Test
    void sumsWorkersPerLabelAndHidesZeros()
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile counters = CountersFile.create(file, 64))
        {
            final CountersManager m = counters.manager();
            m.newCounter("worker 0 forwarded", CounterKind.WORKER).set(10);
            m.newCounter("worker 1 forwarded", CounterKind.WORKER).set(32);
            m.newCounter("vif dx1 rx_packets worker 0", CounterKind.VIF).set(5);
            m.newCounter("vif dx1 rx_packets worker 1", CounterKind.VIF).set(7);
            m.newCounter("worker 0 drop_no_route", CounterKind.DROP).set(0);

            final StringWriter out = new StringWriter();
            final CommandLine cl = Vbgw.commandLine();
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute("stat", "--counters", file.toString(), "--json"));
            assertEquals("{\"dataplane\":{\"start_time_ms\":" + counters.startTimeMs() + "}," +
                "\"vif\":{\"vif dx1 rx_packets\":12},\"worker\":{\"forwarded\":42}}", out.toString().trim());

            final StringWriter table = new StringWriter();
            cl.setOut(new PrintWriter(table));
            assertEquals(0, cl.execute("stat", "--counters", file.toString(), "--all"));
            assertTrue(table.toString().contains("drop_no_route"), table.toString());
            assertTrue(table.toString().matches("(?s).*forwarded\\s+42.*"), table.toString());
        }
    }

    @Test
    void saysWhenNoDataPlaneIsRunning()
    {
        final StringWriter err = new StringWriter();
        final CommandLine cl = Vbgw.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("stat", "--counters", dir.resolve("absent.dat").toString()));
        assertTrue(err.toString().contains("is the data plane running?"), err.toString());
        assertFalse(err.toString().contains("Exception"));
    }
}
