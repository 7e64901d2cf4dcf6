package org.vbgw.dataplane.pipeline;

import org.agrona.MutableDirectBuffer;

/**
 * The packets of one received batch that passed every check before the FIB lookup, held until the batch
 * ends (VPP's vector): their lookups are then issued back to back, so the cache misses of an Internet-size
 * table overlap instead of stalling each packet in turn, and the packets are finished in arrival order.
 * <p>
 * Struct of arrays, sized once; one per {@link Forwarder}, same thread, no allocation.
 */
final class ForwardBatch
{
    /** Most packets held at once; a fuller batch is finished early. */
    static final int CAPACITY = 256;

    final MutableDirectBuffer[] buffers = new MutableDirectBuffer[CAPACITY];
    final int[] frameOffsets = new int[CAPACITY];
    final int[] frameLengths = new int[CAPACITY];
    final int[] ipOffsets = new int[CAPACITY];
    final int[] vifIds = new int[CAPACITY];
    final int[] flowHashes = new int[CAPACITY];
    final boolean[] ipv6 = new boolean[CAPACITY];
    final int[] ipv4Destinations = new int[CAPACITY];
    final long[] ipv6DestinationsHi = new long[CAPACITY];
    final long[] ipv6DestinationsLo = new long[CAPACITY];
    final int[] groups = new int[CAPACITY];
    int count;

    boolean isFull()
    {
        return count == CAPACITY;
    }

    void addIpv4(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int ipOffset,
        final int vifId, final int dst, final int flowHash)
    {
        final int i = add(buffer, frameOffset, frameLength, ipOffset, vifId, flowHash);
        ipv6[i] = false;
        ipv4Destinations[i] = dst;
    }

    void addIpv6(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int ipOffset,
        final int vifId, final long dstHi, final long dstLo, final int flowHash)
    {
        final int i = add(buffer, frameOffset, frameLength, ipOffset, vifId, flowHash);
        ipv6[i] = true;
        ipv6DestinationsHi[i] = dstHi;
        ipv6DestinationsLo[i] = dstLo;
    }

    private int add(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int ipOffset,
        final int vifId, final int flowHash)
    {
        final int i = count++;
        buffers[i] = buffer;
        frameOffsets[i] = frameOffset;
        frameLengths[i] = frameLength;
        ipOffsets[i] = ipOffset;
        vifIds[i] = vifId;
        flowHashes[i] = flowHash;
        return i;
    }
}
