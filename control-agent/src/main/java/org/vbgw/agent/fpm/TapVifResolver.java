package org.vbgw.agent.fpm;

import org.vbgw.fib.IpPrefix;
import org.vbgw.io.linux.Native;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The running gateway's {@link VifResolver}: ifindexes are looked up by the host TAPs' names (if_nametoindex in
 * the FPM server's network namespace, which is zebra's) and cached; a miss refreshes the cache at most once a
 * second, since a TAP may have been recreated with a new index. FPM server thread only.
 */
public final class TapVifResolver implements VifResolver
{
    private static final long REFRESH_NS = 1_000_000_000L;

    private final Map<String, Integer> vifByTapName;
    private final ToIntFunction<IpPrefix> vifByGateway;
    private final Map<Integer, Integer> vifByIndex = new HashMap<>();
    private long lastRefreshNs = System.nanoTime() - 2 * REFRESH_NS;

    /**
     * @param vifByTapName the VIF id of each host TAP's interface name.
     * @param vifByGateway the VIF whose interconnect subnet holds an address, or {@link #NO_VIF}.
     */
    public TapVifResolver(final Map<String, Integer> vifByTapName, final ToIntFunction<IpPrefix> vifByGateway)
    {
        this.vifByTapName = Map.copyOf(vifByTapName);
        this.vifByGateway = vifByGateway;
    }

    @Override
    public int vifByIfindex(final int ifindex)
    {
        Integer vif = vifByIndex.get(ifindex);
        if (vif == null && System.nanoTime() - lastRefreshNs >= REFRESH_NS)
        {
            refresh();
            vif = vifByIndex.get(ifindex);
        }
        return vif == null ? NO_VIF : vif;
    }

    private void refresh()
    {
        lastRefreshNs = System.nanoTime();
        vifByIndex.clear();
        vifByTapName.forEach((name, vif) ->
        {
            final int index = Native.LIBC.if_nametoindex(name);
            if (index > 0)
            {
                vifByIndex.put(index, vif);
            }
        });
    }

    @Override
    public int vifByGateway(final IpPrefix gateway)
    {
        return vifByGateway.applyAsInt(gateway);
    }
}
