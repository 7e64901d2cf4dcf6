package org.vbgw.agent.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The position of every value the loader read, keyed by its path ({@code vifs[1].vlan}).
 * <p>
 * The model records stay plain values; this side table is how a rule that compares two fields
 * (a remote subnet against a VPC CIDR) still points the operator at the exact line. A path that
 * was never read (a missing key, a default) resolves to its nearest recorded ancestor, so every
 * finding has a position.
 */
public final class SourcePositions
{
    private final String file;
    private final Map<String, SourcePosition> byPath = new HashMap<>();

    public SourcePositions(final String file)
    {
        this.file = file;
    }

    public String file()
    {
        return file;
    }

    void record(final String path, final SourcePosition position)
    {
        byPath.putIfAbsent(path, position);
    }

    /** The position of {@code path}, or of its closest recorded ancestor, or line 1 column 1. */
    public SourcePosition of(final String path)
    {
        String p = path;
        while (true)
        {
            final SourcePosition found = byPath.get(p);
            if (found != null)
            {
                return found;
            }
            if (p.isEmpty())
            {
                return new SourcePosition(file, 1, 1);
            }
            p = parent(p);
        }
    }

    private static String parent(final String path)
    {
        final int dot = path.lastIndexOf('.');
        final int bracket = path.lastIndexOf('[');
        final int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
