package org.vbgw.agent.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a lab is, as {@code lab.json} in its directory records it: everything a drill, {@code status},
 * {@code cut} or {@code down} needs to find the lab's parts again from another process, after a crash too.
 * Written once the topology exists (and first, without the learned MAC addresses, before anything is created,
 * so that {@code down} can remove a lab whose {@code up} died halfway).
 *
 * @param name        the lab's name (namespace names derive from it, see {@link LabNames})
 * @param scenario    the scenario's name ({@link LabScenario#id()})
 * @param directory   the lab's directory: this file, the gateway YAML, the BIRD config, pid files, logs
 * @param namespaces  the lab's namespaces by role
 * @param vpcHost     the host in the VPC (the traffic's sender)
 * @param idcHosts    the hosts behind the customer router (the traffic's receivers)
 * @param apiAddress  the gateway's HTTP API, reached from inside the gateway namespace
 * @param countersFile the gateway's counters file (readable from any namespace)
 * @param paths       one per VIF toward the IDC, in the gateway config's order
 */
public record LabState(String name, String scenario, Path directory, Namespaces namespaces, Host vpcHost,
                       List<Host> idcHosts, String apiAddress, Path countersFile, List<LabPath> paths)
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The state file's name in a lab's directory. */
    public static final String FILE = "lab.json";

    /**
     * The lab's namespaces.
     *
     * @param cpe the customer router (BIRD, the VLAN shim)
     * @param vpn the VPN's far end when it has a namespace of its own; null here: the VPN path is another
     *            gateway port through the wire to the customer router
     */
    public record Namespaces(String vpc, String gw, String wire, String cpe, String idc, String vpn)
    {
    }

    /**
     * An end host.
     *
     * @param gatewayIp  its default gateway
     * @param mac        its interface's MAC, or null when not learned yet
     * @param gatewayMac its default gateway's MAC, or null when not learned yet
     */
    public record Host(String namespace, String interfaceName, String ip, String mac, String gatewayIp,
                       String gatewayMac)
    {
    }

    /**
     * One path toward the IDC: a VIF and the physical connection it rides.
     *
     * @param vif               the VIF's name in the gateway config
     * @param kind              {@code direct} or {@code vpn}
     * @param connection        the connection's number (1-based): interface and bridge names derive from it
     * @param gatewayInterface  the gateway port's interface in the gateway namespace
     * @param wireInterface     the wire namespace's interface toward the gateway port (a port-down cut sets it down)
     * @param bridge            the wire namespace's bridge of the connection (silent cuts filter it)
     * @param vlan              the VIF's VLAN (0 untagged)
     * @param gatewayIp         the gateway's interconnect address
     * @param customerIp        the customer router's interconnect address
     * @param customerInterface the customer router's interface of the VIF (its VLAN device)
     * @param birdProtocol      the customer's BGP session in BIRD, or null when the VIF runs no BGP
     */
    public record LabPath(String vif, String kind, int connection, String gatewayInterface, String wireInterface,
                          String bridge, int vlan, String gatewayIp, String customerIp, String customerInterface,
                          String birdProtocol)
    {
    }

    /** The path of {@code vif}; throws naming the lab's VIFs when there is none. */
    public LabPath path(final String vif)
    {
        for (final LabPath p : paths)
        {
            if (p.vif().equals(vif))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("lab " + name + " has no VIF '" + vif + "'; its VIFs are " +
            paths.stream().map(LabPath::vif).toList());
    }

    /** The same state with the hosts' MAC addresses learned. */
    LabState withHosts(final Host vpc, final List<Host> idc)
    {
        return new LabState(name, scenario, directory, namespaces, vpc, idc, apiAddress, countersFile, paths);
    }

    /** Writes {@code lab.json} into the lab's directory. */
    public void write()
    {
        try
        {
            Files.createDirectories(directory);
            final Path tmp = directory.resolve(FILE + ".tmp");
            Files.writeString(tmp, toJson());
            Files.move(tmp, directory.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + directory.resolve(FILE) + ": " + ex.getMessage(), ex);
        }
    }

    /** The state as JSON. */
    public String toJson()
    {
        try
        {
            return JSON.writeValueAsString(this);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Parses a state written by {@link #toJson()}. */
    public static LabState parse(final String json)
    {
        try
        {
            return JSON.readValue(json, LabState.class);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not a lab state: " + ex.getMessage(), ex);
        }
    }

    /** Reads a lab's {@code lab.json}; throws naming the file and what to do when there is none. */
    public static LabState read(final Path directory)
    {
        final Path file = directory.resolve(FILE);
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("no lab at " + directory + " (no " + FILE + "); vbgw lab up SCENARIO " +
                "starts one, vbgw lab status lists them");
        }
        try
        {
            return parse(Files.readString(file));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }
}
