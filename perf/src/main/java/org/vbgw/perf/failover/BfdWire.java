package org.vbgw.perf.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vbgw.io.lab.Netns;

/**
 * The BFD packets on the customer router's wire, timestamped by the kernel ({@code tcpdump} in the customer
 * namespace): which side's packets were late when a session flapped. A gap in the gateway's packets as they
 * reach the customer router means the gateway sent late (its BFD timer, its control thread, or its worker,
 * which transmits them, was kept off the CPU); a gap in the customer router's packets means BIRD sent late. A
 * session that the gateway declared down with "detection time expired" while BIRD's packets show no gap was
 * late in the gateway's receive path (worker → punt ring → control thread).
 * <p>
 * Keeps only the gaps longer than {@link #KEEP_ABOVE_NS} (a packet per 10 ms is the normal) that follow a packet
 * saying Up (a sender not Up sends once a second), so a run of any length holds little. A reader thread parses tcpdump's text; {@link #maxGaps} may be called from any thread.
 */
final class BfdWire implements AutoCloseable
{
    /** Gaps at or below this are the normal transmit interval (10 ms less jitter) and are not kept. */
    static final long KEEP_ABOVE_NS = 12_000_000L;

    /** One long gap: the packet that ended it, on the wall clock (epoch ns). */
    record Gap(String direction, long endEpochNs, long gapNs)
    {
    }

    private Process tcpdump;
    private Thread reader;
    private final Map<String, Long> last = new LinkedHashMap<>();
    /** Per direction: whether its latest packet said Up (only then is the sender bound to the fast rate). */
    private final Map<String, Boolean> lastUp = new LinkedHashMap<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final Map<String, String> labels;

    /**
     * @param labels the direction's label by "source address > destination address", e.g. "10.0.0.1>10.0.0.2"
     *               → "gateway→BIRD, A"; packets of other pairs are ignored.
     */
    BfdWire(final Map<String, String> labels)
    {
        this.labels = Map.copyOf(labels);
    }

    /** Starts the capture in {@code ns} (tcpdump must be installed). */
    static BfdWire capture(final Netns ns, final Map<String, String> labels) throws IOException
    {
        final BfdWire wire = new BfdWire(labels);
        // -tt: seconds since the epoch; -l: a line at a time; -i any: both connections in one capture.
        wire.tcpdump = ns.start("tcpdump", "-l", "-nn", "-tt", "-i", "any", "udp", "port", "3784");
        wire.reader = new Thread(wire::read, "bfd-wire");
        wire.reader.setDaemon(true);
        wire.reader.start();
        return wire;
    }

    private void read()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(),
            StandardCharsets.US_ASCII)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                onLine(line);
            }
        }
        catch (final IOException ex)
        {
            // tcpdump was stopped: the capture is over.
        }
    }

    /** One line of tcpdump: "SECONDS.MICROS [ifname In|Out] IP SRC.PORT > DST.PORT: BFDv1, ...". */
    void onLine(final String line)
    {
        final String[] f = line.split(" ");
        int ip = -1;
        for (int i = 1; i + 3 < f.length; i++)
        {
            if (f[i].equals("IP") && f[i + 2].equals(">"))
            {
                ip = i;
                break;
            }
        }
        if (ip < 0 || !f[0].contains("."))
        {
            return;
        }
        final String key = address(f[ip + 1]) + ">" + address(f[ip + 3]);
        final String label = labels.get(key);
        if (label == null)
        {
            return;
        }
        final int dot = f[0].indexOf('.');
        final long epochNs;
        try
        {
            epochNs = Long.parseLong(f[0].substring(0, dot)) * 1_000_000_000L +
                Long.parseLong((f[0].substring(dot + 1) + "000000000").substring(0, 9));
        }
        catch (final NumberFormatException ex)
        {
            return;
        }
        final boolean up = line.contains("State Up");
        synchronized (this)
        {
            final Long before = last.put(label, epochNs);
            // A sender that is not Up sends once a second (RFC 5880 §6.8.3): only gaps after an Up packet count.
            if (before != null && Boolean.TRUE.equals(lastUp.put(label, up)) && epochNs - before > KEEP_ABOVE_NS)
            {
                gaps.add(new Gap(label, epochNs, epochNs - before));
            }
        }
    }

    /** "10.0.0.1.49152" or "10.0.0.1.49152:" → "10.0.0.1". */
    private static String address(final String addressAndPort)
    {
        final String s = addressAndPort.endsWith(":") ? addressAndPort.substring(0, addressAndPort.length() - 1) :
            addressAndPort;
        final int dot = s.lastIndexOf('.');
        return dot < 0 ? s : s.substring(0, dot);
    }

    /** The longest gap per direction whose end fell in [fromEpochNs, toEpochNs), in ms; directions without one absent. */
    synchronized Map<String, Double> maxGaps(final long fromEpochNs, final long toEpochNs)
    {
        final Map<String, Double> out = new LinkedHashMap<>();
        for (final Gap g : gaps)
        {
            if (g.endEpochNs() >= fromEpochNs && g.endEpochNs() < toEpochNs)
            {
                out.merge(g.direction(), g.gapNs() / 1e6, Math::max);
            }
        }
        return out;
    }

    @Override
    public void close()
    {
        if (tcpdump == null)
        {
            return;
        }
        tcpdump.destroy();
        try
        {
            reader.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
