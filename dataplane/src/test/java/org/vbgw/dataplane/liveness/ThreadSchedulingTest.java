package org.vbgw.dataplane.liveness;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCHED_FIFO and nice on threads of this JVM, read back from the kernel. */
class ThreadSchedulingTest
{
    /** Runs {@code action} on a fresh named thread (so the test's own thread keeps its scheduling). */
    private static <T> T onThread(final String name, final java.util.function.Supplier<T> action) throws Exception
    {
        final AtomicReference<T> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread t = new Thread(() ->
        {
            try
            {
                result.set(action.get());
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, name);
        t.start();
        t.join(10_000);
        if (failure.get() != null)
        {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    /** Field 19 of /proc/self/task/TID/stat: the thread's nice value. */
    private static int niceOf(final int tid) throws Exception
    {
        final String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // The name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    @Test
    void realtimeIsAppliedToTheCallingThreadOnlyOrRefusedWithTheReason() throws Exception
    {
        final Object[] seen = onThread("vbgw-rt-test", () ->
        {
            final ThreadScheduling.Result r = ThreadScheduling.realtimeCurrentThread(10);
            final int tid = ThreadScheduling.currentTid();
            return new Object[] {r, ThreadScheduling.policy(tid), tid};
        });
        final ThreadScheduling.Result result = (ThreadScheduling.Result)seen[0];
        final int policy = (Integer)seen[1];
        if (result.applied())
        {
            assertEquals(ThreadScheduling.SCHED_FIFO, policy, result.description());
            assertTrue(result.description().contains("SCHED_FIFO 10"), result.description());
        }
        else
        {
            // Without CAP_SYS_NICE: the thread keeps its policy and the result names the errno.
            assertEquals(ThreadScheduling.SCHED_OTHER, policy);
            assertTrue(result.description().contains("refused") && result.description().contains("errno"),
                result.description());
        }
        // The test's own thread was not touched.
        assertEquals(ThreadScheduling.SCHED_OTHER, ThreadScheduling.policy(ThreadScheduling.currentTid()));
    }

    @Test
    void niceIsSetOnTheNamedThread() throws Exception
    {
        final Object[] seen = onThread("vbgw-nice-test", () ->
        {
            final int tid = ThreadScheduling.currentTid();
            final boolean listed = ThreadScheduling.threadsNamed("vbgw-nice-tes").stream()
                .anyMatch(t -> t.tid() == tid);
            // Raising a thread's own nice value needs no privilege: this one is always applied.
            final ThreadScheduling.Result r = ThreadScheduling.nice(tid, 7);
            try
            {
                return new Object[] {r, niceOf(tid), listed};
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final ThreadScheduling.Result result = (ThreadScheduling.Result)seen[0];
        assertTrue(result.applied(), result.description());
        assertEquals(7, (Integer)seen[1]);
        assertTrue((Boolean)seen[2], "the thread was found by its Linux name");
    }

    @Test
    void valuesOutOfRangeAreRejectedByName()
    {
        final IllegalArgumentException fifo = assertThrows(IllegalArgumentException.class,
            () -> ThreadScheduling.realtimeCurrentThread(100));
        assertTrue(fifo.getMessage().contains("100"), fifo.getMessage());
        final IllegalArgumentException nice = assertThrows(IllegalArgumentException.class,
            () -> ThreadScheduling.nice(ThreadScheduling.currentTid(), -21));
        assertTrue(nice.getMessage().contains("-21"), nice.getMessage());
    }
}
