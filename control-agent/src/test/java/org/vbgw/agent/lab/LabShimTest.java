package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabShimTest
{
    @Test
    void specsNameAccessTrunkAndVlan()
    {
        assertEquals(new LabShim.Spec("t101", "eth1", 101), LabShim.Spec.parse("t101:eth1:101"));
        for (final String bad : new String[] {"t101:eth1", "t101:eth1:x", "t1:eth1:4095", ":eth1:5", "t1:eth1:0"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LabShim.Spec.parse(bad));
            assertTrue(ex.getMessage().contains(bad), ex.getMessage());
        }
    }
}
