package org.vbgw.dataplane.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over a BFD control packet (RFC 5880 §4.1) and its optional authentication section (§4.2-4.4).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       My Discriminator                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Your Discriminator                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Desired Min TX Interval                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Required Min RX Interval                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Required Min Echo RX Interval                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Auth Len    |  Auth Key ID  |   Reserved    |   (keyed MD5 / SHA1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Auth Key/Digest (16 bytes MD5, 20 SHA1) ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Intervals are in microseconds, network byte order. Not thread-safe.
 */
public final class BfdControlFlyweight
{
    public static final int VERSION = 1;
    public static final int VERS_DIAG_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int DETECT_MULT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 3;
    public static final int MY_DISCRIMINATOR_OFFSET = 4;
    public static final int YOUR_DISCRIMINATOR_OFFSET = 8;
    public static final int DESIRED_MIN_TX_OFFSET = 12;
    public static final int REQUIRED_MIN_RX_OFFSET = 16;
    public static final int REQUIRED_MIN_ECHO_RX_OFFSET = 20;
    public static final int MANDATORY_LENGTH = 24;
    public static final int AUTH_TYPE_OFFSET = 24;
    public static final int AUTH_LEN_OFFSET = 25;
    public static final int AUTH_KEY_ID_OFFSET = 26;
    public static final int AUTH_SEQUENCE_OFFSET = 28;
    public static final int AUTH_DIGEST_OFFSET = 32;

    public static final int FLAG_POLL = 0x20;
    public static final int FLAG_FINAL = 0x10;
    public static final int FLAG_CONTROL_PLANE_INDEPENDENT = 0x08;
    public static final int FLAG_AUTH = 0x04;
    public static final int FLAG_DEMAND = 0x02;
    public static final int FLAG_MULTIPOINT = 0x01;

    /** RFC 5880 §4.1 states. */
    public static final int STATE_ADMIN_DOWN = 0;
    public static final int STATE_DOWN = 1;
    public static final int STATE_INIT = 2;
    public static final int STATE_UP = 3;

    /** RFC 5880 §4.1 diagnostics (the ones this implementation sends). */
    public static final int DIAG_NONE = 0;
    public static final int DIAG_DETECTION_TIME_EXPIRED = 1;
    public static final int DIAG_NEIGHBOR_SIGNALED_DOWN = 3;
    public static final int DIAG_ADMIN_DOWN = 7;

    /** RFC 5880 §4.1 authentication types. */
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SIMPLE_PASSWORD = 1;
    public static final int AUTH_KEYED_MD5 = 2;
    public static final int AUTH_METICULOUS_KEYED_MD5 = 3;
    public static final int AUTH_KEYED_SHA1 = 4;
    public static final int AUTH_METICULOUS_KEYED_SHA1 = 5;

    private MutableDirectBuffer buffer;
    private int offset;

    public BfdControlFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** The section length an authentication type needs: 24 + 4 + digest; 0 for none or unknown. */
    public static int authLength(final int authType)
    {
        return switch (authType)
        {
            case AUTH_KEYED_MD5, AUTH_METICULOUS_KEYED_MD5 -> 24;
            case AUTH_KEYED_SHA1, AUTH_METICULOUS_KEYED_SHA1 -> 28;
            default -> 0;
        };
    }

    public static boolean isMeticulous(final int authType)
    {
        return authType == AUTH_METICULOUS_KEYED_MD5 || authType == AUTH_METICULOUS_KEYED_SHA1;
    }

    /**
     * The RFC 5880 §6.8.6 checks that need no session: version, lengths, detect multiplier, multipoint, my
     * discriminator, and the authentication section's own length.
     *
     * @param available bytes of UDP payload.
     * @return false when the packet must be discarded.
     */
    public boolean isValid(final int available)
    {
        if (available < MANDATORY_LENGTH)
        {
            return false;
        }
        final int length = length();
        if (version() != VERSION || length < MANDATORY_LENGTH || length > available || detectMult() == 0 ||
            (flags() & FLAG_MULTIPOINT) != 0 || myDiscriminator() == 0)
        {
            return false;
        }
        if (authPresent())
        {
            // A section must at least hold its type and length, and lie inside the packet.
            if (length < MANDATORY_LENGTH + 2 || authLen() < 2 || MANDATORY_LENGTH + authLen() > length)
            {
                return false;
            }
        }
        return true;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERS_DIAG_OFFSET) & 0xFF) >>> 5;
    }

    public int diag()
    {
        return buffer.getByte(offset + VERS_DIAG_OFFSET) & 0x1F;
    }

    public int state()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & 0xFF) >>> 6;
    }

    /** The six flag bits P F C A D M, as the {@code FLAG_*} constants. */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0x3F;
    }

    public boolean poll()
    {
        return (flags() & FLAG_POLL) != 0;
    }

    public boolean fin()
    {
        return (flags() & FLAG_FINAL) != 0;
    }

    public boolean authPresent()
    {
        return (flags() & FLAG_AUTH) != 0;
    }

    public boolean demand()
    {
        return (flags() & FLAG_DEMAND) != 0;
    }

    public int detectMult()
    {
        return buffer.getByte(offset + DETECT_MULT_OFFSET) & 0xFF;
    }

    public int length()
    {
        return buffer.getByte(offset + LENGTH_OFFSET) & 0xFF;
    }

    public int myDiscriminator()
    {
        return buffer.getInt(offset + MY_DISCRIMINATOR_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public int yourDiscriminator()
    {
        return buffer.getInt(offset + YOUR_DISCRIMINATOR_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** Microseconds, unsigned. */
    public long desiredMinTxUs()
    {
        return buffer.getInt(offset + DESIRED_MIN_TX_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long requiredMinRxUs()
    {
        return buffer.getInt(offset + REQUIRED_MIN_RX_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long requiredMinEchoRxUs()
    {
        return buffer.getInt(offset + REQUIRED_MIN_ECHO_RX_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public int authType()
    {
        return buffer.getByte(offset + AUTH_TYPE_OFFSET) & 0xFF;
    }

    public int authLen()
    {
        return buffer.getByte(offset + AUTH_LEN_OFFSET) & 0xFF;
    }

    public int authKeyId()
    {
        return buffer.getByte(offset + AUTH_KEY_ID_OFFSET) & 0xFF;
    }

    /** Unsigned 32-bit sequence number of a keyed MD5 / SHA1 section. */
    public long authSequence()
    {
        return buffer.getInt(offset + AUTH_SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * Writes the mandatory section; the length covers the authentication section {@code authType} needs.
     *
     * @return the packet's length.
     */
    public int write(final int diag, final int state, final int flags, final int detectMult, final int myDiscriminator,
        final int yourDiscriminator, final long desiredMinTxUs, final long requiredMinRxUs, final int authType)
    {
        final int authLength = authLength(authType);
        final int length = MANDATORY_LENGTH + authLength;
        buffer.putByte(offset + VERS_DIAG_OFFSET, (byte)((VERSION << 5) | (diag & 0x1F)));
        buffer.putByte(offset + FLAGS_OFFSET,
            (byte)((state << 6) | (flags & 0x3F) | (authLength > 0 ? FLAG_AUTH : 0)));
        buffer.putByte(offset + DETECT_MULT_OFFSET, (byte)detectMult);
        buffer.putByte(offset + LENGTH_OFFSET, (byte)length);
        buffer.putInt(offset + MY_DISCRIMINATOR_OFFSET, myDiscriminator, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + YOUR_DISCRIMINATOR_OFFSET, yourDiscriminator, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + DESIRED_MIN_TX_OFFSET, (int)desiredMinTxUs, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + REQUIRED_MIN_RX_OFFSET, (int)requiredMinRxUs, ByteOrder.BIG_ENDIAN);
        // No echo function: RFC 5880 §6.8.9, zero says "do not send me echo packets".
        buffer.putInt(offset + REQUIRED_MIN_ECHO_RX_OFFSET, 0, ByteOrder.BIG_ENDIAN);
        if (authLength > 0)
        {
            buffer.putByte(offset + AUTH_TYPE_OFFSET, (byte)authType);
            buffer.putByte(offset + AUTH_LEN_OFFSET, (byte)authLength);
            buffer.putByte(offset + AUTH_KEY_ID_OFFSET + 1, (byte)0);
        }
        return length;
    }

    public void authKeyId(final int keyId)
    {
        buffer.putByte(offset + AUTH_KEY_ID_OFFSET, (byte)keyId);
    }

    public void authSequence(final long sequence)
    {
        buffer.putInt(offset + AUTH_SEQUENCE_OFFSET, (int)sequence, ByteOrder.BIG_ENDIAN);
    }
}
