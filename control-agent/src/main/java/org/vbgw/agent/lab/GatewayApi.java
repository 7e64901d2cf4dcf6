package org.vbgw.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The lab gateway's HTTP API ({@code /api/...}), which listens on the gateway namespace's loopback: each
 * request is a {@code curl} run inside that namespace, since a socket belongs to the namespace it was opened in.
 */
public final class GatewayApi
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final String address;

    /** The API of the gateway in {@code namespace} at {@code address} (HOST:PORT). */
    public GatewayApi(final String namespace, final String address)
    {
        this.namespace = namespace;
        this.address = address;
    }

    /** The API of a lab's gateway. */
    public static GatewayApi of(final LabState state)
    {
        return new GatewayApi(state.namespaces().gw(), state.apiAddress());
    }

    /** GET /api/RESOURCE, parsed; null when the gateway does not answer (not up yet, or gone). */
    public JsonNode get(final String resource)
    {
        try
        {
            final Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "curl", "-sf", "--max-time", "3",
                "http://" + address + "/api/" + resource).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final byte[] body = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                p.destroyForcibly();
                return null;
            }
            return JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
