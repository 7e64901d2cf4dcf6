package org.vbgw.dataplane.vif;

import org.agrona.collections.Int2IntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the VIF of a received frame from its port and VLAN tags in O(1), and the VIF that owns one of the
 * gateway's addresses.
 * <p>
 * One writer (the control thread) replaces VIFs; workers look up without locks. Every change builds a new
 * immutable {@link Snapshot} and publishes it with a volatile store; a worker reads the snapshot once per
 * frame (or batch) and so never sees a VIF set that never existed. VIF changes are rare, so copying the
 * per-port 4096-entry arrays on each change is cheap next to what it buys: a lookup that is two array loads.
 */
public final class VifTable
{
    /** Returned when no VIF matches. */
    public static final int NO_VIF = -1;
    private static final int QINQ = -2;
    private static final int VLAN_SLOTS = 4096;
    private static final int LOCAL_FILTER_SHIFT = 16;
    private static final int LOCAL_FILTER_BITS = 1 << LOCAL_FILTER_SHIFT;

    /** One consistent view of all VIFs; immutable. */
    public static final class Snapshot
    {
        private final Vif[] byId;
        /** [port][outer vlan] → vif id, {@link #NO_VIF}, or {@code QINQ - k}: look in {@code byInnerVlan[k]}. */
        private final int[][] byPortVlan;
        /** [k][inner vlan] → vif id or {@link #NO_VIF}, one table per (port, outer VLAN) carrying QinQ VIFs. */
        private final int[][] byInnerVlan;
        private final Int2IntHashMap localIpv4;
        private final Vif[] withIpv6;
        /**
         * One bit per hash of every local address (IPv4 and IPv6): almost every forwarded packet is not for
         * the gateway, and a clear bit says so with one load instead of a hash-map probe or a scan.
         */
        private final long[] localFilter = new long[LOCAL_FILTER_BITS / 64];

        Snapshot(final Vif[] byId, final int portCount)
        {
            this.byId = byId;
            this.byPortVlan = new int[portCount][];
            final List<int[]> innerTables = new ArrayList<>();
            this.localIpv4 = new Int2IntHashMap(NO_VIF);
            final List<Vif> v6 = new ArrayList<>();
            for (final Vif vif : byId)
            {
                if (vif == null)
                {
                    continue;
                }
                int[] vlans = byPortVlan[vif.portIndex()];
                if (vlans == null)
                {
                    vlans = new int[VLAN_SLOTS];
                    Arrays.fill(vlans, NO_VIF);
                    byPortVlan[vif.portIndex()] = vlans;
                }
                if (vif.innerVlan() == Vif.NO_INNER)
                {
                    if (vlans[vif.outerVlan()] >= 0)
                    {
                        throw new IllegalArgumentException(vif.name() + ": VLAN " + vif.outerVlan() + " on port " +
                            vif.portIndex() + " already belongs to " + byId[vlans[vif.outerVlan()]].name());
                    }
                    if (vlans[vif.outerVlan()] <= QINQ)
                    {
                        throw new IllegalArgumentException(vif.name() + ": VLAN " + vif.outerVlan() + " on port " +
                            vif.portIndex() + " already carries QinQ VIFs");
                    }
                    vlans[vif.outerVlan()] = vif.id();
                }
                else
                {
                    if (vlans[vif.outerVlan()] >= 0)
                    {
                        throw new IllegalArgumentException(vif.name() + ": outer VLAN " + vif.outerVlan() +
                            " on port " + vif.portIndex() + " already belongs to " + byId[vlans[vif.outerVlan()]].name());
                    }
                    if (vlans[vif.outerVlan()] == NO_VIF)
                    {
                        final int[] inner = new int[VLAN_SLOTS];
                        Arrays.fill(inner, NO_VIF);
                        vlans[vif.outerVlan()] = QINQ - innerTables.size();
                        innerTables.add(inner);
                    }
                    final int[] inner = innerTables.get(QINQ - vlans[vif.outerVlan()]);
                    if (inner[vif.innerVlan()] != NO_VIF)
                    {
                        throw new IllegalArgumentException(vif.name() + ": VLAN " + vif.outerVlan() + "." +
                            vif.innerVlan() + " on port " + vif.portIndex() + " already in use");
                    }
                    inner[vif.innerVlan()] = vif.id();
                }
                boolean hasV6 = false;
                for (final org.vbgw.fib.IpPrefix a : vif.addresses())
                {
                    if (a.ipv6())
                    {
                        hasV6 = true;
                        setLocalBit(ipv6Hash(a.hi(), a.lo()));
                    }
                    else
                    {
                        setLocalBit(ipv4Hash(a.ipv4Address()));
                        final int owner = localIpv4.put(a.ipv4Address(), vif.id());
                        if (owner != NO_VIF && owner != vif.id())
                        {
                            throw new IllegalArgumentException(vif.name() + ": address " + a + " already on " + byId[owner].name());
                        }
                    }
                }
                if (hasV6)
                {
                    v6.add(vif);
                }
            }
            this.withIpv6 = v6.toArray(new Vif[0]);
            this.byInnerVlan = innerTables.toArray(new int[0][]);
        }

