package org.vbgw.agent.clientconfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A Junos configuration as its statement hierarchy, printable in both of the forms Junos reads: the
 * curly-brace hierarchy ({@code load merge terminal}) and {@code set} commands ({@code load set terminal}),
 * which are one tree written two ways.
 * <p>
 * A node is a container ({@code protocols { ... }}) or a leaf statement ({@code peer-as 65000;}); a leaf may
 * carry several values, written {@code next-hop [ a b ];} in the hierarchy and as one {@code set} line per
 * value. Adding a path that exists reuses its nodes, so containers merge as Junos merges them.
 */
final class JunosHierarchy
{
    private final String statement;
    private final List<JunosHierarchy> children = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final boolean leaf;

    private JunosHierarchy(final String statement, final boolean leaf)
    {
        this.statement = statement;
        this.leaf = leaf;
    }

    static JunosHierarchy root()
    {
        return new JunosHierarchy("", false);
    }

    /** The container at {@code path} below this one, made when missing. */
    JunosHierarchy at(final String... path)
    {
        JunosHierarchy node = this;
        for (final String s : path)
        {
            JunosHierarchy next = null;
            for (final JunosHierarchy c : node.children)
            {
                if (!c.leaf && c.statement.equals(s))
                {
                    next = c;
                }
            }
            if (next == null)
            {
                next = new JunosHierarchy(s, false);
                node.children.add(next);
            }
            node = next;
        }
        return node;
    }

    /** Adds the leaf statement {@code statement;} (once). */
    JunosHierarchy leaf(final String statement)
    {
        for (final JunosHierarchy c : children)
        {
            if (c.leaf && c.statement.equals(statement) && c.values.isEmpty())
            {
                return this;
            }
        }
        children.add(new JunosHierarchy(statement, true));
        return this;
    }

    /** Adds {@code value} to the multi-valued leaf {@code keyword} ({@code next-hop [ a b ];}). */
    JunosHierarchy value(final String keyword, final String value)
    {
        for (final JunosHierarchy c : children)
        {
            if (c.leaf && c.statement.equals(keyword) && !c.values.isEmpty())
            {
                if (!c.values.contains(value))
                {
                    c.values.add(value);
                }
                return this;
            }
        }
        final JunosHierarchy v = new JunosHierarchy(keyword, true);
        v.values.add(value);
        children.add(v);
        return this;
    }

    /** The hierarchy form, four spaces per level, as {@code show configuration} prints it. */
    String curly()
    {
        final StringBuilder out = new StringBuilder();
        for (final JunosHierarchy c : children)
        {
            c.curly(out, 0);
        }
        return out.toString();
    }

    private void curly(final StringBuilder out, final int depth)
    {
        final String indent = "    ".repeat(depth);
        if (leaf)
        {
            out.append(indent).append(statement);
            if (values.size() == 1)
            {
                out.append(' ').append(values.get(0));
            }
            else if (values.size() > 1)
            {
                out.append(" [ ").append(String.join(" ", values)).append(" ]");
            }
            out.append(";\n");
            return;
        }
        out.append(indent).append(statement).append(" {\n");
        for (final JunosHierarchy c : children)
        {
            c.curly(out, depth + 1);
        }
        out.append(indent).append("}\n");
    }

    /** The same configuration as {@code set} commands, one per leaf value, in hierarchy order. */
    String setCommands()
    {
        final StringBuilder out = new StringBuilder();
        for (final JunosHierarchy c : children)
        {
            c.set(out, "set");
        }
        return out.toString();
    }

    private void set(final StringBuilder out, final String prefix)
    {
        final String path = prefix + " " + statement;
        if (leaf)
        {
            if (values.isEmpty())
            {
                out.append(path).append('\n');
            }
            for (final String v : values)
            {
                out.append(path).append(' ').append(v).append('\n');
            }
            return;
        }
        if (children.isEmpty())
        {
            out.append(path).append('\n');
        }
        for (final JunosHierarchy c : children)
        {
            c.set(out, path);
        }
    }
}
