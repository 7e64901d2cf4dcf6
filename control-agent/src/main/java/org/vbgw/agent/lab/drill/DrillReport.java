package org.vbgw.agent.lab.drill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything one {@code vbgw drill} measured, as written to {@code drill.json} (Jackson, as it is) and
 * {@code drill.md} ({@link MarkdownReport}).
 *
 * @param dateUtc      when the drill started, ISO 8601.
 * @param command      the command line that reproduces it.
 * @param timers       the detectors configured per path.
 * @param ratePps      traffic rate over all flows.
 * @param flowSpacingMs spacing of one flow's packets: the resolution of an outage.
 * @param reachability the check before any cut.
 */
public record DrillReport(Machine machine, String dateUtc, String command, String scenario, String lab,
    List<PathTimers> timers, long ratePps, int flows, double flowSpacingMs, Reachability reachability,
    List<ModeResult> modes)
{
    /**
     * Every VPC→IDC flow must arrive before any cut means anything.
     *
     * @param sent     packets sent over all flows.
     * @param received packets that arrived.
     * @param silentFlows flows of which nothing arrived.
     */
    public record Reachability(int flows, long sent, long received, int silentFlows, String problem)
    {
        @JsonProperty("passed")
        public boolean passed()
        {
            return problem == null;
        }
    }

    /** The reachability check passed, and no mode failed. */
    @JsonProperty("passed")
    public boolean passed()
    {
        return reachability.passed() && modes.stream().noneMatch(ModeResult::failed);
    }

    /** Writes the report as JSON to {@code file}. */
    public void writeJson(final Path file) throws IOException
    {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }
}
