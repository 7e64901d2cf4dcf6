package org.vbgw.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading JMH's JSON result files ({@code -rf json}) for {@link BenchmarkReport}. */
final class JmhResults
{
    private JmhResults()
    {
    }

    /** The results array of a JMH result file, or null after writing to {@code md} why there is none. */
    static JsonNode read(final Path json, final StringBuilder md)
    {
        if (!Files.isRegularFile(json))
        {
            md.append("No JMH result file (").append(json.getFileName()).append(").\n\n");
            return null;
        }
        try
        {
            return new ObjectMapper().readTree(json.toFile());
        }
        catch (final IOException ex)
        {
            md.append("JMH's result file cannot be read: ").append(ex.getMessage()).append("\n\n");
            return null;
        }
    }

    /** A secondary metric's score (JMH names some with a leading '·'), or NaN when the run did not have it. */
    static double secondary(final JsonNode result, final String metric)
    {
        final JsonNode secondary = result.path("secondaryMetrics");
        for (final String key : new String[] {metric, "·" + metric})
        {
            if (secondary.has(key))
            {
                return secondary.get(key).path("score").asDouble();
            }
        }
        return Double.NaN;
    }

    /** The median, or NaN for none. */
    static double median(final List<Double> values)
    {
        if (values == null || values.isEmpty())
        {
            return Double.NaN;
        }
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
