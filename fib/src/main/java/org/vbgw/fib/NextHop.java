package org.vbgw.fib;

/**
 * A next hop: where a packet leaves (egress VIF) and which neighbour it is sent to, plus a liveness bit.
 * <p>
 * Identity, VIF and neighbour address are immutable; the neighbour is held as two longs and a family
 * flag (IPv4 in the low 32 bits of {@link #neighbourLo()}) so that the read path never touches
 * {@code InetAddress}. Instances are created by the {@link Fib} writer and published to readers with
 * release ordering; any thread may read them without allocation.
 */
public final class NextHop
{
    /** Returned by readers when no usable next hop exists. */
    public static final int NO_NEXT_HOP = -1;

    /** Highest id a next hop may have; ids index flat arrays, so keep them dense. */
    public static final int MAX_ID = (1 << 24) - 1;

    private final int id;
    private final int vifId;
    private final boolean ipv6;
    private final long neighbourHi;
    private final long neighbourLo;

    /**
     * Written only by the FIB writer thread (volatile store = release), read by any thread (volatile load =
     * acquire). Readers do not need it to forward: the writer folds liveness into the bucket tables before
     * publishing them. It is here for introspection (CLI, metrics).
     */
    private volatile boolean alive = true;

    NextHop(final int id, final int vifId, final boolean ipv6, final long neighbourHi, final long neighbourLo)
    {
        this.id = id;
        this.vifId = vifId;
        this.ipv6 = ipv6;
        this.neighbourHi = neighbourHi;
        this.neighbourLo = neighbourLo;
    }

    public int id()
    {
        return id;
    }

    public int vifId()
    {
        return vifId;
    }

    public boolean ipv6()
    {
        return ipv6;
    }

    /** High 64 bits of an IPv6 neighbour address; 0 for IPv4. */
    public long neighbourHi()
    {
        return neighbourHi;
    }

    /** Low 64 bits of an IPv6 neighbour address, or the IPv4 address in the low 32 bits. */
    public long neighbourLo()
    {
        return neighbourLo;
    }

    /** The IPv4 neighbour address as an int; meaningful only when {@link #ipv6()} is false. */
    public int neighbourIpv4()
    {
        return (int)neighbourLo;
    }

    public boolean alive()
    {
        return alive;
    }

    void alive(final boolean alive)
    {
        this.alive = alive;
    }

    @Override
    public String toString()
    {
        return "NextHop{id=" + id + ", vif=" + vifId + ", via " + IpPrefix.format(ipv6, neighbourHi, neighbourLo) +
            (alive ? ", up}" : ", down}");
    }
}
