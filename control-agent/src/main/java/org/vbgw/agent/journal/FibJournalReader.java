package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Tails the {@link FibJournal} and hands each entry to a {@link FibChangeHandler}, in order.
 * <p>
 * Single thread. A damaged entry (checksum mismatch, unknown type, short entry) stops the reader at that
 * entry: nothing after it is applied, {@link #corruption()} says where and why, and every later
 * {@link #poll} returns -1. Applying past a hole would leave the FIB in a state no agent ever asked for.
 */
public final class FibJournalReader implements AutoCloseable
{
    private final ExcerptTailer tailer;
    private final FibChangeDecoder decoder = new FibChangeDecoder();
    private String corruption;
    private long applied;

    FibJournalReader(final ExcerptTailer tailer)
    {
        this.tailer = tailer;
        // A reader is created and replayed on one thread and then tailed by the data plane's control thread
        // (thread start orders the two). Chronicle would take the hand-over for shared use and refuse it.
        tailer.singleThreadedCheckDisabled(true);
    }

    /**
     * Applies up to {@code limit} entries.
     *
     * @return how many were applied (0 when none is waiting), or -1 once the journal is found damaged.
     */
    public int poll(final FibChangeHandler handler, final int limit)
    {
        if (corruption != null)
        {
            return -1;
        }
        int n = 0;
        while (n < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                if (dc.isMetaData())
                {
                    continue;
                }
                final long index = dc.index();
                final Bytes<?> in = dc.wire().bytes();
                String why;
                try
                {
                    why = decoder.decode(index, in, handler);
                }
                catch (final RuntimeException ex)
                {
                    why = "undecodable entry: " + ex;
                }
                if (why != null)
                {
                    corruption = "journal entry " + Long.toHexString(index) + ": " + why;
                    // Leave the tailer on the bad entry: a reader reopened after repair starts there.
                    dc.rollbackOnClose();
                    return n == 0 ? -1 : n;
                }
                n++;
                applied++;
            }
            catch (final RuntimeException ex)
            {
                corruption = "journal unreadable after entry " + Long.toHexString(tailer.index()) + ": " + ex;
                return n == 0 ? -1 : n;
            }
        }
        return n;
    }

    /** Applies everything present now; returns the count, or throws when the journal is damaged. */
    public long drain(final FibChangeHandler handler)
    {
        long total = 0;
        int n;
        while ((n = poll(handler, 4096)) > 0)
        {
            total += n;
        }
        if (corruption != null)
        {
            throw new IllegalStateException(corruption);
        }
        return total;
    }

    /** Moves to the entry after {@code index} (as returned by an append or {@link #lastIndex()}). */
    public void moveAfter(final long index)
    {
        // moveToIndex can return false at a cycle boundary and still be positioned right (Chronicle
        // behaviour measured here), so it is not treated as an error; the read that follows tells.
        tailer.moveToIndex(index);
        try (DocumentContext dc = tailer.readingDocument())
        {
            // Consume the entry at index itself.
            dc.isPresent();
        }
    }

    /** The index of the last entry read, or -1 before any. */
    public long lastIndex()
    {
        final long i = tailer.lastReadIndex();
        return i <= 0 && applied == 0 ? -1 : i;
    }

    public long applied()
    {
        return applied;
    }

    /** Null while the journal reads clean; else where and why it is damaged. */
    public String corruption()
    {
        return corruption;
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
