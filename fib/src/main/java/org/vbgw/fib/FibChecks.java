package org.vbgw.fib;

/**
 * The checks every {@link Fib} mutator makes before it changes anything, so that bad input leaves the FIB
 * as it was. Each failure is an {@link IllegalArgumentException} whose message names the offending value.
 * Writer thread only.
 */
final class FibChecks
{
    private final NextHopTable nextHops;
    private final GroupTable groups;

    FibChecks(final NextHopTable nextHops, final GroupTable groups)
    {
        this.nextHops = nextHops;
        this.groups = groups;
    }

    static void count(final int count, final int... arrayLengths)
    {
        for (final int length : arrayLengths)
        {
            if (count < 0 || count > length)
            {
                throw new IllegalArgumentException("route count " + count + " out of range 0.." + length + " (array length)");
            }
        }
    }

    void newNextHop(final int id, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        if (id < 0 || id > NextHop.MAX_ID)
        {
            throw new IllegalArgumentException("next hop id " + id + " out of range 0.." + NextHop.MAX_ID);
        }
        if (nextHops.get(id) != null)
        {
            throw new IllegalArgumentException("duplicate next hop id " + id + ": " + nextHops.get(id));
        }
        if (vifId < 0)
        {
            throw new IllegalArgumentException("next hop " + id + ": VIF id " + vifId + " must be >= 0");
        }
        if (!ipv6 && (hi != 0 || (lo >>> 32) != 0))
        {
            throw new IllegalArgumentException("next hop " + id + ": IPv4 neighbour does not fit 32 bits: " +
                Long.toHexString(hi) + ":" + Long.toHexString(lo));
        }
    }

    NextHop existingNextHop(final int id)
    {
        final NextHop nh = nextHops.get(id);
        if (nh == null)
        {
            throw new IllegalArgumentException("unknown next hop " + id);
        }
        return nh;
    }

    /** The group a route is given must exist; the message is built only on failure (bulk loads). */
    NextHopGroup routeGroup(final IpPrefix prefix, final int groupId)
    {
        final NextHopGroup group = groupId >= 0 && groupId <= GroupTable.MAX_GROUP_ID ? groups.group(groupId) : null;
        return group != null ? group : existingGroup(groupId, "route " + prefix + ": group");
    }

    /** The group with this id; {@code what} prefixes the message ("route 10.0.0.0/8: group"). */
    NextHopGroup existingGroup(final int id, final String what)
    {
        final NextHopGroup group = id >= 0 && id <= GroupTable.MAX_GROUP_ID ? groups.group(id) : null;
        if (group == null)
        {
            throw new IllegalArgumentException(what + " " + id + " does not exist");
        }
        return group;
    }

    /**
     * Checks a group definition for {@code addGroup} ({@code replacing} false) or {@code replaceGroup}.
     *
     * @return the weights to use (all 1 when {@code weights} is null).
     */
    int[] group(final int id, final boolean replacing, final int[] nextHopIds, final int[] weights, final int backupGroupId)
    {
        if (id < 0 || id > GroupTable.MAX_GROUP_ID)
        {
            throw new IllegalArgumentException("group id " + id + " out of range 0.." + GroupTable.MAX_GROUP_ID);
        }
        if (replacing)
        {
            existingGroup(id, "group");
        }
        else if (groups.group(id) != null)
        {
            throw new IllegalArgumentException("group " + id + " already exists; use replaceGroup");
        }
        if (nextHopIds == null || nextHopIds.length == 0)
        {
            throw new IllegalArgumentException("group " + id + " has no members");
        }
        if (nextHopIds.length > BucketTable.MAX_MEMBERS)
        {
            throw new IllegalArgumentException("group " + id + " has " + nextHopIds.length + " members, more than " +
                BucketTable.MAX_MEMBERS);
        }
        if (weights != null && weights.length != nextHopIds.length)
        {
            throw new IllegalArgumentException("group " + id + " has " + nextHopIds.length + " members but " +
                weights.length + " weights");
        }
        for (int i = 0; i < nextHopIds.length; i++)
        {
            if (nextHops.get(nextHopIds[i]) == null)
            {
                throw new IllegalArgumentException("group " + id + ": unknown next hop " + nextHopIds[i]);
            }
            for (int j = 0; j < i; j++)
            {
                if (nextHopIds[j] == nextHopIds[i])
                {
                    throw new IllegalArgumentException("group " + id + ": next hop " + nextHopIds[i] + " listed twice");
                }
            }
            if (weights != null && weights[i] <= 0)
            {
                throw new IllegalArgumentException("group " + id + ": weight " + weights[i] + " of next hop " +
                    nextHopIds[i] + " must be > 0");
            }
        }
        backup(id, backupGroupId);
        if (weights != null)
        {
            return weights.clone();
        }
        final int[] ones = new int[nextHopIds.length];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    /** A backup must exist, and following backups from it must end, within a bounded depth, without cycling. */
    private void backup(final int id, final int backupGroupId)
    {
        if (backupGroupId == Fib.NO_GROUP)
        {
            return;
        }
        if (backupGroupId == id)
        {
            throw new IllegalArgumentException("backup cycle: group " + id + " cannot be its own backup");
        }
        existingGroup(backupGroupId, "group " + id + ": backup group");
        final StringBuilder chain = new StringBuilder().append(id);
        int depth = 0;
        for (int b = backupGroupId; b != Fib.NO_GROUP; b = groups.explicitBackupOf(b))
        {
            chain.append(" -> ").append(b);
            if (b == id)
            {
                throw new IllegalArgumentException("backup cycle: " + chain);
            }
            if (++depth > Fib.MAX_BACKUP_DEPTH)
            {
                throw new IllegalArgumentException("group " + id + ": backup chain " + chain + " longer than " +
                    Fib.MAX_BACKUP_DEPTH);
            }
        }
    }
}
