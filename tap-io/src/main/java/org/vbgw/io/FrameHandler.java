package org.vbgw.io;

import org.agrona.MutableDirectBuffer;

/**
 * Receives the frames of one {@link Port#receive(FrameHandler, int)} batch, one call per frame.
 * <p>
 * The buffer is a view over the port's own memory (for a {@link org.vbgw.io.linux.PacketSocket} the
 * mapped receive ring): no copy was made to deliver the frame and none should be made to read it.
 * The frame is valid, and may be rewritten in place (MAC addresses, TTL, checksums), until the batch
 * it belongs to ends ({@link #onBatchEnd()} returns); afterwards the port hands the memory back to its
 * producer. To forward the frame,
 * pass the same buffer, offset and length to another port's {@link Port#send} inside this call: that
 * is the one copy (into the transmit slot, or the kernel's copy in {@code send()}).
 * <p>
 * The frame starts with the destination MAC address and is exactly as it was on the wire, VLAN tags
 * included; it has no trailing FCS. Called on the thread that called {@code receive}.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * One received frame.
     *
     * @param buffer writable view holding the frame; the same instance for every frame of a port.
     * @param offset index of the first byte (destination MAC) in {@code buffer}.
     * @param length frame length in bytes, FCS excluded.
     */
    void onFrame(MutableDirectBuffer buffer, int offset, int length);

    /**
     * The frames delivered since the last call form a batch that is complete: every port calls this
     * after the last frame of a batch and <em>before</em> any of the batch's frames stop being valid (at
     * the latest before {@code receive} returns; a ring port also before it hands a block back). Until
     * then every frame of the batch stays valid and writable, so a handler may hold on to some and finish
     * them here, together: a forwarder issues the FIB lookups of a whole batch at once, and their cache
     * misses overlap instead of being waited for one packet at a time.
     */
    default void onBatchEnd()
    {
    }
}
