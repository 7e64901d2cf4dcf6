package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabNamesTest
{
    @Test
    void namespacesDeriveFromTheLabNameAndLeadBackToIt()
    {
        assertEquals("vbgwlab-drill-1-gw", LabNames.namespace("drill-1", "gw"));
        for (final String role : LabNames.ROLES)
        {
            assertEquals("drill-1", LabNames.labOf(LabNames.namespace("drill-1", role)));
        }
        assertEquals("a-b-c", LabNames.labOf("vbgwlab-a-b-c-wire"));
    }

    @Test
    void namespacesOfOthersAreNotLabs()
    {
        assertNull(LabNames.labOf("vbgw-gw-1234abcd"));
        assertNull(LabNames.labOf("vbgwlab-x-router"));
        assertNull(LabNames.labOf("vbgwlab--gw"));
        assertNull(LabNames.labOf("other"));
    }

    @Test
    void badNamesAreRefusedNamingTheValue()
    {
        for (final String bad : new String[] {"", "Upper", "-dash", "with_underscore", "a/b", "x".repeat(25)})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LabNames.check(bad));
            assertTrue(ex.getMessage().contains("'" + bad + "'"), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LabNames.namespace("ok", "router"));
        assertEquals("x".repeat(24), LabNames.check("x".repeat(24)));
    }

    @Test
    void interfaceNamesFitTheKernelsLimit()
    {
        assertEquals("eth1.101", LabNames.customerVlanDevice(1, 101));
        assertEquals("eth2", LabNames.customerVlanDevice(2, 0));
        assertEquals("t4094", LabNames.shimAccess(4094));
        assertEquals("gw1", LabNames.wireGatewaySide(1));
        assertEquals("cp2", LabNames.wireCustomerSide(2));
        assertEquals("br2", LabNames.bridge(2));
        assertTrue(LabNames.customerVlanDevice(2, 4094).length() <= 15);
        assertEquals("/run/vbgw/lab/x1", LabNames.directory("x1").toString());
    }
}
