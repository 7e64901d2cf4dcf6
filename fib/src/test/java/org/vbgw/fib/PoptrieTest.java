package org.vbgw.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The small arithmetic the lookup loops rely on. */
class PoptrieTest
{
    @Test
    void inheritSelectsTheDefaultOnlyForInherit()
    {
        for (final int leaf : new int[] {-1, 0, 1, 2, 65_535, Integer.MAX_VALUE - 1, Integer.MAX_VALUE})
        {
            assertEquals(leaf, Poptrie.inherit(leaf, 7), "leaf " + leaf);
            assertEquals(leaf, Poptrie.inherit(leaf, -1), "leaf " + leaf);
        }
        assertEquals(7, Poptrie.inherit(Poptrie.INHERIT, 7));
        assertEquals(-1, Poptrie.inherit(Poptrie.INHERIT, -1));
        assertEquals(Integer.MAX_VALUE, Poptrie.inherit(Poptrie.INHERIT, Integer.MAX_VALUE));
    }

    @Test
    void packedLeavesReadBackInOrder()
    {
        final long[] words = {Words.pack(-2, Integer.MAX_VALUE), Words.pack(5, -1)};
        assertEquals(-2, Words.leaf(words, 0));
        assertEquals(Integer.MAX_VALUE, Words.leaf(words, 1));
        assertEquals(5, Words.leaf(words, 2));
        assertEquals(-1, Words.leaf(words, 3));
        assertEquals(words[1], Words.get(words, 1));
        assertEquals(3, Words.dirEntry(new int[] {1, 3}, 1));
    }
}
