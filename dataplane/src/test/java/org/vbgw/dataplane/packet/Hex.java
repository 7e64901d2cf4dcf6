package org.vbgw.dataplane.packet;

import org.agrona.DirectBuffer;

/** Hex strings for expected frames in tests: whitespace and '|' separators are ignored. */
final class Hex
{
    private Hex()
    {
    }

    static byte[] bytes(final String hex)
    {
        final String clean = hex.replaceAll("[\\s|]", "");
        if ((clean.length() & 1) != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits: " + clean.length());
        }
        final byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String of(final byte[] data, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            sb.append(String.format("%02x", data[offset + i] & 0xFF));
        }
        return sb.toString();
    }

    static String of(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return of(copy, 0, length);
    }

    /** Normalised form of an expected hex string, for assertEquals against {@link #of}. */
    static String norm(final String hex)
    {
        return hex.replaceAll("[\\s|]", "").toLowerCase();
    }
}
