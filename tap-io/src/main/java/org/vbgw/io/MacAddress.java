package org.vbgw.io;

/**
 * MAC addresses as a {@code long}: the 48 bits in the low bits, first octet most significant, so a
 * port's address can be written into a frame with one {@code putShort} and one {@code putInt} and
 * compared without allocation.
 */
public final class MacAddress
{
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private MacAddress()
    {
    }

    /** Parses {@code "02:00:00:00:00:01"} (colon- or dash-separated hex octets). */
    public static long parse(final String text)
    {
        final String[] parts = text.trim().split("[:-]");
        if (parts.length != 6)
        {
            throw new IllegalArgumentException("not a MAC address (six hex octets): " + text);
        }
        long mac = 0;
        for (final String part : parts)
        {
            final int octet = Integer.parseInt(part, 16);
            if (part.length() > 2 || octet < 0)
            {
                throw new IllegalArgumentException("not a MAC address (six hex octets): " + text);
            }
            mac = (mac << 8) | octet;
        }
        return mac;
    }

    /** Formats as lower-case colon-separated hex, e.g. {@code "02:00:00:00:00:01"}. */
    public static String toString(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Reads the six octets at {@code offset} of {@code bytes}. */
    public static long fromBytes(final byte[] bytes, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (bytes[offset + i] & 0xFF);
        }
        return mac;
    }
}
