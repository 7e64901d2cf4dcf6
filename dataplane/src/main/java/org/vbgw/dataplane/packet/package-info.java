/**
 * The packet layer of the data plane: header flyweights, the Internet checksum, VLAN rewriting,
 * packet builders and IPv4 fragmentation, over Agrona buffers (ring memory, TAP buffers, test
 * arrays alike). It knows nothing of ports, VIFs or routes.
 * <p>
 * Conventions shared by every class here:
 * <ul>
 * <li>All multi-byte fields are network byte order: every get/put names
 *     {@link java.nio.ByteOrder#BIG_ENDIAN}.</li>
 * <li>MAC addresses are the low 48 bits of a {@code long}; IPv4 addresses an {@code int};
 *     IPv6 addresses two {@code long}s (high, low). No byte arrays or address objects per packet.</li>
 * <li>Offsets are absolute in the buffer. Lengths are what the frame holds, not what a header
 *     claims, until a {@code validate} has compared the two.</li>
 * <li>Expected failures are codes from {@link org.vbgw.dataplane.packet.PacketError}, never
 *     exceptions: parsers and validators return the code, builders and rewriters return a length
 *     or offset (≥ 0) or the code negated.</li>
 * <li>Frames sit in their buffers with {@link org.vbgw.dataplane.packet.VlanRewriter#HEADROOM}
 *     bytes before them, so tags can be pushed without moving the payload.</li>
 * <li>Nothing allocates once constructed; flyweights and builders are single-threaded, one per
 *     pipeline thread; static helpers are stateless.</li>
 * </ul>
 */
package org.vbgw.dataplane.packet;
