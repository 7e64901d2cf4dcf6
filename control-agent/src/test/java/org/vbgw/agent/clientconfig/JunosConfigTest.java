package org.vbgw.agent.clientconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Junos renderings: braces balance, the hierarchy form flattens to exactly the {@code set} form, and every
 * {@code set} line is a documented statement ({@link JunosGrammar}).
 */
class JunosConfigTest
{
    static java.util.stream.Stream<ClientConfigCases.Case> cases()
    {
        return ClientConfigCases.cases();
    }

    private static List<String> setLines(final String text)
    {
        return Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHierarchyAndSetFormsAreOneConfiguration(final ClientConfigCases.Case c)
    {
        final List<String> fromCurly = JunosGrammar.flatten(c.render(Vendor.JUNOS));
        assertEquals(setLines(c.render(Vendor.JUNOS_SET)), fromCurly);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everySetLineIsADocumentedStatement(final ClientConfigCases.Case c)
    {
        final String text = c.render(Vendor.JUNOS_SET);
        assertEquals(List.of(), JunosGrammar.violations(setLines(text)), text);
    }

    @Test
    void theCheckerCatchesBrokenConfigs()
    {
        final String curly = ClientConfigCases.CASES.get(1).render(Vendor.JUNOS);
        assertThrows(IllegalArgumentException.class, () -> JunosGrammar.flatten(curly + "}\n"), "extra }");
        assertThrows(IllegalArgumentException.class,
            () -> JunosGrammar.flatten(curly.replaceFirst("unicast;", "unicast")), "missing ; before }");
        // A missing ; between two statements still tokenizes; the joined statement is no documented form.
        assertFalse(JunosGrammar.violations(JunosGrammar.flatten(curly.replaceFirst("peer-as 65000;", "peer-as 65000")))
            .isEmpty(), "missing ; between statements");
        assertThrows(IllegalArgumentException.class,
            () -> JunosGrammar.flatten(curly.substring(0, curly.lastIndexOf('}'))), "missing }");
        final List<String> set = setLines(ClientConfigCases.CASES.get(1).render(Vendor.JUNOS_SET));
        assertFalse(JunosGrammar.violations(replace(set, "multiplier 3", "multiplier 300")).isEmpty(), "range");
        assertFalse(JunosGrammar.violations(replace(set, "vlan-id 31", "vlan-id 4095")).isEmpty(), "VLAN range");
        assertFalse(JunosGrammar.violations(replace(set, "export VBGW-VIF-MAGDEBURG-OUT", "export NOPE")).isEmpty(),
            "undefined policy");
        assertFalse(JunosGrammar.violations(replace(set, "peer-as 65000", "peer-as 64512")).isEmpty(), "iBGP");
        assertFalse(JunosGrammar.violations(replace(set, "type external", "kind external")).isEmpty(), "unknown form");
    }

    private static List<String> replace(final List<String> lines, final String from, final String to)
    {
        return lines.stream().map(l -> l.replace(from, to)).toList();
    }

    @Test
    void theStandbyGroupPeersWithTheGatewayWithBfdAndPrepends()
    {
        final String text = ClientConfigCases.CASES.get(1).render(Vendor.JUNOS_SET);
        assertTrue(text.contains("set interfaces ge-0/0/1 vlan-tagging\n"), text);
        assertTrue(text.contains("set interfaces ge-0/0/1 unit 31 vlan-id 31\n"), text);
        assertTrue(text.contains("set interfaces ge-0/0/1 unit 31 family inet address 10.0.0.6/30\n"), text);
        assertTrue(text.contains("set routing-options autonomous-system 64512\n"), text);
        assertTrue(text.contains("set protocols bgp group VBGW-VIF-MAGDEBURG peer-as 65000\n"), text);
        assertTrue(text.contains("set protocols bgp group VBGW-VIF-MAGDEBURG authentication-key \"change-me-magdeburg\"\n"),
            text);
        assertTrue(text.contains("bfd-liveness-detection minimum-receive-interval 100\n"), text);
        assertTrue(text.contains("neighbor 10.0.0.5 family inet unicast\n"), text);
        assertTrue(text.contains("then as-path-prepend \"64512 64512\"\n"), text);
    }

    @Test
    void qinqUsesVlanTagsWithThe8021adOuterTpid()
    {
        final String text = ClientConfigCases.CASES.get(6).render(Vendor.JUNOS_SET);
        assertTrue(text.contains("set interfaces ge-0/0/1 flexible-vlan-tagging\n"), text);
        assertTrue(text.contains("set interfaces ge-0/0/1 unit 7 vlan-tags outer 0x88a8.30 inner 7\n"), text);
        assertTrue(text.contains("neighbor 2001:db8::1 family inet6 unicast\n"), text);
        assertTrue(text.contains("transmit-interval minimum-interval 50\n"), text);
    }
}
