package org.vbgw.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Frame and byte counts of one port since it was opened.
 * <p>
 * Single writer: the thread that calls {@link Port#receive} updates the receive counts, the thread that
 * calls {@link Port#send} the transmit counts (usually the same thread). Writes are opaque stores of a
 * value the writer alone increments, so they cost a plain store on x86 and any thread may read them
 * (with {@link #rxFrames()} etc.) without tearing; a reader sees each counter monotonically, but not
 * necessarily all counters of one instant. Ports add once per batch, not once per frame.
 */
public final class PortStatistics
{
    private static final VarHandle RX_FRAMES;
    private static final VarHandle RX_BYTES;
    private static final VarHandle RX_DROPS;
    private static final VarHandle RX_KERNEL_DROPS;
    private static final VarHandle TX_FRAMES;
    private static final VarHandle TX_BYTES;
    private static final VarHandle TX_DROPS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RX_FRAMES = lookup.findVarHandle(PortStatistics.class, "rxFrames", long.class);
            RX_BYTES = lookup.findVarHandle(PortStatistics.class, "rxBytes", long.class);
            RX_DROPS = lookup.findVarHandle(PortStatistics.class, "rxDrops", long.class);
            RX_KERNEL_DROPS = lookup.findVarHandle(PortStatistics.class, "rxKernelDrops", long.class);
            TX_FRAMES = lookup.findVarHandle(PortStatistics.class, "txFrames", long.class);
            TX_BYTES = lookup.findVarHandle(PortStatistics.class, "txBytes", long.class);
            TX_DROPS = lookup.findVarHandle(PortStatistics.class, "txDrops", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private long rxFrames;
    private long rxBytes;
    private long rxDrops;
    private long rxKernelDrops;
    private long txFrames;
    private long txBytes;
    private long txDrops;

    /** Receive thread only: {@code frames} frames of {@code bytes} bytes in total were delivered. */
    public void addRx(final long frames, final long bytes)
    {
        RX_FRAMES.setOpaque(this, rxFrames + frames);
        RX_BYTES.setOpaque(this, rxBytes + bytes);
    }

    /** Receive thread only: frames the port received but did not deliver (bad, truncated, oversize). */
    public void addRxDrops(final long frames)
    {
        RX_DROPS.setOpaque(this, rxDrops + frames);
    }

    /** One thread at a time: frames the kernel dropped before the port saw them (its ring was full). */
    public void addRxKernelDrops(final long frames)
    {
        RX_KERNEL_DROPS.setOpaque(this, rxKernelDrops + frames);
    }

    /** Transmit thread only: {@code frames} frames of {@code bytes} bytes were accepted for sending. */
    public void addTx(final long frames, final long bytes)
    {
        TX_FRAMES.setOpaque(this, txFrames + frames);
        TX_BYTES.setOpaque(this, txBytes + bytes);
    }

    /** Transmit thread only: frames that could not be sent (queue or ring full, link down, error). */
    public void addTxDrops(final long frames)
    {
        TX_DROPS.setOpaque(this, txDrops + frames);
    }

    /** Frames delivered to a {@link FrameHandler}. */
    public long rxFrames()
    {
        return (long)RX_FRAMES.getOpaque(this);
    }

    /** Bytes of the frames delivered, VLAN tags included, FCS excluded. */
    public long rxBytes()
    {
        return (long)RX_BYTES.getOpaque(this);
    }

    /** Frames the port itself dropped on receive (never delivered half-checked). */
    public long rxDrops()
    {
        return (long)RX_DROPS.getOpaque(this);
    }

    /** Frames the kernel dropped because the receive ring was full (PACKET_STATISTICS tp_drops). */
    public long rxKernelDrops()
    {
        return (long)RX_KERNEL_DROPS.getOpaque(this);
    }

    /** All receive drops: {@link #rxDrops()} + {@link #rxKernelDrops()}. */
    public long rxDropsTotal()
    {
        return rxDrops() + rxKernelDrops();
    }

    /** Frames accepted by {@link Port#send}. */
    public long txFrames()
    {
        return (long)TX_FRAMES.getOpaque(this);
    }

    /** Bytes of the frames accepted by {@link Port#send}. */
    public long txBytes()
    {
        return (long)TX_BYTES.getOpaque(this);
    }

    /** Frames {@link Port#send} refused. */
    public long txDrops()
    {
        return (long)TX_DROPS.getOpaque(this);
    }

    @Override
    public String toString()
    {
        return "rx=" + rxFrames() + " rxBytes=" + rxBytes() + " rxDrops=" + rxDrops() +
            " rxKernelDrops=" + rxKernelDrops() + " tx=" + txFrames() + " txBytes=" + txBytes() +
            " txDrops=" + txDrops();
    }
}
