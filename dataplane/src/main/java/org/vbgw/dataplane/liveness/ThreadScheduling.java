package org.vbgw.dataplane.liveness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;

/**
 * Scheduling of the threads BFD depends on: real-time (SCHED_FIFO) for a thread that mostly sleeps and must run
 * the moment its timer fires (the data plane's control thread, which sends and times BFD packets), and a strong
 * CFS weight (a negative nice value) for a thread that spins (a worker, which carries BFD packets to and from the
 * wire: at SCHED_FIFO a spinning thread would use up the kernel's real-time budget, {@code sched_rt_runtime_us},
 * 95 % of each second by default, and then be stopped for the rest of the second, which is longer than a 10 ms x 3
 * detection time).
 * <p>
 * Why: at 10 ms x 3 a session has 30 ms of slack; a thread kept off the CPU that long by other runnable
 * threads (a loaded 2-vCPU machine has many) misses its packets and the peer declares a healthy path down.
 * Both calls need CAP_SYS_NICE (root); without it they return a {@link Result} that says so, and the thread keeps
 * running at normal priority: a clean fallback, never an exception.
 * <p>
 * Any thread; nothing here runs per packet.
 */
public final class ThreadScheduling
{
    /** Linux's SCHED_OTHER and SCHED_FIFO policies ({@code sched.h}). */
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    private static final int PRIO_PROCESS = 0;
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    /** {@code SYS_gettid} on x86-64 and on aarch64. */
    private static final long SYS_GETTID = "aarch64".equals(System.getProperty("os.arch")) ? 178 : 186;

    /** The libc calls, bound by JNR-FFI; a {@code sched_param} is one int, passed as a one-element array. */
    public interface Sched
    {
        int sched_setscheduler(int pid, int policy, int[] param);

        @IgnoreError
        int sched_getscheduler(int pid);

        int setpriority(int which, int who, int prio);

        @IgnoreError
        long syscall(long number);

        @IgnoreError
        String strerror(int errno);
    }

    /** What a call did: applied, or why not (the thread then runs as before). */
    public record Result(boolean applied, String description)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    /** A thread of this JVM as Linux names it ({@code /proc/self/task/TID/comm}, at most 15 characters). */
    public record NativeThread(int tid, String name)
    {
    }

    private static final Sched SCHED = LibraryLoader.create(Sched.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(SCHED);

    private ThreadScheduling()
    {
    }

    /** The calling thread's Linux thread id. */
    public static int currentTid()
    {
        return (int)SCHED.syscall(SYS_GETTID);
    }

    /**
     * Puts the calling thread under SCHED_FIFO at {@code priority} (1-99). A thread under SCHED_FIFO runs before
     * every normal thread as soon as it is runnable, so it must sleep most of the time.
     */
    public static Result realtimeCurrentThread(final int priority)
    {
        if (priority < 1 || priority > 99)
        {
            throw new IllegalArgumentException("SCHED_FIFO priority " + priority + " is not in 1-99");
        }
        final int tid = currentTid();
        // pid 0 is the calling thread: Linux schedules threads, not processes.
        if (SCHED.sched_setscheduler(0, SCHED_FIFO, new int[] {priority}) == 0)
        {
            return new Result(true, "thread " + tid + " SCHED_FIFO " + priority);
        }
        return refused("SCHED_FIFO " + priority + " for thread " + tid, RUNTIME.getLastError());
    }

    /**
     * Sets the nice value of thread {@code tid} of this process (-20 strongest to 19); the thread stays under
     * SCHED_OTHER, so it can spin without real-time throttling, but at -20 it weighs 87 times a nice-0 thread.
     */
    public static Result nice(final int tid, final int nice)
    {
        if (nice < -20 || nice > 19)
        {
            throw new IllegalArgumentException("nice value " + nice + " is not in -20..19");
        }
        if (SCHED.setpriority(PRIO_PROCESS, tid, nice) == 0)
        {
            return new Result(true, "thread " + tid + " nice " + nice);
        }
        return refused("nice " + nice + " for thread " + tid, RUNTIME.getLastError());
    }

    /** The scheduling policy of thread {@code tid} ({@link #SCHED_OTHER}, {@link #SCHED_FIFO}, ...), -1 if unknown. */
    public static int policy(final int tid)
    {
        return SCHED.sched_getscheduler(tid);
    }

    /** This JVM's threads whose Linux name starts with {@code prefix}. */
    public static List<NativeThread> threadsNamed(final String prefix)
    {
        final List<NativeThread> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith(prefix))
                    {
                        out.add(new NativeThread(Integer.parseInt(task.getFileName().toString()), name));
                    }
                }
                catch (final IOException ex)
                {
                    // The thread ended while the list was read: it is not one to schedule.
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list /proc/self/task: " + ex.getMessage(), ex);
        }
        return out;
    }

    private static Result refused(final String what, final int errno)
    {
        final String hint = errno == EPERM || errno == EACCES ?
            ": needs root or CAP_SYS_NICE (and, in a container, a real-time budget); running at normal priority" :
            "; running at normal priority";
        return new Result(false, what + " refused: " + SCHED.strerror(errno) + " (errno " + errno + ")" + hint);
    }
}
