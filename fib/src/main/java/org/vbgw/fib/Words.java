package org.vbgw.fib;

import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * Unchecked reads of a {@link Poptrie} words array for the lookup loops, and the packing of leaves
 * into longs (two 32-bit or four 16-bit, in memory order) that {@link #leaf} and {@link #leaf16}
 * read back.
 * <p>
 * The lookup is a chain of dependent loads; on an Internet-size table each is likely a cache miss,
 * and how many lookups the CPU keeps in flight decides the throughput. Dropping the array bounds
 * checks (a compare and branch per load) shortens each lookup enough to matter. It is safe because
 * every position a reader follows comes from the published, immutable structure the writer built and
 * checked (see {@link Poptrie}): the writer never publishes a position outside the array it belongs to.
 * Uses {@code sun.misc.Unsafe} from the jdk.unsupported module, which needs no JVM flags.
 */
final class Words
{
    private static final sun.misc.Unsafe UNSAFE = (sun.misc.Unsafe)unsafe();
    private static final long LONG_BASE = UNSAFE.arrayBaseOffset(long[].class);
    private static final long INT_BASE = UNSAFE.arrayBaseOffset(int[].class);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Words()
    {
    }

    /**
     * {@code dir[slot]} as a volatile load (at least acquire: the writer's release store of the entry,
     * and everything written before it, are visible), without a bounds check: the slot is the top bits
     * of the address, always inside the array.
     */
    static int dirEntry(final int[] dir, final int slot)
    {
        return UNSAFE.getIntVolatile(dir, INT_BASE + 4L * slot);
    }

    /** {@code words[index]} without a bounds check. */
    static long get(final long[] words, final int index)
    {
        return UNSAFE.getLong(words, LONG_BASE + 8L * index);
    }

    /** Leaf number {@code leafIndex} (an unsigned int index into the words viewed as ints). */
    static int leaf(final long[] words, final int leafIndex)
    {
        return UNSAFE.getInt(words, LONG_BASE + 4L * (leafIndex & 0xFFFF_FFFFL));
    }

    /** 16-bit leaf number {@code leafIndex} (stored as value + 2, so -2 and -1 fit). */
    static int leaf16(final long[] words, final int leafIndex)
    {
        return UNSAFE.getChar(words, LONG_BASE + 2L * (leafIndex & 0xFFFF_FFFFL)) - 2;
    }

    /** One long holding 16-bit leaves {@code 4k} to {@code 4k + 3}, in memory order. */
    static long pack4(final int l0, final int l1, final int l2, final int l3)
    {
        final long a = (l0 + 2) & 0xFFFF;
        final long b = (l1 + 2) & 0xFFFF;
        final long c = (l2 + 2) & 0xFFFF;
        final long d = (l3 + 2) & 0xFFFF;
        return LITTLE_ENDIAN ? d << 48 | c << 32 | b << 16 | a : a << 48 | b << 32 | c << 16 | d;
    }

    /** One long holding leaf {@code 2k} ({@code first}) and leaf {@code 2k + 1} ({@code second}). */
    static long pack(final int first, final int second)
    {
        return LITTLE_ENDIAN
            ? (long)second << 32 | (first & 0xFFFF_FFFFL)
            : (long)first << 32 | (second & 0xFFFF_FFFFL);
    }

    private static Object unsafe()
    {
        try
        {
            final Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return f.get(null);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }
}
