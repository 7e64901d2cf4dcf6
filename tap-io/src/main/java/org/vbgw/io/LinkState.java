package org.vbgw.io;

/**
 * Whether a port can carry frames now: administratively up and with carrier (IFF_UP and IFF_LOWER_UP,
 * RFC 2863 operational state "up").
 */
public enum LinkState
{
    /** Administratively up and the lower layer (carrier) is up: frames flow. */
    UP,
    /** Administratively down, or up without carrier: frames sent are lost. */
    DOWN,
    /** The state could not be determined (the interface is gone, or the port is closed). */
    UNKNOWN
}
