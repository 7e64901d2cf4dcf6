package org.vbgw.agent.demo;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.Port;

/**
 * A host in the VPC sending the demo traffic into the gateway at a fixed rate: {@code flows} UDP flows to
 * addresses in the data center, taking turns, each with its own sequence numbers and send times. A frame the
 * port refuses is sent again, with the same sequence number, on the next call: losses are the network's.
 */
final class VpcHost
{
    private final Port port;
    private final long gatewayMac;
    private final int address;
    private final int[] destinations;
    private final long ratePps;
    private final long[] nextSequence;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[DemoFrames.FRAME_LENGTH + 16]);
    private long startNs = -1;
    private long sent;

    VpcHost(final Port port, final long gatewayMac, final int address, final int[] destinations, final long ratePps)
    {
        this.port = port;
        this.gatewayMac = gatewayMac;
        this.address = address;
        this.destinations = destinations.clone();
        this.ratePps = ratePps;
        this.nextSequence = new long[destinations.length];
    }

    /** Sends what is due by {@code nowNs}, at most a burst; returns the frames sent. */
    int send(final long nowNs)
    {
        if (startNs < 0)
        {
            startNs = nowNs;
        }
        final long due = (nowNs - startNs) * ratePps / 1_000_000_000L;
        int n = 0;
        while (sent < due && n < 256)
        {
            final int flow = (int)(sent % destinations.length);
            final int length = DemoFrames.write(frame, 0, gatewayMac, port.macAddress(), address, destinations[flow],
                flow, nextSequence[flow], nowNs);
            if (!port.send(frame, 0, length))
            {
                break;
            }
            nextSequence[flow]++;
            sent++;
            n++;
        }
        port.flush();
        return n;
    }

    long sent()
    {
        return sent;
    }

    /** How often each flow sends. */
    long flowSpacingNs()
    {
        return destinations.length * 1_000_000_000L / ratePps;
    }
}
