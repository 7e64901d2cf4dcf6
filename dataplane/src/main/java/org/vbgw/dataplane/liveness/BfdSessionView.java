package org.vbgw.dataplane.liveness;

/**
 * A BFD session as {@code show bfd} reports it: a copy, taken on the control thread.
 *
 * @param diag                local diagnostic code (RFC 5880 §4.1).
 * @param txIntervalUs        the transmit interval in use (before jitter).
 * @param detectTimeUs        the detection time in use.
 * @param lastChangeNs        the data plane's clock at the last state change.
 * @param lastRxNs            the data plane's clock when the latest packet was accepted (0: none yet).
 * @param holdingNextHops     true while this session keeps its peer's next hops out of service (down, or in the
 *                            hold-down after coming back).
 * @param authType            0 for none, else the RFC 5880 authentication type.
 * @param maxRxGapUs          the longest time between two packets received while Up.
 * @param lateRxGaps          packets received while Up more than half the detection time after the one before:
 *                            the peer sent late, or this gateway's receive path ran late.
 * @param maxTxLateUs         the longest delay of a packet sent while Up past its scheduled time.
 * @param lateTxPackets       packets sent while Up later than a quarter of the interval past their time: this
 *                            gateway's control thread ran late (give it a core, or real-time priority).
 */
public record BfdSessionView(String vif, String peer, String local, String state, String remoteState, int diag,
                             long localDiscriminator, long remoteDiscriminator, int sourcePort,
                             long desiredMinTxUs, long requiredMinRxUs, int detectMult, long txIntervalUs,
                             long detectTimeUs, long remoteDesiredMinTxUs, long remoteMinRxUs, long lastChangeNs, long lastRxNs,
                             long upCount, long downCount, long rxPackets, long txPackets, boolean holdingNextHops,
                             int authType, long maxRxGapUs, long lateRxGaps, long maxTxLateUs, long lateTxPackets)
{
}
