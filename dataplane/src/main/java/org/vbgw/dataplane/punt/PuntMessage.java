package org.vbgw.dataplane.punt;

/**
 * Layout of the records {@link PuntPath} writes into the control rings. The record type is the punt
 * reason ({@code ControlPath.PUNT_*}) or {@link #AWAIT}.
 * <pre>
 *  punt:  | port (4) | vif (4) | frame ...                                          |
 *  await: | next hop (4) | vif (4) | family (4) | pad (4) | hi (8) | lo (8) | IP packet ... |
 * </pre>
 */
public final class PuntMessage
{
    /** Record type of a packet waiting for its next hop's neighbour. */
    public static final int AWAIT = 10;

    public static final int PORT_OFFSET = 0;
    public static final int NEXT_HOP_OFFSET = 0;
    public static final int VIF_OFFSET = 4;
    public static final int PUNT_HEADER_LENGTH = 8;
    public static final int FAMILY_OFFSET = 8;
    public static final int HI_OFFSET = 16;
    public static final int LO_OFFSET = 24;
    public static final int AWAIT_HEADER_LENGTH = 32;

    private PuntMessage()
    {
    }
}
