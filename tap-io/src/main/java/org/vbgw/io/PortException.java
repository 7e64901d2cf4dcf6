package org.vbgw.io;

/**
 * A port could not be opened or configured: names the interface (or file), the operation and, for a
 * failed system call, the errno with its text, e.g.
 * {@code "veth0: setsockopt(PACKET_RX_RING) failed: Invalid argument (errno 22)"}.
 * <p>
 * Thrown only at the edges (open, configure, close); the per-frame paths report drops as counters.
 */
public final class PortException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String interfaceName;
    private final int errno;

    /**
     * @param interfaceName the interface or file the failure concerns.
     * @param message what failed and, if it helps, what to do about it.
     * @param errno the errno of the failed system call, or 0 when there was none.
     */
    public PortException(final String interfaceName, final String message, final int errno)
    {
        super(interfaceName + ": " + message);
        this.interfaceName = interfaceName;
        this.errno = errno;
    }

    /** As {@link #PortException(String, String, int)}, with the underlying cause. */
    public PortException(final String interfaceName, final String message, final Throwable cause)
    {
        super(interfaceName + ": " + message, cause);
        this.interfaceName = interfaceName;
        this.errno = 0;
    }

    /** The interface or file this failure concerns. */
    public String interfaceName()
    {
        return interfaceName;
    }

    /** The errno of the failed system call, 0 when the failure was not a system call. */
    public int errno()
    {
        return errno;
    }
}
