package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DidYouMeanTest
{
    private static final List<String> KEYS = List.of("vlan", "inner-vlan", "peer-asn", "remote-subnets", "mtu");

    @Test
    void typosAndOtherSpellings()
    {
        assertEquals("vlan", DidYouMean.suggest("vlna", KEYS));
        assertEquals("vlan", DidYouMean.suggest("VLAN", KEYS));
        assertEquals("peer-asn", DidYouMean.suggest("peer_asn", KEYS));
        assertEquals("peer-asn", DidYouMean.suggest("peerAsn", KEYS));
        assertEquals("remote-subnets", DidYouMean.suggest("remote-subnet", KEYS));
        assertEquals("inner-vlan", DidYouMean.suggest("iner-vlan", KEYS));
    }

    @Test
    void noSuggestionForADifferentWord()
    {
        assertNull(DidYouMean.suggest("colour", KEYS));
        assertNull(DidYouMean.suggest("x", KEYS));
    }
}
