package org.vbgw.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Next hops by id: a flat array so that a reader finds a next hop's VIF and neighbour with one load.
 * <p>
 * One writer thread calls {@link #put} and {@link #remove}; any thread calls {@link #get}, which never
 * blocks and never allocates.
 */
final class NextHopTable
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(NextHop[].class);

    /**
     * Elements written by the writer with setRelease, read with getAcquire (NextHop's fields are final
     * anyway; the acquire also orders the volatile liveness bit). The array reference is volatile and only
     * replaced by the writer when it grows; a reader holding the old array sees a state that was valid.
     */
    private volatile NextHop[] byId = new NextHop[64];

    /** Writer only. */
    private int count;

    /** The next hop with this id, or null. Any thread. */
    NextHop get(final int id)
    {
        final NextHop[] slots = byId;
        return id < 0 || id >= slots.length ? null : (NextHop)SLOT.getAcquire(slots, id);
    }

    void put(final NextHop nextHop)
    {
        final int id = nextHop.id();
        if (id >= byId.length)
        {
            byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        SLOT.setRelease(byId, id, nextHop);
        count++;
    }

    void remove(final int id)
    {
        SLOT.setRelease(byId, id, (NextHop)null);
        count--;
    }

    int count()
    {
        return count;
    }

    long memoryBytes()
    {
        return 4L * byId.length + 40L * count;
    }
}
