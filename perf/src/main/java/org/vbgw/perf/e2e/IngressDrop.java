package org.vbgw.perf.e2e;

/**
 * An nftables {@code netdev} ingress drop on interfaces whose frames a packet socket takes: AF_PACKET sees
 * each frame before the ingress hook, so the kernel's IP stack never processes it as well (measured: 428 → 595
 * k frames/s for a C forwarder). The benchmark's own small copy; the data plane gets a proper one.
 * <pre>
 *   table netdev NAME { chain in_IF { type filter hook ingress device IF priority 0; drop; } ... }
 * </pre>
 */
final class IngressDrop
{
    /** Runs {@code command} in namespace {@code ns} with {@code stdin} as its standard input. */
    @FunctionalInterface
    interface NamespaceShell
    {
        String exec(String ns, String stdin, String... command);
    }

    private IngressDrop()
    {
    }

    static String ruleset(final String table, final String... interfaces)
    {
        final StringBuilder sb = new StringBuilder("table netdev ").append(table).append(" {\n");
        for (final String ifName : interfaces)
        {
            sb.append("  chain in_").append(ifName).append(" { type filter hook ingress device \"").append(ifName)
                .append("\" priority 0; drop; }\n");
        }
        return sb.append("}\n").toString();
    }

    static void install(final NamespaceShell shell, final String ns, final String table, final String... interfaces)
    {
        shell.exec(ns, ruleset(table, interfaces), "nft", "-f", "-");
    }

    static void remove(final NamespaceShell shell, final String ns, final String table)
    {
        shell.exec(ns, null, "nft", "delete", "table", "netdev", table);
    }
}
