package org.vbgw.agent.fpm;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The FPM server zebra connects to ({@code fpm address A port N} with {@code -M dplane_fpm_nl}): reads FPM frames,
 * decodes them ({@link FpmDecoder}) and hands them to the {@link FpmRouteTable}, which changes the RIB.
 * <p>
 * One thread of its own and one connection at a time (there is one zebra). Every frame is checked whole before
 * anything of it is applied; the frames that have arrived together are applied as one RIB change. A malformed
 * frame is counted and logged and resets the session: zebra reconnects and replays its table, and since what
 * is installed stays (stale) across the reset and a replay of unchanged routes changes nothing, the FIB does not
 * move. When zebra is gone, its routes stay for {@link FpmOptions#graceMs()} and the ones it has not announced
 * again by then are flushed.
 */
public final class FpmServer implements AutoCloseable
{
    /** How often a blocked accept or read wakes up to check the grace timer and whether to stop. */
    private static final int POLL_MS = 100;
    /** Room for two maximum-size frames, so a partial frame can always be completed in place. */
    private static final int BUFFER_BYTES = 2 * (FpmHeaderFlyweight.MAX_FRAME_LENGTH + 1);

    private final FpmOptions options;
    private final FpmRouteTable table;
    private final FpmCounters counters;
    private final Consumer<String> log;
    private final FpmDecoder decoder = new FpmDecoder();
    private final byte[] bytes = new byte[BUFFER_BYTES];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final List<Object> messages = new ArrayList<>();
    private final ServerSocket serverSocket;
    private final Thread thread;
    private volatile boolean running = true;
    /** The session being served; written by the server thread, closed by {@link #close} from any thread. */
    private volatile Socket session;
    /** Server thread only: bytes read in the current session, to say where a malformed frame was. */
    private long sessionBytes;
    /** Server thread only: when the stale routes are flushed, 0 when nothing is stale. */
    private long graceDeadlineNs;

    /**
     * Binds the listening socket now (so a bad address or a port in use fails here, in the caller's network
     * namespace) and starts serving on a thread of its own.
     */
    public FpmServer(final FpmOptions options, final FpmRouteTable table, final FpmCounters counters,
        final Consumer<String> log) throws IOException
    {
        this.options = options;
        this.table = table;
        this.counters = counters;
        this.log = log;
        this.serverSocket = new ServerSocket();
        try
        {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(options.listen(), 1);
            serverSocket.setSoTimeout(POLL_MS);
        }
        catch (final IOException ex)
        {
            serverSocket.close();
            throw new IOException("FPM server cannot listen on " + options.listen() + ": " + ex.getMessage(), ex);
        }
        this.thread = new Thread(this::run, "vbgw-fpm");
        thread.setDaemon(true);
        thread.start();
    }

    /** The address listened on (the port chosen when 0 was asked for). */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverSocket.getLocalSocketAddress();
    }

    public FpmCounters counters()
    {
        return counters;
    }

    private void run()
    {
        while (running)
        {
            try
            {
                checkGrace();
                final Socket socket;
                try
                {
                    socket = serverSocket.accept();
                }
                catch (final SocketTimeoutException ex)
                {
                    continue;
                }
                serve(socket);
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    log.accept("fpm: accept on " + options.listen() + " failed: " + ex.getMessage());
                    sleepQuietly();
                }
            }
            catch (final RuntimeException ex)
            {
                // Never let one bad surprise end the routing feed: report it, drop the session, keep serving.
                log.accept("fpm: unexpected error, session reset: " + ex);
                counters.increment(FpmCounters.RESETS);
            }
        }
    }

    private void serve(final Socket socket) throws IOException
    {
        session = socket;
        counters.increment(FpmCounters.CONNECTIONS);
        counters.set(FpmCounters.CONNECTED, 1);
        log.accept("fpm: zebra connected from " + socket.getRemoteSocketAddress());
        try (socket)
        {
            socket.setSoTimeout(POLL_MS);
            socket.setReceiveBufferSize(1 << 20);
            final InputStream in = socket.getInputStream();
            sessionBytes = 0;
            int start = 0;
            int end = 0;
            while (running)
            {
                final int n;
                try
                {
                    n = in.read(bytes, end, bytes.length - end);
                }
                catch (final SocketTimeoutException ex)
                {
                    checkGrace();
                    continue;
                }
                if (n < 0)
                {
                    log.accept("fpm: zebra closed the connection" + (end > start ? " in the middle of a frame" : ""));
                    return;
                }
                end += n;
                sessionBytes += n;
                counters.add(FpmCounters.BYTES, n);
                start = consume(start, end);
                if (start < 0)
                {
                    return;
                }
                if (start == end)
                {
                    start = 0;
                    end = 0;
                }
                else if (bytes.length - end < FpmHeaderFlyweight.MAX_FRAME_LENGTH)
                {
                    System.arraycopy(bytes, start, bytes, 0, end - start);
                    end -= start;
                    start = 0;
                }
                checkGrace();
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                log.accept("fpm: connection lost: " + ex.getMessage());
            }
        }
        finally
        {
            session = null;
            counters.set(FpmCounters.CONNECTED, 0);
            table.sessionDown();
            graceDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.graceMs());
            if (graceDeadlineNs == 0)
            {
                graceDeadlineNs = 1;
            }
        }
    }

    /**
     * Decodes every complete frame in {@code [start, end)} and applies them together; returns where the unread
     * bytes start, or -1 when a malformed frame ended the session (the good frames before it are applied).
     */
    private int consume(final int start, final int end)
    {
        messages.clear();
        int at = start;
        MalformedFrameException malformed = null;
        try
        {
            while (true)
            {
                final int length = decoder.frameLength(buffer, at, end - at);
                if (length == 0 || length > end - at)
                {
                    break;
                }
                decoder.decode(buffer, at, length, messages);
                counters.increment(FpmCounters.FRAMES);
                at += length;
            }
        }
        catch (final MalformedFrameException ex)
        {
            malformed = ex;
        }
        if (!messages.isEmpty())
        {
            table.apply(messages);
            messages.clear();
        }
        counters.set(FpmCounters.NEW_ROUTE, decoder.messages(0));
        counters.set(FpmCounters.DEL_ROUTE, decoder.messages(1));
        counters.set(FpmCounters.NEW_NEXT_HOP, decoder.messages(2));
        counters.set(FpmCounters.DEL_NEXT_HOP, decoder.messages(3));
        counters.set(FpmCounters.OTHER_MESSAGES, decoder.ignoredMessages());
        if (malformed != null)
        {
            counters.increment(FpmCounters.MALFORMED);
            counters.increment(FpmCounters.RESETS);
            // The bad frame starts where the unread bytes do: the bytes read so far less those still buffered.
            log.accept("fpm: malformed frame at byte " + (sessionBytes - (end - at)) + " of the session: " +
                malformed.getMessage() + "; session reset, routes kept until zebra replays");
            return -1;
        }
        return at;
    }

    private void checkGrace()
    {
        if (graceDeadlineNs != 0 && System.nanoTime() - graceDeadlineNs >= 0)
        {
            graceDeadlineNs = 0;
            final int flushed = table.flushStale();
            if (flushed > 0)
            {
                log.accept("fpm: grace period over, " + flushed + " stale route(s) zebra did not announce again removed");
            }
        }
    }

    private static void sleepQuietly()
    {
        try
        {
            Thread.sleep(POLL_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving; the routes stay in the RIB as they are (the agent is going away or the feed is turned off). */
    @Override
    public void close()
    {
        running = false;
        try
        {
            serverSocket.close();
        }
        catch (final IOException ignored)
        {
            // closing: nothing to do about it
        }
        final Socket s = session;
        if (s != null)
        {
            try
            {
                s.close();
            }
            catch (final IOException ignored)
            {
                // closing
            }
        }
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
