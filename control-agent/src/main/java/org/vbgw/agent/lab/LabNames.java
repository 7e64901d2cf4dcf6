package org.vbgw.agent.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names a lab gives what it creates, all derived from the lab's name: its namespaces
 * ({@code vbgwlab-NAME-gw}, ...), so that {@code vbgw lab down --all} finds leftovers by the prefix alone and
 * two labs never share one; and its directory under {@code /run/vbgw/lab}. Interfaces need no lab name in
 * theirs: every one lives in one of the lab's own namespaces (the wire's bridges too), so fixed short names
 * ({@code eth1}, {@code br1}) are unique and well under the 15-character limit.
 */
public final class LabNames
{
    /** Every lab namespace starts with this; nothing else may. */
    public static final String NAMESPACE_PREFIX = "vbgwlab-";
    /** Where labs keep their state, one directory each. */
    public static final Path RUN_DIR = Path.of("/run/vbgw/lab");
    /** The roles of the lab's namespaces, in the order they are created (and deleted in reverse). */
    public static final List<String> ROLES = List.of("vpc", "gw", "wire", "cpe", "idc");

    private static final int MAX_NAME_LENGTH = 24;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private LabNames()
    {
    }

    /**
     * Checks a lab name: 1-24 lower-case letters, digits and '-', not starting with '-' (it becomes part of
     * namespace names and a directory).
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed.
     */
    public static String check(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("lab name '" + name + "' is not 1-" + MAX_NAME_LENGTH +
                " lower-case letters, digits and '-' (not starting with '-')");
        }
        return name;
    }

    /** The namespace of {@code role} (one of {@link #ROLES}) in lab {@code name}. */
    public static String namespace(final String name, final String role)
    {
        if (!ROLES.contains(role))
        {
            throw new IllegalArgumentException("no namespace role '" + role + "'; roles are " + ROLES);
        }
        return NAMESPACE_PREFIX + check(name) + "-" + role;
    }

    /** The lab a namespace belongs to, or null when it is not a lab namespace. */
    public static String labOf(final String namespace)
    {
        if (!namespace.startsWith(NAMESPACE_PREFIX))
        {
            return null;
        }
        final int dash = namespace.lastIndexOf('-');
        if (dash <= NAMESPACE_PREFIX.length() || !ROLES.contains(namespace.substring(dash + 1)))
        {
            return null;
        }
        return namespace.substring(NAMESPACE_PREFIX.length(), dash);
    }

    /** The lab's directory: state, rendered configs, pid files, logs. */
    public static Path directory(final String name)
    {
        return RUN_DIR.resolve(check(name));
    }

    /** The wire namespace's interface toward the gateway's port of connection {@code index} (1-based). */
    public static String wireGatewaySide(final int index)
    {
        return "gw" + index;
    }

    /** The wire namespace's interface toward the customer router's trunk of connection {@code index}. */
    public static String wireCustomerSide(final int index)
    {
        return "cp" + index;
    }

    /** The wire namespace's bridge of connection {@code index}: where silent cuts (nftables) happen. */
    public static String bridge(final int index)
    {
        return "br" + index;
    }

    /** The customer router's trunk interface of connection {@code index} (what client-config calls its parent). */
    public static String customerTrunk(final int index)
    {
        return "eth" + index;
    }

    /**
     * The customer router's VLAN device of a VIF, as client-config names it ({@code eth1.101}), or the trunk
     * itself for an untagged VIF.
     */
    public static String customerVlanDevice(final int index, final int vlan)
    {
        return vlan == 0 ? customerTrunk(index) : customerTrunk(index) + "." + vlan;
    }

    /** The far end of a VLAN device's veth pair, which the tagging shim reads: {@code t101}. */
    public static String shimAccess(final int vlan)
    {
        return "t" + vlan;
    }
}
