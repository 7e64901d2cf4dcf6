package org.vbgw.dataplane.vif;

import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;

import java.util.List;

/**
 * A virtual interface: one (port, outer VLAN, inner VLAN) on which the gateway has addresses, a MAC and
 * neighbours, as the seeds' "private virtual interface" / VBR interface.
 * <p>
 * Immutable once built: a change (address, MTU, admin state) is a new {@code Vif} published through the
 * {@link VifTable}, so a worker holding one never sees it half-changed. Built on the control thread; read
 * by any worker.
 */
public final class Vif
{
    /** Outer VLAN 0: the VIF is untagged on its port. */
    public static final int UNTAGGED = 0;
    /** Inner VLAN 0: no QinQ inner tag. */
    public static final int NO_INNER = 0;
    /** Most allowed prefixes per family that the source check scans instead of walking a trie. */
    static final int SCAN_LIMIT = 8;

    private final int id;
    private final String name;
    private final int portIndex;
    private final int outerVlan;
    private final int innerVlan;
    private final int outerTpid;
    private final long mac;
    private final int mtuBytes;
    private final List<IpPrefix> addresses;
    private final SourceCheck sourceCheck;
    private final Ipv4Table allowedIpv4 = new Ipv4Table();
    private final Ipv6Table allowedIpv6 = new Ipv6Table();
    // Up to SCAN_LIMIT allowed prefixes per family (the usual VIF has one or two remote subnets) are also
    // kept as (network, mask) arrays: a scan of a few in-cache words costs less per packet than a trie walk
    // with its acquire loads. Null when there are more; then the trie answers.
    private final int[] scanIpv4Networks;
    private final int[] scanIpv4Masks;
    private final long[] scanIpv6Words;
    private final List<IpPrefix> allowedSources;
    private final boolean adminUp;
    private final boolean hasIpv4;
    private final int primaryIpv4;
    private final boolean hasIpv6;
    private final long primaryIpv6Hi;
    private final long primaryIpv6Lo;

    /**
     * @param outerTpid 0x8100 for 802.1Q, 0x88a8 for an 802.1ad outer tag (QinQ); ignored when untagged.
     * @param addresses the gateway's own addresses on this VIF as host prefixes (/32, /128); their subnets are
     *                  connected routes in the FIB, put there by the agent.
     */
    public Vif(final int id, final String name, final int portIndex, final int outerVlan, final int innerVlan,
        final int outerTpid, final long mac, final int mtuBytes, final List<IpPrefix> addresses,
        final List<IpPrefix> allowedSources, final SourceCheck sourceCheck, final boolean adminUp)
    {
        if (outerVlan < 0 || outerVlan > 4094 || innerVlan < 0 || innerVlan > 4094)
        {
            throw new IllegalArgumentException("VIF " + name + ": VLAN " + outerVlan + "/" + innerVlan + " out of range 0..4094");
        }
        if (innerVlan != NO_INNER && outerVlan == UNTAGGED)
        {
            throw new IllegalArgumentException("VIF " + name + ": inner VLAN " + innerVlan + " without an outer VLAN");
        }
        if (mtuBytes < 68 || mtuBytes > 65535)
        {
            throw new IllegalArgumentException("VIF " + name + ": MTU " + mtuBytes + " out of range 68..65535");
        }
        for (final IpPrefix a : addresses)
        {
            if (a.length() != (a.ipv6() ? 128 : 32))
            {
                throw new IllegalArgumentException("VIF " + name + ": address " + a + " must be a host address (/32 or /128)");
            }
        }
        this.id = id;
        this.name = name;
        this.portIndex = portIndex;
        this.outerVlan = outerVlan;
        this.innerVlan = innerVlan;
        this.outerTpid = outerVlan == UNTAGGED ? 0 : (outerTpid == 0 ? 0x8100 : outerTpid);
        this.mac = mac;
        this.mtuBytes = mtuBytes;
        this.addresses = List.copyOf(addresses);
        this.allowedSources = List.copyOf(allowedSources);
        this.sourceCheck = sourceCheck;
        this.adminUp = adminUp;
        final IpPrefix v4 = addresses.stream().filter(a -> !a.ipv6()).findFirst().orElse(null);
        final IpPrefix v6 = addresses.stream().filter(IpPrefix::ipv6).findFirst().orElse(null);
        this.hasIpv4 = v4 != null;
        this.primaryIpv4 = v4 == null ? 0 : v4.ipv4Address();
        this.hasIpv6 = v6 != null;
        this.primaryIpv6Hi = v6 == null ? 0 : v6.hi();
        this.primaryIpv6Lo = v6 == null ? 0 : v6.lo();
        for (final IpPrefix p : allowedSources)
        {
            if (p.ipv6())
            {
                allowedIpv6.put(p.hi(), p.lo(), p.length(), 0);
            }
            else
            {
                allowedIpv4.put(p.ipv4Address(), p.length(), 0);
            }
        }
        final long ipv4Count = allowedSources.stream().filter(p -> !p.ipv6()).count();
        final long ipv6Count = allowedSources.size() - ipv4Count;
        this.scanIpv4Networks = ipv4Count <= SCAN_LIMIT ? new int[(int)ipv4Count] : null;
        this.scanIpv4Masks = ipv4Count <= SCAN_LIMIT ? new int[(int)ipv4Count] : null;
        this.scanIpv6Words = ipv6Count <= SCAN_LIMIT ? new long[4 * (int)ipv6Count] : null;
        int i4 = 0;
        int i6 = 0;
        for (final IpPrefix p : allowedSources)
        {
            if (p.ipv6() && scanIpv6Words != null)
            {
                final long maskHi = IpPrefix.mask128Hi(p.length());
                final long maskLo = IpPrefix.mask128Lo(p.length());
                scanIpv6Words[i6++] = p.hi() & maskHi;
                scanIpv6Words[i6++] = p.lo() & maskLo;
                scanIpv6Words[i6++] = maskHi;
                scanIpv6Words[i6++] = maskLo;
            }
            else if (!p.ipv6() && scanIpv4Networks != null)
            {
                final int mask = IpPrefix.mask32(p.length());
                scanIpv4Networks[i4] = p.ipv4Address() & mask;
                scanIpv4Masks[i4++] = mask;
            }
        }
    }

