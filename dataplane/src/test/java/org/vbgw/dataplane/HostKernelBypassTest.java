package org.vbgw.dataplane;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nftables ruleset the bypass hands to {@code nft -f -}: one netdev table, one ingress chain per port
 * with a drop policy ahead of every other hook, replaced atomically if a stale table of the same name exists.
 */
class HostKernelBypassTest
{
    @Test
    void rulesetDropsAtIngressOnEveryPort()
    {
        final String expected =
            "table netdev vbgw_42_0\n" +
            "delete table netdev vbgw_42_0\n" +
            "table netdev vbgw_42_0 {\n" +
            "    chain port0 {\n" +
            "        comment \"vbgw port g1-a.100\"\n" +
            "        type filter hook ingress device \"g1-a.100\" priority -500; policy drop;\n" +
            "    }\n" +
            "    chain port1 {\n" +
            "        comment \"vbgw port vpc0\"\n" +
            "        type filter hook ingress device \"vpc0\" priority -500; policy drop;\n" +
            "    }\n" +
            "}\n";
        assertEquals(expected, HostKernelBypass.ruleset("vbgw_42_0", List.of("g1-a.100", "vpc0")));
    }

    @Test
    void tableNamesDifferPerProcessAndInstance()
    {
        assertEquals("vbgw_1234_0", HostKernelBypass.tableName(1234, 0));
        assertEquals("vbgw_1234_1", HostKernelBypass.tableName(1234, 1));
        assertTrue(HostKernelBypass.tableName(99, 0).matches("[a-z_][a-z0-9_]*"), "a plain nft identifier");
    }

    @Test
    void refusesNamesNftCannotQuote()
    {
        assertThrows(IllegalArgumentException.class, () -> HostKernelBypass.ruleset("t", List.of("bad\"name")));
        assertThrows(IllegalArgumentException.class, () -> HostKernelBypass.ruleset("t", List.of("sixteen-chars-xx")));
        assertThrows(IllegalArgumentException.class, () -> HostKernelBypass.ruleset("t", List.of("")));
    }

    @Test
    void namesTheMissingInterface()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> HostKernelBypass.install(List.of("lo", "vbgwnosuch0")));
        assertTrue(ex.getMessage().contains("vbgwnosuch0"), ex.getMessage());
    }

    @Test
    void tablesOfProcessesThatAreGoneAreDeletedAndLiveOnesKept()
    {
        final long self = ProcessHandle.current().pid();
        final String listing = "table netdev vbgw_999999999_0\ntable netdev vbgw_" + self + "_0\ntable netdev other\n" +
            "table inet filter\n";
        org.junit.jupiter.api.Assertions.assertEquals("delete table netdev vbgw_999999999_0\n",
            HostKernelBypass.staleTables(listing));
    }
}
