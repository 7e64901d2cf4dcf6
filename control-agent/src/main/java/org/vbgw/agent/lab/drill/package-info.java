/**
 * {@code vbgw drill}: the seeds' failover test as a measurement on a namespace lab ({@link org.vbgw.agent.lab}).
 * {@link org.vbgw.agent.lab.drill.Drill} runs it; {@link org.vbgw.agent.lab.drill.RepeatAnalysis} turns one cut
 * and restore (the receiver's lost sequence numbers, the gateway's per-VIF counters) into outage, switch and
 * failback times; {@link org.vbgw.agent.lab.drill.Expectation} derives from the config's timers what each failure
 * mode should cost; {@link org.vbgw.agent.lab.drill.MarkdownReport}, {@link org.vbgw.agent.lab.drill.DrillReport}
 * (JSON) and {@link org.vbgw.agent.lab.drill.SvgPlot} write the report. Control plane only: nothing here runs per
 * packet.
 */
package org.vbgw.agent.lab.drill;
