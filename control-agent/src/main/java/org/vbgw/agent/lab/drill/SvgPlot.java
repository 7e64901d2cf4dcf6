package org.vbgw.agent.lab.drill;

import java.util.List;
import java.util.Locale;

/**
 * A line chart of packets per second per VIF over time, as standalone SVG: one polyline per VIF, the cut and
 * the restore as vertical lines, axes with ticks and a legend. Hand-written so a drill needs no browser or
 * plotting library; any browser, and the Markdown viewers of code hosts, show it.
 * <p>
 * Control plane; builds one string.
 */
public final class SvgPlot
{
    private static final int WIDTH = 800;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"};

    private SvgPlot()
    {
    }

    /**
     * The chart.
     *
     * @param title     shown above the chart.
     * @param series    one per VIF.
     * @param originNs  time 0 of the x axis.
     * @param cutNs     when the path was cut.
     * @param restoreNs when it was restored.
     */
    public static String render(final String title, final List<VifSeries> series, final long originNs,
        final long cutNs, final long restoreNs)
    {
        double maxSeconds = (restoreNs - originNs) / 1e9;
        double maxPps = 1;
        for (final VifSeries s : series)
        {
            for (int i = 1; i < s.size(); i++)
            {
                maxSeconds = Math.max(maxSeconds, (s.timeNs()[i] - originNs) / 1e9);
                maxPps = Math.max(maxPps, s.pps(i));
            }
        }
        final double xStep = niceStep(maxSeconds / 8);
        final double xMax = Math.ceil(maxSeconds / xStep) * xStep;
        final double yStep = niceStep(maxPps * 1.1 / 5);
        final double yMax = Math.ceil(maxPps * 1.1 / yStep) * yStep;
        final Axes axes = new Axes(xMax, yMax);

        final StringBuilder svg = new StringBuilder(16_384);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
            LEFT, escape(title)));
        for (double y = 0; y <= yMax + yStep / 2; y += yStep)
        {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, axes.y(y), WIDTH - RIGHT, axes.y(y),
                LEFT - 6, axes.y(y) + 4, formatCount(y)));
        }
        for (double x = 0; x <= xMax + xStep / 2; x += xStep)
        {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>" +
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", axes.x(x), HEIGHT - BOTTOM, axes.x(x),
                HEIGHT - BOTTOM + 5, axes.x(x), HEIGHT - BOTTOM + 18, formatSeconds(x, xStep)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " +
            "stroke=\"black\"/>%n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">time (s)</text>%n",
            (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 12));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" " +
            "transform=\"rotate(-90 16 %.1f)\">packets/s sent on the VIF</text>%n", (TOP + HEIGHT - BOTTOM) / 2.0,
            (TOP + HEIGHT - BOTTOM) / 2.0));
        marker(svg, axes, (cutNs - originNs) / 1e9, "cut", "#d62728");
        marker(svg, axes, (restoreNs - originNs) / 1e9, "restore", "#2ca02c");
        for (int v = 0; v < series.size(); v++)
        {
            final VifSeries s = series.get(v);
            final String colour = COLOURS[v % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"");
            for (int i = 1; i < s.size(); i++)
            {
                // A step per interval: the rate held from one sample to the next.
                final double pps = s.pps(i);
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ", axes.x((s.timeNs()[i - 1] - originNs) / 1e9),
                    axes.y(pps), axes.x((s.timeNs()[i] - originNs) / 1e9), axes.y(pps)));
            }
            svg.append("\"><title>").append(escape(s.vif())).append("</title></polyline>\n");
            final int ly = TOP + 10 + v * 20;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" " +
                "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 10, ly, WIDTH - RIGHT + 30, ly,
                colour, WIDTH - RIGHT + 36, ly + 4, escape(s.vif())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void marker(final StringBuilder svg, final Axes axes, final double seconds, final String label,
        final String colour)
    {
        svg.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " +
            "stroke=\"%s\" stroke-dasharray=\"6,4\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%d\" fill=\"%s\" " +
            "text-anchor=\"middle\">%s</text>%n", label, axes.x(seconds), TOP, axes.x(seconds), HEIGHT - BOTTOM, colour,
            axes.x(seconds), TOP - 4, colour, label));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(final double raw)
    {
        if (raw <= 0)
        {
            return 1;
        }
        final double power = Math.pow(10, Math.floor(Math.log10(raw)));
        final double f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    private static String formatCount(final double value)
    {
        if (value < 1000)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        final String k = String.format(Locale.ROOT, "%.1f", value / 1000);
        return (k.endsWith(".0") ? k.substring(0, k.length() - 2) : k) + "k";
    }

    private static String formatSeconds(final double value, final double step)
    {
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Data to pixels. */
    private record Axes(double xMax, double yMax)
    {
        double x(final double seconds)
        {
            return LEFT + Math.max(0, Math.min(1, seconds / xMax)) * (WIDTH - LEFT - RIGHT);
        }

        double y(final double pps)
        {
            return HEIGHT - BOTTOM - Math.max(0, Math.min(1, pps / yMax)) * (HEIGHT - TOP - BOTTOM);
        }
    }
}
