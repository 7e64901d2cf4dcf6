package org.vbgw.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The gateway's local HTTP endpoint: {@code /metrics} (Prometheus text from the data plane's counters) and
 * {@code /api/...} (JSON views the agent supplies). Served by the JDK's HTTP server on one thread of its own,
 * never a data plane thread. Bind it to a loopback address: it has no authentication.
 */
public final class ApiServer implements AutoCloseable
{
    private final HttpServer server;

    /**
     * @param address   e.g. 127.0.0.1:9468; port 0 picks a free one.
     * @param counters  the counters to expose (read live).
     */
    public ApiServer(final InetSocketAddress address, final CountersReader counters) throws IOException
    {
        server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "vbgw-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange ->
            reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", PrometheusText.render(counters)));
        server.createContext("/", exchange ->
            reply(exchange, 404, "text/plain; charset=utf-8", "no such resource: " + exchange.getRequestURI() + "\n"));
        server.start();
    }

    /** Serves {@code supplier}'s JSON at {@code /api/NAME}. */
    public ApiServer json(final String name, final Supplier<String> supplier)
    {
        server.createContext("/api/" + name, exchange ->
        {
            try
            {
                reply(exchange, 200, "application/json", supplier.get());
            }
            catch (final RuntimeException ex)
            {
                reply(exchange, 500, "text/plain; charset=utf-8", "vbgw: " + ex.getMessage() + "\n");
            }
        });
        return this;
    }

    /** A handler of {@code POST} / {@code DELETE} bodies: returns the JSON answer, throws for a 400. */
    @FunctionalInterface
    public interface Mutation
    {
        String apply(String method, String query, String body);
    }

    /** Accepts {@code POST} and {@code DELETE} at {@code /api/NAME} (GET keeps serving the view, if any). */
    public ApiServer mutation(final String name, final java.util.function.Supplier<String> view, final Mutation mutation)
    {
        try
        {
            server.removeContext("/api/" + name);
        }
        catch (final IllegalArgumentException noViewYet)
        {
            // Nothing served GET at this name before: the mutation's own view does.
        }
        server.createContext("/api/" + name, exchange ->
        {
            final String method = exchange.getRequestMethod();
            try
            {
                if ("GET".equals(method))
                {
                    reply(exchange, 200, "application/json", view.get());
                    return;
                }
                final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                reply(exchange, 200, "application/json",
                    mutation.apply(method, exchange.getRequestURI().getRawQuery(), body));
            }
            catch (final IllegalArgumentException ex)
            {
                reply(exchange, 400, "text/plain; charset=utf-8", "vbgw: " + ex.getMessage() + "\n");
            }
            catch (final RuntimeException ex)
            {
                reply(exchange, 500, "text/plain; charset=utf-8", "vbgw: " + ex.getMessage() + "\n");
            }
        });
        return this;
    }

    /** The address actually bound (the port is known here when 0 was asked for). */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private static void reply(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
