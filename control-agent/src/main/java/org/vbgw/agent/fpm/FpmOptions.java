package org.vbgw.agent.fpm;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How the FPM server runs: where it listens, which of zebra's routing protocols it takes into the RIB, and how
 * long FRR's routes outlive a lost connection.
 *
 * @param protocols rtm_protocol numbers to keep ({@link Netlink#RTPROT_BGP}, {@link Netlink#RTPROT_ZSTATIC}, ...);
 *                  everything else (kernel, connected, link-local) is zebra's view of the host and is filtered.
 * @param graceMs   after zebra disconnects its routes stay (stale) this long; a replay within it refreshes them,
 *                  and only the ones not replayed are flushed when it ends.
 */
public record FpmOptions(InetSocketAddress listen, List<Integer> protocols, long graceMs)
{
    public static final int DEFAULT_PORT = 2620;
    /** FRR's default BGP graceful-restart restart time. */
    public static final long DEFAULT_GRACE_MS = 120_000;

    public static FpmOptions defaults(final InetSocketAddress listen)
    {
        return new FpmOptions(listen, List.of(Netlink.RTPROT_BGP, Netlink.RTPROT_ZSTATIC), DEFAULT_GRACE_MS);
    }

    /** Parses {@code HOST:PORT}, {@code [v6]:PORT}, {@code HOST} or {@code :PORT} (defaults 127.0.0.1, 2620). */
    public static InetSocketAddress parseAddress(final String text)
    {
        final String s = text.trim();
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        final int colon = s.lastIndexOf(':');
        if (s.startsWith("["))
        {
            final int close = s.indexOf(']');
            if (close < 0)
            {
                throw new IllegalArgumentException("FPM address '" + text + "': missing ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length())
            {
                port = port(text, s.substring(close + 2));
            }
        }
        else if (colon >= 0 && s.indexOf(':') == colon)
        {
            if (colon > 0)
            {
                host = s.substring(0, colon);
            }
            port = port(text, s.substring(colon + 1));
        }
        else if (!s.isEmpty())
        {
            host = s;
        }
        return new InetSocketAddress(host, port);
    }

    private static int port(final String text, final String port)
    {
        try
        {
            final int p = Integer.parseInt(port);
            if (p < 0 || p > 65535)
            {
                throw new NumberFormatException();
            }
            return p;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("FPM address '" + text + "': port '" + port + "' is not 0..65535");
        }
    }
}
