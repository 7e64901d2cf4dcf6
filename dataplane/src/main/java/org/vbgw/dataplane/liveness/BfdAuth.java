package org.vbgw.dataplane.liveness;

import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.packet.BfdControlFlyweight;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Keyed MD5 and keyed SHA1 authentication of BFD control packets, plain and meticulous (RFC 5880 §6.7.3,
 * §6.7.4): the digest is taken over the whole packet with the key, zero-padded to the digest's length, in the
 * digest field, and then replaces it. Sequence numbers are the session's ({@link BfdSession}); this class only
 * signs and verifies. Reuses one digest and one work array: no allocation per packet. Control thread only.
 */
public final class BfdAuth
{
    private final int type;
    private final int keyId;
    private final byte[] paddedKey;
    private final MessageDigest digest;
    private final byte[] work = new byte[64];
    private final byte[] computed = new byte[20];

    /**
     * @param type  one of {@link BfdControlFlyweight#AUTH_KEYED_MD5}, {@code AUTH_METICULOUS_KEYED_MD5},
     *              {@code AUTH_KEYED_SHA1}, {@code AUTH_METICULOUS_KEYED_SHA1}.
     * @param keyId the key ID both ends configure (0..255).
     * @param key   1..16 bytes for MD5, 1..20 for SHA1.
     */
    public BfdAuth(final int type, final int keyId, final byte[] key)
    {
        final int digestLength = digestLength(type);
        if (digestLength == 0)
        {
            throw new IllegalArgumentException("BFD authentication type " + type + " is not supported: use keyed " +
                "MD5 (2), meticulous keyed MD5 (3), keyed SHA1 (4) or meticulous keyed SHA1 (5)");
        }
        if (keyId < 0 || keyId > 255)
        {
            throw new IllegalArgumentException("BFD key ID " + keyId + " out of range 0..255");
        }
        if (key == null || key.length == 0 || key.length > digestLength)
        {
            throw new IllegalArgumentException("a BFD " + (digestLength == 16 ? "MD5" : "SHA1") + " key needs 1.." +
                digestLength + " bytes, got " + (key == null ? 0 : key.length));
        }
        this.type = type;
        this.keyId = keyId;
        this.paddedKey = java.util.Arrays.copyOf(key, digestLength);
        try
        {
            this.digest = MessageDigest.getInstance(digestLength == 16 ? "MD5" : "SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no " + (digestLength == 16 ? "MD5" : "SHA-1"), ex);
        }
    }

    private static int digestLength(final int type)
    {
        return switch (type)
        {
            case BfdControlFlyweight.AUTH_KEYED_MD5, BfdControlFlyweight.AUTH_METICULOUS_KEYED_MD5 -> 16;
            case BfdControlFlyweight.AUTH_KEYED_SHA1, BfdControlFlyweight.AUTH_METICULOUS_KEYED_SHA1 -> 20;
            default -> 0;
        };
    }

    public int type()
    {
        return type;
    }

    public int keyId()
    {
        return keyId;
    }

    public boolean meticulous()
    {
        return BfdControlFlyweight.isMeticulous(type);
    }

    /** Fills in key ID, sequence and digest of a packet {@link BfdControlFlyweight#write} laid out for this type. */
    public void sign(final BfdControlFlyweight packet, final long sequence)
    {
        packet.authKeyId(keyId);
        packet.authSequence(sequence);
        final MutableDirectBuffer buffer = packet.buffer();
        final int offset = packet.offset();
        buffer.putBytes(offset + BfdControlFlyweight.AUTH_DIGEST_OFFSET, paddedKey);
        final int length = packet.length();
        compute(buffer, offset, length);
        buffer.putBytes(offset + BfdControlFlyweight.AUTH_DIGEST_OFFSET, computed, 0, paddedKey.length);
    }

    /**
     * Checks type, length, key ID and digest (not the sequence number: that is the session's). The packet is
     * left as it came.
     */
    public boolean verify(final BfdControlFlyweight packet)
    {
        if (!packet.authPresent() || packet.authType() != type ||
            packet.authLen() != BfdControlFlyweight.authLength(type) || packet.authKeyId() != keyId ||
            packet.length() != BfdControlFlyweight.MANDATORY_LENGTH + packet.authLen())
        {
            return false;
        }
        final MutableDirectBuffer buffer = packet.buffer();
        final int offset = packet.offset();
        final int length = packet.length();
        buffer.getBytes(offset, work, 0, length);
        System.arraycopy(paddedKey, 0, work, BfdControlFlyweight.AUTH_DIGEST_OFFSET, paddedKey.length);
        digest.update(work, 0, length);
        finish();
        // Constant time, as for any MAC comparison.
        int diff = 0;
        for (int i = 0; i < paddedKey.length; i++)
        {
            diff |= computed[i] ^ buffer.getByte(offset + BfdControlFlyweight.AUTH_DIGEST_OFFSET + i);
        }
        return diff == 0;
    }

    private void compute(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.getBytes(offset, work, 0, length);
        digest.update(work, 0, length);
        finish();
    }

    private void finish()
    {
        try
        {
            digest.digest(computed, 0, paddedKey.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
