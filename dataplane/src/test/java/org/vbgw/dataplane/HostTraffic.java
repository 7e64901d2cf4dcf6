package org.vbgw.dataplane;

import org.vbgw.io.lab.Netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traffic the namespace hosts of an integration test make with their own network stacks: ping, small
 * python3 socket programs (UDP echo, many UDP flows from chosen source ports) and iperf3 for TCP.
 */
final class HostTraffic
{
    static final String UDP_ECHO_SERVER = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)",
        "s.bind((sys.argv[1], int(sys.argv[2])))",
        "print('ready', flush=True)",
        "while True:",
        "    d, a = s.recvfrom(4096)",
        "    s.sendto(d, a)");
    /** Sends N distinct datagrams, each retried up to 3 times until its echo returns; prints how many did. */
    static final String UDP_ECHO_CLIENT = String.join("\n",
        "import socket, sys",
        "src, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])",
        "s = socket.socket(socket.AF_INET6 if ':' in dst else socket.AF_INET, socket.SOCK_DGRAM)",
        "s.bind((src, 0))",
        "s.settimeout(1.0)",
        "ok = 0",
        "for i in range(n):",
        "    msg = b'vbgw-%d-' % i + bytes(range(256)) * 4",
        "    for attempt in range(3):",
        "        s.sendto(msg, (dst, port))",
        "        try:",
        "            while s.recvfrom(4096)[0] != msg:",
        "                pass",
        "            ok += 1",
        "            break",
        "        except socket.timeout:",
        "            pass",
        "print(ok)");
    /** Sends PER datagrams on each of FLOWS flows (source ports FIRST.., or kernel-chosen when FIRST is 0). */
    static final String UDP_FLOWS = String.join("\n",
        "import socket, sys, time",
        "src, dst, port, flows, per, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), " +
            "int(sys.argv[5]), int(sys.argv[6])",
        "for f in range(flows):",
        "    s = socket.socket(socket.AF_INET6 if ':' in dst else socket.AF_INET, socket.SOCK_DGRAM)",
        "    s.bind((src, first + f if first else 0))",
        "    for k in range(per):",
        "        s.sendto(b'flow %d packet %d' % (f, k), (dst, port))",
        "    s.close()",
        "    time.sleep(0.002)");

    /** Accepts one TCP connection, counts the bytes until the peer's FIN, answers with the count. */
    static final String TCP_SINK = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET, socket.SOCK_STREAM)",
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "s.bind((sys.argv[1], int(sys.argv[2])))",
        "s.listen(1)",
        "print('ready', flush=True)",
        "c, a = s.accept()",
        "n = 0",
        "while True:",
        "    d = c.recv(65536)",
        "    if not d:",
        "        break",
        "    n += len(d)",
        "c.sendall(str(n).encode())",
        "c.close()");
    /** Sends N bytes over TCP from SRC to DST:PORT, half-closes, prints what the sink answered. */
    static final String TCP_SOURCE = String.join("\n",
        "import socket, sys",
        "src, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])",
        "c = socket.socket(socket.AF_INET6 if ':' in dst else socket.AF_INET, socket.SOCK_STREAM)",
        "c.settimeout(20)",
        "c.bind((src, 0))",
        "c.connect((dst, port))",
        "c.sendall(bytes(range(256)) * (n // 256))",
        "c.shutdown(socket.SHUT_WR)",
        "r = b''",
        "while True:",
        "    d = c.recv(100)",
        "    if not d:",
        "        break",
        "    r += d",
        "print(r.decode())");

    /**
     * Sends {@code bytes} over one TCP connection from {@code client} (bound to {@code src}) to a sink
     * started in {@code server} on {@code dst}; returns the byte count the sink reported.
     */
    static long tcpTransfer(final Netns client, final String src, final Netns server, final String dst,
        final int bytes) throws IOException
    {
        final Process sink = server.start("python3", "-c", TCP_SINK, dst, "7100");
        try
        {
            awaitLine(sink, "ready");
            return Long.parseLong(client.exec("python3", "-c", TCP_SOURCE, src, dst, "7100", Integer.toString(bytes)).trim());
        }
        finally
        {
            sink.destroyForcibly();
        }
    }

    static void ping(final Netns ns, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ping", "-c", "3", "-i", "0.2", "-W", "2"));
        command.addAll(List.of(args));
        final String out = ns.exec(command.toArray(new String[0]));
        assertTrue(out.contains("3 packets transmitted, 3 received"), ns + ": " + String.join(" ", command) + "\n" + out);
    }

    /** Runs an iperf3 client in {@code ns} and returns the bytes the receiving side got. */
    static long iperf(final Netns ns, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("iperf3", "-J", "-p", "5201"));
        command.addAll(List.of(args));
        String json = iperfOnce(ns, command);
        for (int attempt = 1; attempt < 3 && json.contains("\"error\""); attempt++)
        {
            // iperf3's server refuses or resets a client that arrives while it still tears down the last test.
            System.out.println("iperf3 " + String.join(" ", args) + ": retrying after " + json.replaceAll("\\s+", " "));
            sleep(500);
            json = iperfOnce(ns, command);
        }
        final Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), "iperf3 reported what it received: " + json);
        final long bytes = Long.parseLong(m.group(1));
        final Matcher bps = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.e+]+)").matcher(json);
        System.out.println("iperf3 " + String.join(" ", args) + ": " + bytes + " bytes received" +
            (bps.find() ? ", " + Math.round(Double.parseDouble(bps.group(1)) / 1e6) + " Mbit/s" : ""));
        return bytes;
    }

    static String iperfOnce(final Netns ns, final List<String> command)
    {
        try
        {
            return ns.exec(command.toArray(new String[0]));
        }
        catch (final IllegalStateException ex)
        {
            return "{\"error\": \"" + ex.getMessage() + "\"}";
        }
    }

    static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void awaitLine(final Process process, final String text) throws IOException
    {
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null)
        {
            seen.append(line).append('\n');
            if (line.contains(text))
            {
                return;
            }
        }
        throw new IllegalStateException("process ended before printing '" + text + "': " + seen);
    }

    private HostTraffic()
    {
    }
}