    public int id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    public int portIndex()
    {
        return portIndex;
    }

    public int outerVlan()
    {
        return outerVlan;
    }

    public int innerVlan()
    {
        return innerVlan;
    }

    public int outerTpid()
    {
        return outerTpid;
    }

    /** Number of VLAN tags frames carry on this VIF: 0, 1 or 2. */
    public int tagCount()
    {
        return outerVlan == UNTAGGED ? 0 : innerVlan == NO_INNER ? 1 : 2;
    }

    public long mac()
    {
        return mac;
    }

    public int mtuBytes()
    {
        return mtuBytes;
    }

    public List<IpPrefix> addresses()
    {
        return addresses;
    }

    /** True when the VIF has an IPv4 address: ICMP errors need one as their source. */
    public boolean hasIpv4()
    {
        return hasIpv4;
    }

    /** The VIF's first IPv4 address, the source of ICMP errors it sends. */
    public int primaryIpv4()
    {
        return primaryIpv4;
    }

    public boolean hasIpv6()
    {
        return hasIpv6;
    }

    public long primaryIpv6Hi()
    {
        return primaryIpv6Hi;
    }

    public long primaryIpv6Lo()
    {
        return primaryIpv6Lo;
    }

    public List<IpPrefix> allowedSources()
    {
        return allowedSources;
    }

    public SourceCheck sourceCheck()
    {
        return sourceCheck;
    }

    public boolean adminUp()
    {
        return adminUp;
    }

    /** This VIF with another administrative state. */
    public Vif withAdminUp(final boolean up)
    {
        return up == adminUp ? this : new Vif(id, name, portIndex, outerVlan, innerVlan, outerTpid, mac, mtuBytes,
            addresses, allowedSources, sourceCheck, up);
    }

    /** True when an IPv4 source passes the STRICT check: it lies in an allowed prefix. Any thread. */
    public boolean allowsIpv4Source(final int source)
    {
        final int[] networks = scanIpv4Networks;
        if (networks != null)
        {
            final int[] masks = scanIpv4Masks;
            for (int i = 0; i < networks.length; i++)
            {
                if ((source & masks[i]) == networks[i])
                {
                    return true;
                }
            }
            return false;
        }
        return allowedIpv4.lookup(source) != Ipv4Table.NO_ROUTE;
    }

    /** True when an IPv6 source passes the STRICT check. Any thread. */
    public boolean allowsIpv6Source(final long hi, final long lo)
    {
        final long[] words = scanIpv6Words;
        if (words != null)
        {
            for (int i = 0; i < words.length; i += 4)
            {
                if ((hi & words[i + 2]) == words[i] && (lo & words[i + 3]) == words[i + 1])
                {
                    return true;
                }
            }
            return false;
        }
        return allowedIpv6.lookup(hi, lo) != Ipv6Table.NO_ROUTE;
    }

    /** The trie's answer alone, whatever the number of prefixes: for tests that compare it with the scan. */
    boolean trieAllowsIpv4Source(final int source)
    {
        return allowedIpv4.lookup(source) != Ipv4Table.NO_ROUTE;
    }

    /** The trie's answer alone, whatever the number of prefixes: for tests that compare it with the scan. */
    boolean trieAllowsIpv6Source(final long hi, final long lo)
    {
        return allowedIpv6.lookup(hi, lo) != Ipv6Table.NO_ROUTE;
    }


    @Override
    public String toString()
    {
        return "Vif[" + id + " " + name + " port " + portIndex + " vlan " + outerVlan +
            (innerVlan != NO_INNER ? "." + innerVlan : "") + "]";
    }
}
