package org.vbgw.dataplane;

import org.vbgw.io.lab.Netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture on an interface inside a namespace: tcpdump writes a pcap file while the test sends
 * traffic, tshark decodes it afterwards with checksum validation on, field by field. What the far side of
 * vbgw really received, decoded by a tool that shares no code with it.
 * <p>
 * On a trunk, a BPF filter such as {@code udp} matches only frames whose tag the kernel moved into metadata
 * on receive (what vbgw sent towards the shim); frames the shim sends carry the tag inline and need
 * {@code vlan and udp}.
 */
final class Capture implements AutoCloseable
{
    /** The tshark fields every decode returns, in this order. */
    static final String[] FIELDS = {"vlan.id", "ip.src", "ip.dst", "ip.ttl", "ip.checksum.status", "ipv6.src",
        "ipv6.dst", "ipv6.hlim", "icmp.type", "icmp.checksum.status", "icmpv6.type", "icmpv6.checksum.status",
        "udp.srcport", "udp.dstport", "udp.checksum.status", "tcp.checksum.status", "eth.src"};

    private final Process tcpdump;
    private final Path file;
    private final String where;

    private Capture(final Process tcpdump, final Path file, final String where)
    {
        this.tcpdump = tcpdump;
        this.file = file;
        this.where = where;
    }

    /** Starts tcpdump on {@code iface} in {@code ns} with a BPF {@code filter}; returns once it listens. */
    static Capture start(final Netns ns, final String iface, final String filter) throws IOException
    {
        final Path file = Files.createTempFile("vbgw-it-" + iface, ".pcap");
        // -Z root: Debian's tcpdump otherwise drops to its own user, which cannot write the root-owned file.
        // --immediate-mode: without it libpcap hands over its ring block only after a 1 s timeout, and the
        // frames of the last second are lost when the capture is stopped.
        final List<String> command = new ArrayList<>(List.of("tcpdump", "-i", iface, "--immediate-mode", "-U", "-nn",
            "-Z", "root", "-w", file.toString()));
        command.addAll(Arrays.asList(filter.split(" ")));
        final Process process = ns.start(command.toArray(new String[0]));
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null)
        {
            seen.append(line).append('\n');
            if (line.contains("listening on"))
            {
                return new Capture(process, file, ns + "/" + iface);
            }
        }
        process.destroyForcibly();
        Files.deleteIfExists(file);
        throw new IllegalStateException("tcpdump on " + ns + "/" + iface + " did not start: " + seen);
    }

    /** Stops the capture (after a moment for frames still in flight) and decodes every frame. */
    List<Row> stop() throws InterruptedException
    {
        Thread.sleep(300);
        tcpdump.destroy();
        if (!tcpdump.waitFor(10, TimeUnit.SECONDS))
        {
            tcpdump.destroyForcibly();
        }
        final List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(),
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"));
        for (final String f : FIELDS)
        {
            command.add("-e");
            command.add(f);
        }
        final List<Row> rows = new ArrayList<>();
        for (final String line : Netns.run(command.toArray(new String[0])).split("\n"))
        {
            if (!line.isBlank())
            {
                rows.add(new Row(line.split("\\|", -1)));
            }
        }
        return rows;
    }

    @Override
    public void close()
    {
        tcpdump.destroyForcibly();
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // A temp file left behind is harmless.
        }
    }

    @Override
    public String toString()
    {
        return "capture on " + where;
    }

    /** One decoded frame: field values by name, "" when absent. */
    static final class Row
    {
        private final String[] values;

        Row(final String[] values)
        {
            this.values = values;
        }

        String get(final String field)
        {
            for (int i = 0; i < FIELDS.length; i++)
            {
                if (FIELDS[i].equals(field))
                {
                    return i < values.length ? values[i] : "";
                }
            }
            throw new IllegalArgumentException("not a captured field: " + field);
        }

        /** The source address, IPv4 or IPv6. */
        String src()
        {
            final String v4 = get("ip.src");
            return v4.isEmpty() ? get("ipv6.src") : v4;
        }

        @Override
        public String toString()
        {
            return String.join("|", values);
        }
    }
}
