package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.journal.FibChange;
import org.vbgw.agent.journal.FibJournal;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCommandTest
{
    @TempDir
    Path dir;

    private String run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args));
        return out.toString();
    }

    @Test
    void printsChangesWithTimesAndFiltersByPrefixAndVif()
    {
        final long t0 = 1_763_800_000_000_000_000L;
        final long[] clock = {t0};
        try (FibJournal journal = FibJournal.open(dir.resolve("journal"), () -> clock[0]++))
        {
            journal.nextHop(0, 1, false, 0, 0x0A000002L);
            journal.nextHop(1, 2, false, 0, 0x0A000006L);
            journal.group(0, new int[] {0, 1}, new int[] {1, 1}, 2, -1);
            journal.route(false, 0, 0xAC100000L, 16, 0);
            journal.route(false, 0, 0xAC110000L, 16, 0);
            journal.nextHopState(1, false, FibChange.CAUSE_BFD);
        }
        final String all = run("journal", "--state-dir", dir.toString());
        final String[] lines = all.split("\n");
        assertEquals(6, lines.length, all);
        assertEquals("2025-11-22T08:26:40Z  nexthop        0 vif 1 via 10.0.0.2", lines[0]);
        assertTrue(lines[2].endsWith("group          0 members [0, 1] weights [1, 1]"), lines[2]);
        assertTrue(lines[5].endsWith("nexthop-state  1 down (bfd)"), lines[5]);
        assertEquals(1, run("journal", "--state-dir", dir.toString(), "--prefix", "172.17.0.0/16").split("\n").length);
        final String vif2 = run("journal", "--state-dir", dir.toString(), "--vif", "2");
        assertTrue(vif2.contains("nexthop        1 vif 2") && !vif2.contains("vif 1"), vif2);
    }
}
