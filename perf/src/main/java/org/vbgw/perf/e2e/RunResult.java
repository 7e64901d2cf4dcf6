package org.vbgw.perf.e2e;

import org.HdrHistogram.Histogram;

/**
 * The figures of one run (one middle, one offered load) over its measured window. Latencies in microseconds;
 * CPU in nanoseconds per forwarded frame, {@code NaN} where it does not apply (no vbgw worker in the kernel run).
 *
 * @param offeredPps frames the generator sent in the window per second.
 * @param forwardedPps frames of the window the sink received, per second of the window.
 * @param workerCpuNs vbgw worker thread CPU time (user + system: the system part is the kernel's work in
 *                    the worker's send() and ring calls) per frame it forwarded.
 * @param workerUserNs the user-space (Java) part of it.
 * @param genCpuNs generator thread CPU per frame sent; in the kernel run this includes the forwarding the
 *                 kernel does in softirq on the sending CPU, as far as the kernel charges it to the thread.
 * @param ingressRingDrops frames the kernel dropped because vbgw's ingress ring was full.
 */
record RunResult(String middle, String load, long offeredPps, long forwardedPps, double lossPercent,
    double p50Us, double p90Us, double p99Us, double p999Us, double maxUs,
    double workerCpuNs, double workerUserNs, double genCpuNs, double sinkCpuNs,
    long ingressRingDrops, long gapFrames, long outOfOrder)
{
    /**
     * CPU the forwarding path costs per frame, the sink left out (its share is the same work in both runs, but
     * its idle polling is not): the generator thread (which, in the kernel run, also forwards) plus the vbgw
     * worker.
     */
    double pathCpuNs()
    {
        return genCpuNs + (Double.isNaN(workerCpuNs) ? 0 : workerCpuNs);
    }

    static RunResult of(final String middle, final String load, final TrafficGenerator gen, final TrafficSink sink,
        final double workerCpuNs, final double workerUserNs, final double genCpuNs, final double sinkCpuNs,
        final long ingressRingDrops)
    {
        final double seconds = gen.actualWindowNs / 1e9;
        final Histogram h = sink.latencyNs();
        final boolean any = h.getTotalCount() > 0;
        return new RunResult(middle, load, Math.round(gen.sentInWindow / seconds), Math.round(sink.received / seconds),
            gen.sentInWindow == 0 ? 0 : 100.0 * (gen.sentInWindow - sink.received) / gen.sentInWindow,
            any ? h.getValueAtPercentile(50) / 1e3 : Double.NaN,
            any ? h.getValueAtPercentile(90) / 1e3 : Double.NaN,
            any ? h.getValueAtPercentile(99) / 1e3 : Double.NaN,
            any ? h.getValueAtPercentile(99.9) / 1e3 : Double.NaN,
            any ? h.getMaxValue() / 1e3 : Double.NaN,
            workerCpuNs, workerUserNs, genCpuNs, sinkCpuNs, ingressRingDrops, sink.gapFrames, sink.outOfOrder);
    }
}
