package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * One YAML mapping of the config, read through SnakeYAML's node tree so that every value keeps its
 * line and column. It knows the keys its section allows: an unknown key is an error (with a
 * suggestion), a duplicate key is an error (YAML would silently keep the last one), and every
 * typed getter reports a malformed value at the value and returns null, so the loader keeps going
 * and the operator sees every problem of the file at once.
 */
final class YamlMapping
{
    /** Names of gateways, ports, VIFs, attachments, routes (seed 002: 1-64 of these characters). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_DESCRIPTION = 128;

    private final String path;
    private final Diagnostics diagnostics;
    private final Map<String, Node> values = new LinkedHashMap<>();

    private YamlMapping(final String path, final Diagnostics diagnostics)
    {
        this.path = path;
        this.diagnostics = diagnostics;
    }

    /**
     * Reads {@code node} as a mapping with the given allowed keys; reports and returns null when it
     * is not a mapping.
     */
    static YamlMapping read(final Node node, final String path, final Diagnostics diagnostics, final List<String> keys)
    {
        final SourcePositions positions = diagnostics.positions();
        positions.record(path, position(positions, node));
        if (!(node instanceof MappingNode mapping))
        {
            diagnostics.error(path, "expected a mapping of " + String.join(", ", keys) + "; got " + describe(node));
            return null;
        }
        final YamlMapping result = new YamlMapping(path, diagnostics);
        final Map<String, Node> keyNodes = new LinkedHashMap<>();
        for (final NodeTuple tuple : withMerges(mapping, path, diagnostics))
        {
            final Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey))
            {
                diagnostics.error(position(positions, keyNode), path, "a key must be a plain word, not " + describe(keyNode));
                continue;
            }
            final String key = scalarKey.getValue();
            final String keyPath = child(path, key);
            if (keyNodes.containsKey(key))
            {
                diagnostics.error(position(positions, keyNode), keyPath, "duplicate key '" + key +
                    "' (first given at line " + (keyNodes.get(key).getStartMark().getLine() + 1) + ")");
                continue;
            }
            keyNodes.put(key, keyNode);
            if (!keys.contains(key))
            {
                final String suggestion = DidYouMean.suggest(key, keys);
                diagnostics.error(position(positions, keyNode), keyPath, "unknown key '" + key + "'" +
                    (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "; expected one of: " + String.join(", ", keys)));
                continue;
            }
            positions.record(keyPath, position(positions, tuple.getValueNode()));
            result.values.put(key, tuple.getValueNode());
        }
        return result;
    }

    /**
     * The mapping's own entries, then those of any merge key ({@code <<: *timers}) that the mapping
     * does not set itself; of several merged mappings, the first one wins (YAML merge key spec).
     * Merged values keep the position of the anchored text, which is where an operator fixes them.
     */
    private static List<NodeTuple> withMerges(final MappingNode mapping, final String path, final Diagnostics diagnostics)
    {
        final List<NodeTuple> own = new ArrayList<>();
        final List<NodeTuple> merged = new ArrayList<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            if (!Tag.MERGE.equals(tuple.getKeyNode().getTag()))
            {
                own.add(tuple);
                continue;
            }
            final Node value = tuple.getValueNode();
            final List<Node> sources = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
            for (final Node source : sources)
            {
                if (source instanceof MappingNode m)
                {
                    merged.addAll(withMerges(m, path, diagnostics));
                }
                else
                {
                    diagnostics.error(position(diagnostics.positions(), source), child(path, "<<"),
                        "a merge key needs a mapping or a list of mappings; got " + describe(source));
                }
            }
        }
        final Set<String> seen = new HashSet<>();
        own.forEach(t -> seen.add(keyText(t)));
        for (final NodeTuple tuple : merged)
        {
            if (seen.add(keyText(tuple)))
            {
                own.add(tuple);
            }
        }
        return own;
    }

    private static String keyText(final NodeTuple tuple)
    {
        return tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
    }

    String path()
    {
        return path;
    }

    String pathOf(final String key)
    {
        return child(path, key);
    }

    boolean has(final String key)
    {
        final Node node = values.get(key);
        return node != null && !isNull(node);
    }

    /** Reports a missing required key at the enclosing mapping. */
    boolean require(final String key)
    {
        if (has(key))
        {
            return true;
        }
        diagnostics.error(pathOf(key), "missing required key '" + key + "'");
        return false;
    }

    /** A scalar as text, or null when absent, null, or not a scalar (reported). */
    String string(final String key)
    {
        final Node node = values.get(key);
        if (node == null || isNull(node))
        {
            return null;
        }
        if (!(node instanceof ScalarNode scalar))
        {
            diagnostics.error(pathOf(key), "expected a single value; got " + describe(node));
            return null;
        }
        return scalar.getValue();
    }

    String requiredString(final String key)
    {
        return require(key) ? string(key) : null;
    }

    /** A name: 1-64 letters, digits, '_' or '-'. */
    String name(final String key, final boolean required)
    {
        final String text = required ? requiredString(key) : string(key);
        if (text != null && !NAME.matcher(text).matches())
        {
            diagnostics.error(pathOf(key), "name '" + text + "' is invalid: use 1-64 letters, digits, '_' or '-'");
            return null;
        }
        return text;
    }

    /** A free text of at most 128 characters (seed 002), or null. */
    String description(final String key)
    {
        final String text = string(key);
        if (text != null && text.length() > MAX_DESCRIPTION)
        {
            diagnostics.error(pathOf(key), "description is " + text.length() + " characters long; at most " +
                MAX_DESCRIPTION + " are allowed");
        }
        return text;
    }

    /** A whole number in {@code min..max}; {@code fallback} when absent; null when malformed (reported). */
    Long number(final String key, final String label, final long min, final long max, final Long fallback)
    {
        final String text = string(key);
        if (text == null)
        {
            return values.containsKey(key) && !isNull(values.get(key)) ? null : fallback;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            diagnostics.error(pathOf(key), label + " must be a whole number; got '" + text + "'");
            return null;
        }
        if (value < min || value > max)
        {
            diagnostics.error(pathOf(key), label + " " + value + " out of range " + min + ".." + max);
            return null;
        }
        return value;
    }

    Integer integer(final String key, final String label, final int min, final int max, final Integer fallback)
    {
        final Long value = number(key, label, min, max, fallback == null ? null : fallback.longValue());
        return value == null ? null : value.intValue();
    }

    /** A route prefix with host bits clear, or null. */
    IpPrefix prefix(final String key)
    {
        final String text = string(key);
        return text == null ? null : parsePrefix(text, pathOf(key), diagnostics);
    }

    /** A host address without /length, or null. */
    IpPrefix address(final String key)
    {
        final String text = string(key);
        if (text == null)
        {
            return null;
        }
        try
        {
            return Addresses.parseHost(text);
        }
        catch (final IllegalArgumentException ex)
        {
            diagnostics.error(pathOf(key), ex.getMessage());
            return null;
        }
    }

    /** An interface address {@code ADDRESS/LENGTH}, or null. */
    InterfaceAddress interfaceAddress(final String key)
    {
        final String text = string(key);
        if (text == null)
        {
            return null;
        }
        try
        {
            return InterfaceAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            diagnostics.error(pathOf(key), ex.getMessage());
            return null;
        }
    }

    /** A nested mapping, or null when absent or malformed (reported). */
    YamlMapping mapping(final String key, final List<String> keys)
    {
        final Node node = values.get(key);
        return node == null || isNull(node) ? null : read(node, pathOf(key), diagnostics, keys);
    }

    /** Calls {@code each} with every item of a list and its path; reports a value that is not a list. */
    void forEach(final String key, final BiConsumer<Node, String> each)
    {
        final Node node = values.get(key);
        if (node == null || isNull(node))
        {
            return;
        }
        if (!(node instanceof SequenceNode sequence))
        {
            diagnostics.error(pathOf(key), "expected a list ('- item' lines or [a, b]); got " + describe(node));
            return;
        }
        final List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++)
        {
            final String itemPath = pathOf(key) + "[" + i + "]";
            diagnostics.positions().record(itemPath, position(diagnostics.positions(), items.get(i)));
            each.accept(items.get(i), itemPath);
        }
    }

    /** A list of CIDR blocks; malformed items are reported and left out. */
    List<CidrBlock> cidrs(final String key)
    {
        final List<CidrBlock> result = new ArrayList<>();
        forEach(key, (node, itemPath) ->
        {
            if (!(node instanceof ScalarNode scalar) || isNull(node))
            {
                diagnostics.error(itemPath, "expected a CIDR block such as 10.0.0.0/16; got " + describe(node));
                return;
            }
            final IpPrefix prefix = parsePrefix(scalar.getValue(), itemPath, diagnostics);
            if (prefix != null)
            {
                result.add(new CidrBlock(itemPath, prefix));
            }
        });
        return List.copyOf(result);
    }

    static IpPrefix parsePrefix(final String text, final String path, final Diagnostics diagnostics)
    {
        if (text.indexOf('/') < 0)
        {
            diagnostics.error(path, "'" + text + "' has no /length: write a CIDR block such as 10.0.0.0/16");
            return null;
        }
        try
        {
            return IpPrefix.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            diagnostics.error(path, ex.getMessage());
            return null;
        }
    }

    static String child(final String parent, final String key)
    {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static boolean isNull(final Node node)
    {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static SourcePosition position(final SourcePositions positions, final Node node)
    {
        return new SourcePosition(positions.file(), node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    static String describe(final Node node)
    {
        if (node instanceof MappingNode)
        {
            return "a mapping";
        }
        if (node instanceof SequenceNode)
        {
            return "a list";
        }
        if (isNull(node))
        {
            return "nothing";
        }
        return "'" + ((ScalarNode)node).getValue() + "'";
    }
}
