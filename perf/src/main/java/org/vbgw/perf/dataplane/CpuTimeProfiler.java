package org.vbgw.perf.dataplane;

import org.agrona.collections.Long2LongHashMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * A JMH profiler that reports the CPU time the benchmark threads used per operation
 * ({@code cpu.worker.norm}, ns/op), next to the wall-clock score.
 * <p>
 * On a shared machine the wall-clock score counts the time the worker thread waited for a CPU: with the
 * load average several times the core count it inflates every score by a varying factor, so even ratios of
 * runs minutes apart mislead. CPU time counts only the time the thread ran (it still pays for caches other
 * processes evicted). Use with {@code -prof org.vbgw.perf.dataplane.CpuTimeProfiler}; needs thread CPU
 * time measurement, which HotSpot on Linux has.
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private static final String WORKER_THREAD_NAME = "jmh-worker";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Long2LongHashMap startCpuNs = new Long2LongHashMap(-1);

    @Override
    public String getDescription()
    {
        return "CPU time of the benchmark threads per operation (excludes time spent waiting for a CPU)";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        startCpuNs.clear();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().contains(WORKER_THREAD_NAME))
            {
                final long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0)
                {
                    startCpuNs.put(info.getThreadId(), cpu);
                }
            }
        }
    }

    @Override
    public List<? extends Result> afterIteration(final BenchmarkParams benchmarkParams,
        final IterationParams iterationParams, final IterationResult result)
    {
        long usedNs = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().contains(WORKER_THREAD_NAME))
            {
                final long cpu = threads.getThreadCpuTime(info.getThreadId());
                final long start = startCpuNs.get(info.getThreadId());
                // A worker started during the iteration ran only in it: all its CPU time counts.
                usedNs += cpu - (start < 0 ? 0 : start);
            }
        }
        final long ops = result.getMetadata().getAllOps();
        final double perOp = ops == 0 ? Double.NaN : (double)usedNs / ops;
        return List.of(new ScalarResult("cpu.worker.norm", perOp, "ns/op", AggregationPolicy.AVG));
    }
}
