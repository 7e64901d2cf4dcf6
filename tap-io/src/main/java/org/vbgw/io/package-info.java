/**
 * Ports: where Ethernet frames enter and leave vbgw. The dataplane codes against {@link org.vbgw.io.Port}
 * and {@link org.vbgw.io.FrameHandler} only; this module knows nothing about routing.
 * <ul>
 *   <li>{@link org.vbgw.io.linux.PacketSocket}: an interface through AF_PACKET PACKET_MMAP rings
 *   (TPACKET_V3 receive ring, TPACKET_V3 transmit ring or one {@code send()} per frame), VLAN tags rebuilt
 *   in place on receive, fanout, promiscuous mode, qdisc bypass.</li>
 *   <li>{@link org.vbgw.io.linux.TapDevice}: a TAP interface, for punting to and injecting from the host
 *   stack.</li>
 *   <li>{@link org.vbgw.io.linux.LinkMonitor}: carrier and admin state changes from rtnetlink.</li>
 *   <li>{@link org.vbgw.io.pcap.PcapPort}: replay a pcap/pcapng file, capture to a pcap file.</li>
 *   <li>{@link org.vbgw.io.MemoryPort}: in-process connected pairs for tests and benchmarks.</li>
 * </ul>
 * All native calls go through JNR-FFI ({@link org.vbgw.io.linux.LibC}); there is no C code of our own.
 * <p>
 * <b>Offloads.</b> A kernel sending over veth or TAP with checksum offload leaves partial checksums, and
 * with TSO/GSO (or GRO on the receiver) hands over frames larger than the MTU. Ports take the predictable
 * way: {@link org.vbgw.io.linux.PacketSocket} refuses an interface whose offloads are on and names the
 * {@code ethtool -K IF tx off tso off gso off gro off} to run ({@link org.vbgw.io.linux.Offloads}); as a
 * safety net, a frame that still arrives with a partial checksum is completed in software before delivery
 * ({@link org.vbgw.io.linux.ChecksumCompletion}) or dropped and counted, and a truncated (oversize) frame
 * is dropped and counted. No frame with an unfinished checksum is ever delivered.
 * <p>
 * <b>Namespaces.</b> A socket, TAP device or netlink socket belongs to the network namespace of the thread
 * that opened it and may be used from any thread afterwards; tests open them inside namespaces they create
 * by calling setns(2) on the opening thread (see {@code org.vbgw.io.lab.Netns} in the test sources).
 */
package org.vbgw.io;
