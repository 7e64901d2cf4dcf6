package org.vbgw.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabStatusTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LabState STATE = LabStateTest.sample(Path.of("/nonexistent/t"));

    private static JsonNode json(final String text) throws Exception
    {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void sessionsComeFromTheGatewaysBgpAndBfdViews() throws Exception
    {
        final List<LabStatus.Session> bgp = LabStatus.sessions(json("[{'vif':'vbr1','peer':'10.0.0.2','state':'Established'," +
            "'received':1,'md5':true},{'vif':'vbr2','peer':'10.0.0.6','state':'Active','received':0}]"));
        assertEquals(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 1),
            new LabStatus.Session("vbr2", "10.0.0.6", "Active", 0)), bgp);
        assertTrue(bgp.get(0).up());
        assertFalse(bgp.get(1).up());
        assertTrue(new LabStatus.Session("vbr1", "10.0.0.2", "up", 0).up());
        assertEquals("Active", LabStatus.stateOf(bgp, "vbr2"));
        assertEquals("none", LabStatus.stateOf(bgp, "vbr3"));
        assertEquals(List.of(), LabStatus.sessions(null));
    }

    @Test
    void idcRoutesNameTheirLiveNextHopsByVif() throws Exception
    {
        final JsonNode vifs = json("[{'id':0,'name':'vbr1'},{'id':1,'name':'vbr2'},{'id':2,'name':'vpc-1'}]");
        final JsonNode routes = json("[" +
            "{'prefix':'10.0.0.0/30','nexthops':[{'via':'attached','vif':0,'alive':true}]}," +
            "{'prefix':'10.0.0.2/32','nexthops':[{'via':'10.0.0.2','vif':0,'alive':true}]}," +
            "{'prefix':'192.168.0.0/16','nexthops':[{'via':'attached','vif':2,'alive':true}]}," +
            "{'prefix':'172.16.0.0/12','nexthops':[{'via':'10.0.0.2','vif':0,'alive':false},{'via':'10.0.0.6','vif':1,'alive':true}]}]");
        assertEquals(List.of(new LabStatus.Route("172.16.0.0/12", List.of("10.0.0.6%vbr2"))),
            LabStatus.idcRoutes(routes, vifs, STATE));
        assertEquals(List.of(), LabStatus.idcRoutes(null, vifs, STATE));
    }

    @Test
    void vifCountersAreSummedOverWorkers() throws Exception
    {
        final JsonNode counters = json("[" +
            "{'label':'vif vbr1 tx_packets worker 0','value':10},{'label':'vif vbr1 tx_packets worker 1','value':5}," +
            "{'label':'vif vbr1 rx_packets worker 0','value':7},{'label':'vif vbr1 tx_bytes worker 0','value':999}," +
            "{'label':'vif vbr10 tx_packets worker 0','value':1000},{'label':'vif vbr2 tx_packets worker 0','value':3}]");
        assertEquals(List.of(new LabStatus.VifCounters("vbr1", 7, 15), new LabStatus.VifCounters("vbr2", 0, 3)),
            LabStatus.vifCounters(counters, STATE));
    }

    @Test
    void readyNeedsEverySessionUpWithPrefixesAndIdcRoutes()
    {
        final List<LabStatus.Session> bfdUp = List.of(new LabStatus.Session("vbr1", "10.0.0.2", "up", 0));
        final List<LabStatus.Route> routes = List.of(new LabStatus.Route("172.16.0.0/12", List.of("10.0.0.2%vbr1")));
        assertTrue(status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 1)), bfdUp, routes).ready());
        assertFalse(status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 0)), bfdUp, routes).ready());
        assertFalse(status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "OpenSent", 1)), bfdUp, routes).ready());
        assertFalse(status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 1)),
            List.of(new LabStatus.Session("vbr1", "10.0.0.2", "down", 0)), routes).ready());
        assertFalse(status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 1)), bfdUp, List.of()).ready());
    }

    @Test
    void renderingShowsEveryPartAndJsonSaysReady()
    {
        final LabStatus s = status(List.of(new LabStatus.Session("vbr1", "10.0.0.2", "Established", 1)),
            List.of(new LabStatus.Session("vbr1", "10.0.0.2", "up", 0)),
            List.of(new LabStatus.Route("172.16.0.0/12", List.of())));
        final String text = s.render();
        assertTrue(text.startsWith("lab t (active-active): ready\n"), text);
        assertTrue(text.contains("cpe (missing)"), text);
        assertTrue(text.contains("vbgw run       running, pid 42"), text);
        assertTrue(text.contains("vlan shim      NOT RUNNING"), text);
        assertTrue(text.contains("vbr1             Established   up"), text);
        assertTrue(text.contains("vbr2             none          none"), text);
        assertTrue(text.contains("172.16.0.0/12 via (no live next hop)"), text);
        assertTrue(text.contains("cuts in force: vbr2 port-down"), text);
        assertTrue(s.toJson().contains("\"ready\" : true"), s.toJson());
    }

    private static LabStatus status(final List<LabStatus.Session> bgp, final List<LabStatus.Session> bfd,
        final List<LabStatus.Route> routes)
    {
        final Map<String, Boolean> ns = new java.util.LinkedHashMap<>();
        LabNames.ROLES.forEach(r -> ns.put(r, !r.equals("cpe")));
        return new LabStatus("t", "active-active", ns, List.of(new LabStatus.Daemon("vbgw run", 42, true),
            new LabStatus.Daemon("vlan shim", -1, false)), true, bgp, bfd, 7, routes,
            List.of(new LabStatus.VifCounters("vbr1", 1, 2), new LabStatus.VifCounters("vbr2", 0, 0)),
            List.of("vbr2 port-down"));
    }
}