        /** The VIF id for a frame received on {@code port} with these tags (0 = absent), or {@link #NO_VIF}. */
        public int lookup(final int port, final int outerVlan, final int innerVlan)
        {
            if (port < 0 || port >= byPortVlan.length)
            {
                return NO_VIF;
            }
            final int[] vlans = byPortVlan[port];
            if (vlans == null)
            {
                return NO_VIF;
            }
            final int v = vlans[outerVlan];
            if (v <= QINQ)
            {
                return byInnerVlan[QINQ - v][innerVlan];
            }
            // A QinQ frame on a single-tagged VIF does not belong to it.
            return innerVlan == Vif.NO_INNER ? v : NO_VIF;
        }

        public Vif vif(final int id)
        {
            return id >= 0 && id < byId.length ? byId[id] : null;
        }

        /** The VIF owning the gateway IPv4 address, or {@link #NO_VIF}. */
        public int localIpv4Owner(final int address)
        {
            return isLocalCandidate(ipv4Hash(address)) ? localIpv4.get(address) : NO_VIF;
        }

        /** The VIF owning the gateway IPv6 address, or {@link #NO_VIF}. Few VIFs carry IPv6: a scan is fine. */
        public int localIpv6Owner(final long hi, final long lo)
        {
            if (!isLocalCandidate(ipv6Hash(hi, lo)))
            {
                return NO_VIF;
            }
            for (final Vif vif : withIpv6)
            {
                for (final org.vbgw.fib.IpPrefix a : vif.addresses())
                {
                    if (a.ipv6() && a.hi() == hi && a.lo() == lo)
                    {
                        return vif.id();
                    }
                }
            }
            return NO_VIF;
        }

        public int size()
        {
            int n = 0;
            for (final Vif v : byId)
            {
                n += v == null ? 0 : 1;
            }
            return n;
        }

        public int capacity()
        {
            return byId.length;
        }

        private boolean isLocalCandidate(final int hash)
        {
            return (localFilter[hash >>> 6] & (1L << hash)) != 0;
        }

        private void setLocalBit(final int hash)
        {
            localFilter[hash >>> 6] |= 1L << hash;
        }

        private static int ipv4Hash(final int address)
        {
            return (address * 0x9E3779B1) >>> (32 - LOCAL_FILTER_SHIFT);
        }

        private static int ipv6Hash(final long hi, final long lo)
        {
            final long x = hi ^ lo;
            return ((int)(x ^ (x >>> 32)) * 0x9E3779B1) >>> (32 - LOCAL_FILTER_SHIFT);
        }
    }

    private final int portCount;
    private final int maxVifs;
    /** Written by the control thread only, read by workers: volatile publication of an immutable snapshot. */
    private volatile Snapshot snapshot;

    public VifTable(final int portCount, final int maxVifs)
    {
        this.portCount = portCount;
        this.maxVifs = maxVifs;
        this.snapshot = new Snapshot(new Vif[maxVifs], portCount);
    }

    /** The current VIF set; workers call this once per batch. */
    public Snapshot snapshot()
    {
        return snapshot;
    }

    /** Adds or replaces the VIF with {@code vif.id()}; throws, leaving the table unchanged, on a conflict. */
    public void put(final Vif vif)
    {
        if (vif.id() < 0 || vif.id() >= maxVifs)
        {
            throw new IllegalArgumentException("VIF id " + vif.id() + " out of range 0.." + (maxVifs - 1));
        }
        if (vif.portIndex() < 0 || vif.portIndex() >= portCount)
        {
            throw new IllegalArgumentException("VIF " + vif.name() + ": port index " + vif.portIndex() + " out of range");
        }
        final Vif[] next = snapshot.byId.clone();
        next[vif.id()] = vif;
        snapshot = new Snapshot(next, portCount);
    }

    /** Removes the VIF; false when there was none. */
    public boolean remove(final int vifId)
    {
        final Snapshot s = snapshot;
        if (s.vif(vifId) == null)
        {
            return false;
        }
        final Vif[] next = s.byId.clone();
        next[vifId] = null;
        snapshot = new Snapshot(next, portCount);
        return true;
    }
}
