package org.vbgw.agent.fpm;

/**
 * An FPM frame that cannot be decoded: the session that sent it is reset (zebra reconnects and replays),
 * and nothing of the frame is applied.
 */
public final class MalformedFrameException extends Exception
{
    private final String reason;

    /**
     * @param reason a short counter name ({@code bad_length}, {@code truncated_attribute}, ...).
     * @param detail what exactly was wrong, for the log.
     */
    public MalformedFrameException(final String reason, final String detail)
    {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public String reason()
    {
        return reason;
    }
}
