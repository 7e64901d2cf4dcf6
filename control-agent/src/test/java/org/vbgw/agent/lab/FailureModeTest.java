package org.vbgw.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class FailureModeTest
{
    @Test
    void parsesTheCommandLinesNames()
    {
        assertEquals(List.of(FailureMode.BFD_SILENCED, FailureMode.PORT_DOWN),
            FailureMode.parseList("bfd-silenced, port-down,bfd-silenced"));
        assertEquals(FailureMode.ROUTE_WITHDRAWN, FailureMode.of("route-withdrawn"));
        assertEquals("bgp-down", FailureMode.BGP_DOWN.toString());
    }

    @Test
    void unknownNamesListTheValidOnes()
    {
        assertEquals("unknown failure mode 'link-down': expected one of port-down, bgp-down, route-withdrawn, " +
            "bfd-silenced", assertThrows(IllegalArgumentException.class, () -> FailureMode.parseList("port-down,link-down"))
            .getMessage());
        assertThrows(IllegalArgumentException.class, () -> FailureMode.parseList("port-down,,bgp-down"));
    }
}
