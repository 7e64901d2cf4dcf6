package org.vbgw.dataplane.vif;

/**
 * Ingress source filtering of a VIF (unicast RPF, RFC 3704): what a frame's source address must satisfy.
 */
public enum SourceCheck
{
    /** The source lies in the VIF's allowed prefixes (its remote subnets): anti-spoofing at the edge. */
    STRICT,
    /** Any route back to the source exists in the FIB (RFC 3704 §2.3, loose mode). */
    LOOSE,
    /** No check. */
    OFF
}
