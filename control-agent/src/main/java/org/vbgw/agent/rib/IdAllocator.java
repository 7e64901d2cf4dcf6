package org.vbgw.agent.rib;

import java.util.BitSet;

/**
 * Hands out the smallest free id, so next-hop and group ids stay dense and the data plane's arrays
 * indexed by them stay small.
 */
final class IdAllocator
{
    private final BitSet used = new BitSet();

    int allocate()
    {
        final int id = used.nextClearBit(0);
        used.set(id);
        return id;
    }

    /** Marks an id as used that was handed out before (by a RIB before a restart). */
    void take(final int id)
    {
        used.set(id);
    }

    void free(final int id)
    {
        used.clear(id);
    }
}
