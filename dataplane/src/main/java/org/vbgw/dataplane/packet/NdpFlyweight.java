package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv6 Neighbor Solicitation (type 135) or Neighbor Advertisement (type 136),
 * RFC 4861 §4.3 and §4.4, which share one layout.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|S|O|                     Reserved (NS: all 32 bits)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Target Address (128 bits, 8..23)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Options: Type | Length (8-octet units) | Value ...           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-
 * </pre>
 * R = router, S = solicited, O = override (NA only). Link-layer address options (RFC 4861 §4.6.1)
 * are type 1 (source) and type 2 (target), length 1 (8 bytes) for Ethernet: type, length, 6-byte MAC.
 * Not thread-safe.
 */
public final class NdpFlyweight
{
    public static final int FLAGS_OFFSET = 4;
    public static final int TARGET_ADDRESS_OFFSET = 8;
    public static final int OPTIONS_OFFSET = 24;
    /** Length of an NS/NA without options. */
    public static final int MIN_LENGTH = 24;

    public static final int FLAG_ROUTER = 0x8000_0000;
    public static final int FLAG_SOLICITED = 0x4000_0000;
    public static final int FLAG_OVERRIDE = 0x2000_0000;

    public static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    /** Length of an Ethernet link-layer address option. */
    public static final int LINK_LAYER_OPTION_LENGTH = 8;
    /** Hop limit every ND message carries; anything else came from off-link (RFC 4861 §7.1.1). */
    public static final int HOP_LIMIT = 255;

    /** Returned by {@link #linkLayerAddressOption(int, int)} when the option is absent. */
    public static final long NO_MAC = -1L;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an NS or NA starting (at its ICMPv6 type) at {@code offset}. */
    public NdpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The validity checks of RFC 4861 §7.1.1 / §7.1.2 that do not need the checksum (checked by
     * {@link Icmpv6Flyweight#validate}) or the addresses of the IPv6 header.
     *
     * @param length   bytes of the ICMPv6 message.
     * @param hopLimit hop limit of the carrying IPv6 header.
     * @return {@link PacketError#OK} or an {@code NDP_*} code.
     */
    public int validate(final int length, final int hopLimit)
    {
        if (hopLimit != HOP_LIMIT)
        {
            return PacketError.NDP_BAD_HOP_LIMIT;
        }
        if (length < MIN_LENGTH || (buffer.getByte(offset + Icmpv6Flyweight.CODE_OFFSET) & 0xFF) != 0)
        {
            return PacketError.NDP_MALFORMED;
        }
        if (Ipv6Flyweight.isMulticast(targetHi()))
        {
            return PacketError.NDP_TARGET_MULTICAST;
        }
        int index = OPTIONS_OFFSET;
        while (index < length)
        {
            if (length - index < 2)
            {
                return PacketError.NDP_BAD_OPTION;
            }
            final int optionLength = (buffer.getByte(offset + index + 1) & 0xFF) << 3;
            if (optionLength == 0 || optionLength > length - index)
            {
                return PacketError.NDP_BAD_OPTION;
            }
            index += optionLength;
        }
        return PacketError.OK;
    }

    /** The flags word (R, S, O in the top bits). */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public NdpFlyweight flags(final int flags)
    {
        buffer.putInt(offset + FLAGS_OFFSET, flags, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public boolean isRouter()
    {
        return (flags() & FLAG_ROUTER) != 0;
    }

    public boolean isSolicited()
    {
        return (flags() & FLAG_SOLICITED) != 0;
    }

    public boolean isOverride()
    {
        return (flags() & FLAG_OVERRIDE) != 0;
    }

    public long targetHi()
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long targetLo()
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public NdpFlyweight targetAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * The MAC in the first link-layer address option of {@code optionType} (source 1, target 2)
     * with length 1, or {@link #NO_MAC}. Walks options of a message validated by {@link #validate}.
     *
     * @param length bytes of the ICMPv6 message.
     */
    public long linkLayerAddressOption(final int optionType, final int length)
    {
        int index = OPTIONS_OFFSET;
        while (length - index >= 2)
        {
            final int type = buffer.getByte(offset + index) & 0xFF;
            final int optionLength = (buffer.getByte(offset + index + 1) & 0xFF) << 3;
            if (optionLength == 0 || optionLength > length - index)
            {
                return NO_MAC;
            }
            if (type == optionType && optionLength == LINK_LAYER_OPTION_LENGTH)
            {
                return EthernetFlyweight.readMac(buffer, offset + index + 2);
            }
            index += optionLength;
        }
        return NO_MAC;
    }

    /** Writes an Ethernet link-layer address option at {@code optionOffset} from the message start. */
    public NdpFlyweight putLinkLayerAddressOption(final int optionOffset, final int optionType, final long mac)
    {
        buffer.putByte(offset + optionOffset, (byte)optionType);
        buffer.putByte(offset + optionOffset + 1, (byte)1);
        EthernetFlyweight.writeMac(buffer, offset + optionOffset + 2, mac);
        return this;
    }
}
