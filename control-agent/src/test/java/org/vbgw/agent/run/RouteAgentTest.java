package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.journal.FibChangeHandler;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.FibJournalReader;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent alone against its journal: a restart reconciles and writes only differences (nothing, for the same
 * config), and a reload writes exactly the entries of what changed.
 */
class RouteAgentTest
{
    static final String EXTRA_ROUTE = """
          - name: lab
            prefix: 172.30.0.0/24
            next-hops: [10.0.0.2]
        """;

    @TempDir
    Path dir;

    static ConfigCheck example(final String extra) throws Exception
    {
        final String text = Files.readString(Path.of("examples", "active-standby.yaml")) + extra;
        final ConfigCheck check = ConfigCheck.of("active-standby.yaml", text);
        assertTrue(check.ok(), check.errors().toString());
        return check;
    }

    private Path journalDir()
    {
        return dir.resolve("journal");
    }

    private RouteAgent agent(final FibJournal journal, final GatewayConfig config)
    {
        return new RouteAgent(config, VifIds.assign(config, Map.of()), journal,
            GatewayRuntime.apiRoutesFile(journalDir()));
    }

    private RouteAgent.Outcome startAgent(final FibJournal journal, final GatewayConfig config)
    {
        return agent(journal, config).start(GatewayRuntime.snapshotFile(journalDir()));
    }

    /** The entries written after {@code index}, one line each. */
    static List<String> entriesAfter(final FibJournal journal, final long index)
    {
        final List<String> seen = new ArrayList<>();
        final FibChangeHandler recorder = (FibChangeHandler)java.lang.reflect.Proxy.newProxyInstance(
            RouteAgentTest.class.getClassLoader(), new Class<?>[] {FibChangeHandler.class}, (proxy, method, args) ->
            {
                final StringBuilder sb = new StringBuilder(method.getName());
                for (int i = 2; i < args.length; i++)
                {
                    sb.append(' ').append(args[i] instanceof int[] a ? java.util.Arrays.toString(a) : args[i]);
                }
                seen.add(sb.toString());
                return null;
            });
        try (FibJournalReader reader = journal.reader(null))
        {
            if (index >= 0)
            {
                reader.moveAfter(index);
            }
            reader.drain(recorder);
        }
        return seen;
    }

    @Test
    void aRestartWithTheSameConfigWritesNothing() throws Exception
    {
        final GatewayConfig config = example("").config();
        final long written;
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final RouteAgent.Outcome first = startAgent(journal, config);
            assertTrue(first.journalEntries() > 0);
            written = journal.lastIndex();
        }
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final RouteAgent.Outcome again = startAgent(journal, config);
            assertEquals(0, again.journalEntries());
            assertEquals(written, journal.lastIndex(), "not one entry: " + entriesAfter(journal, written));
            assertTrue(again.routesAdopted() > 0);
        }
    }

    @Test
    void aRestartKeepsTheOperatorsRoutesAndWritesNothingForThem() throws Exception
    {
        final GatewayConfig config = example("").config();
        final long written;
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final RouteAgent agent = agent(journal, config);
            agent.start(GatewayRuntime.snapshotFile(journalDir()));
            agent.addApiRoute(IpPrefix.parse("10.99.0.0/16"), List.of(IpPrefix.parse("10.0.0.2"), IpPrefix.parse("10.0.0.6")), 5);
            written = journal.lastIndex();
        }
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final RouteAgent agent = agent(journal, config);
            assertEquals(0, agent.start(GatewayRuntime.snapshotFile(journalDir())).journalEntries());
            assertEquals(written, journal.lastIndex(), "not one entry: " + entriesAfter(journal, written));
            assertTrue(agent.rib().routes().stream().anyMatch(r ->
                r.source() == RouteSource.API && r.prefix().equals(IpPrefix.parse("10.99.0.0/16")) && r.installed()));
            assertTrue(agent.removeApiRoute(IpPrefix.parse("10.99.0.0/16")));
        }
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final long before = journal.lastIndex();
            assertEquals(0, startAgent(journal, config).journalEntries(), "a deleted operator route stays deleted");
            assertEquals(before, journal.lastIndex());
        }
    }

    @Test
    void aRestartWithAChangedConfigWritesOnlyTheDifference() throws Exception
    {
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            startAgent(journal, example(EXTRA_ROUTE).config());
        }
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final long before = journal.lastIndex();
            final RouteAgent.Outcome o = startAgent(journal, example("").config());
            final List<String> entries = entriesAfter(journal, before);
            assertEquals(1, o.routesRemoved());
            assertEquals(2, entries.size(), entries.toString());
            assertEquals("onRouteRemoved false 0 2887647232 24", entries.get(0));   // 172.30.0.0/24
            assertTrue(entries.get(1).startsWith("onGroupRemoved"), entries.toString());
        }
    }

    @Test
    void aReloadThatAddsOneRouteWritesExactlyItsEntriesAndAnUnchangedReloadWritesNone() throws Exception
    {
        try (FibJournal journal = FibJournal.open(journalDir()))
        {
            final GatewayConfig config = example("").config();
            final RouteAgent agent = agent(journal, config);
            agent.start(GatewayRuntime.snapshotFile(journalDir()));
            final JournalState stateBefore = JournalState.read(journal, GatewayRuntime.snapshotFile(journalDir()));

            final long before = journal.lastIndex();
            final GatewayConfig added = example(EXTRA_ROUTE).config();
            final RouteAgent.Outcome o = agent.reload(added, VifIds.assign(added, agent.vifIds()));
            final List<String> entries = entriesAfter(journal, before);
            // The next hop 10.0.0.2 exists; a group of it alone (no backup) is new, then the route.
            assertEquals(2, entries.size(), entries.toString());
            assertTrue(entries.get(0).startsWith("onGroup "), entries.toString());
            assertTrue(entries.get(1).startsWith("onRoute false 0 2887647232 24 "), entries.toString());
            assertEquals(2, o.journalEntries());
            assertEquals(1, o.prefixesTouched());
            final JournalState stateAfter = JournalState.read(journal, GatewayRuntime.snapshotFile(journalDir()));
            stateBefore.routes().forEach((p, g) -> assertEquals(g, stateAfter.routes().get(p), "untouched " + p));

            final long unchanged = journal.lastIndex();
            assertEquals(0, agent.reload(added, agent.vifIds()).journalEntries());
            assertEquals(unchanged, journal.lastIndex());

            final RouteAgent.Outcome back = agent.reload(config, agent.vifIds());
            assertEquals(List.of("onRouteRemoved false 0 2887647232 24", entriesAfter(journal, unchanged).get(1)),
                entriesAfter(journal, unchanged));
            assertEquals(2, back.journalEntries());
        }
    }
}
