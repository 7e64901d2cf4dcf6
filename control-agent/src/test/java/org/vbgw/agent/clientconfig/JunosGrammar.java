package org.vbgw.agent.clientconfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checker of the Junos statements {@code client-config --vendor junos|junos-set} may write. It reads the
 * hierarchy form on its own (its own tokenizer: comments, quoted strings, braces, {@code [ ]} lists), refusing
 * unbalanced braces or a statement without its {@code ;}, flattens it into {@code set} commands the way Junos
 * does ({@code show configuration | display set}), and checks every {@code set} line against the documented
 * statement forms, with values in their documented ranges and every referenced policy and prefix list defined.
 * There is no Junos to run here; this is the documented syntax, written down.
 * <p>
 * Checked against (Junos OS, current documentation at https://www.juniper.net/documentation/):
 * <ul>
 *   <li>CLI User Guide, "Load Configuration Files" and "Display set Commands from the Configuration": the
 *       hierarchy form and the {@code set} form are one configuration.</li>
 *   <li>Ethernet Interfaces: {@code vlan-tagging}, {@code flexible-vlan-tagging}, {@code unit}, {@code vlan-id}
 *       (1-4094), {@code vlan-tags outer <tpid.>vlan-id inner <tpid.>vlan-id}, {@code family inet address},
 *       {@code family inet6 address}, {@code description}.</li>
 *   <li>BGP User Guide: {@code group}, {@code type external}, {@code peer-as}, {@code hold-time} (3-65535),
 *       {@code authentication-key}, {@code import}, {@code export}, {@code neighbor ... family inet|inet6
 *       unicast}, {@code bfd-liveness-detection} ({@code minimum-receive-interval} 1-255000 ms,
 *       {@code multiplier} 1-255, {@code transmit-interval minimum-interval} 1-255000 ms).</li>
 *   <li>Routing Policies: {@code policy-statement ... term ... from route-filter prefix exact|orlonger|longer},
 *       {@code from prefix-list-filter name exact|orlonger|longer}, {@code then accept|reject},
 *       {@code then as-path-prepend "as-path"}, {@code prefix-list}.</li>
 *   <li>Static Routing: {@code routing-options static route prefix discard|next-hop address|preference},
 *       {@code rib inet6.0 static}, {@code router-id}, {@code autonomous-system}.</li>
 * </ul>
 */
final class JunosGrammar
{
    private static final String NAME = "[A-Za-z][A-Za-z0-9_.-]{0,62}";
    private static final String QUOTED = "\"(?:[^\"\\\\]|\\\\.)*\"";
    private static final String V4 = "\\d{1,3}(?:\\.\\d{1,3}){3}";
    private static final String V6 = "[0-9a-fA-F:]*:[0-9a-fA-F:.]*";
    private static final String PREFIX = "(?:" + V4 + "/\\d{1,2}|" + V6 + "/\\d{1,3})";
    private static final String IFD = "(?:ge|xe|et|ae)-\\d+/\\d+/\\d+|ae\\d+";

    /** Documented {@code set} forms; the groups are checked for ranges and references below. */
    private static final List<Pattern> FORMS = List.of(
        p("set interfaces (" + IFD + ") (vlan-tagging|flexible-vlan-tagging)"),
        p("set interfaces (" + IFD + ") unit (\\d+) description " + QUOTED),
        p("set interfaces (" + IFD + ") unit (\\d+) vlan-id (\\d+)"),
        p("set interfaces (" + IFD + ") unit (\\d+) vlan-tags outer (?:(0x8100|0x88a8|0x9100|0x9200)\\.)?(\\d+) " +
            "inner (?:0x8100\\.)?(\\d+)"),
        p("set interfaces (" + IFD + ") unit (\\d+) family inet address (" + V4 + ")/(\\d+)"),
        p("set interfaces (" + IFD + ") unit (\\d+) family inet6 address (" + V6 + ")/(\\d+)"),
        p("set routing-options router-id (" + V4 + ")"),
        p("set routing-options autonomous-system (\\d+)"),
        p("set routing-options static route (" + V4 + "/\\d+) (discard|preference (\\d+)|next-hop (" + V4 + "))"),
        p("set routing-options rib inet6\\.0 static route (" + V6 + "/\\d+) (discard|preference (\\d+)|next-hop (" +
            V6 + "))"),
        p("set policy-options prefix-list (" + NAME + ") (" + PREFIX + ")"),
        p("set policy-options policy-statement (" + NAME + ") term (" + NAME + ") from route-filter (" + PREFIX +
            ") (exact|orlonger|longer)"),
        p("set policy-options policy-statement (" + NAME + ") term (" + NAME + ") from prefix-list-filter (" + NAME +
            ") (exact|orlonger|longer)"),
        p("set policy-options policy-statement (" + NAME + ") term (" + NAME + ") then (accept|reject)"),
        p("set policy-options policy-statement (" + NAME + ") term (" + NAME + ") then as-path-prepend " +
            "\"(\\d+(?: \\d+)*)\""),
        p("set protocols bgp group (" + NAME + ") type (external|internal)"),
        p("set protocols bgp group (" + NAME + ") description " + QUOTED),
        p("set protocols bgp group (" + NAME + ") peer-as (\\d+)"),
        p("set protocols bgp group (" + NAME + ") hold-time (\\d+)"),
        p("set protocols bgp group (" + NAME + ") authentication-key " + QUOTED),
        p("set protocols bgp group (" + NAME + ") (import|export) (" + NAME + ")"),
        p("set protocols bgp group (" + NAME + ") bfd-liveness-detection minimum-receive-interval (\\d+)"),
        p("set protocols bgp group (" + NAME + ") bfd-liveness-detection multiplier (\\d+)"),
        p("set protocols bgp group (" + NAME + ") bfd-liveness-detection transmit-interval minimum-interval (\\d+)"),
        p("set protocols bgp group (" + NAME + ") neighbor (" + V4 + "|" + V6 + ") family (inet|inet6) unicast"));

    private JunosGrammar()
    {
    }

    private static Pattern p(final String regex)
    {
        return Pattern.compile(regex);
    }

    /**
     * The hierarchy form as {@code set} commands, in order.
     *
     * @throws IllegalArgumentException on unbalanced braces, a missing {@code ;}, an unterminated string or list
     */
    static List<String> flatten(final String curly)
    {
        final List<String> tokens = tokens(curly);
        final List<String> out = new ArrayList<>();
        final int end = block(tokens, 0, new ArrayList<>(), out);
        if (end != tokens.size())
        {
            throw new IllegalArgumentException("unbalanced '}' at token " + end);
        }
        return out;
    }

    private static int block(final List<String> tokens, final int start, final List<String> path, final List<String> out)
    {
        int i = start;
        while (i < tokens.size() && !tokens.get(i).equals("}"))
        {
            final List<String> words = new ArrayList<>();
            List<String> list = null;
            while (true)
            {
                if (i >= tokens.size())
                {
                    throw new IllegalArgumentException("statement '" + String.join(" ", words) + "' not terminated");
                }
                final String t = tokens.get(i++);
                if (t.equals(";"))
                {
                    final String base = "set " + join(path, words);
                    if (list == null)
                    {
                        out.add(base);
                    }
                    else
                    {
                        list.forEach(v -> out.add(base + " " + v));
                    }
                    break;
                }
                if (t.equals("{"))
                {
                    if (list != null)
                    {
                        throw new IllegalArgumentException("a [ ] list cannot open a block");
                    }
                    final List<String> inner = new ArrayList<>(path);
                    inner.add(String.join(" ", words));
                    final int before = out.size();
                    i = block(tokens, i, inner, out);
                    if (i >= tokens.size() || !tokens.get(i).equals("}"))
                    {
                        throw new IllegalArgumentException("'{' of '" + String.join(" ", inner) + "' never closed");
                    }
                    i++;
                    if (out.size() == before)
                    {
                        out.add("set " + String.join(" ", inner));
                    }
                    break;
                }
                if (t.equals("["))
                {
                    list = new ArrayList<>();
                    while (i < tokens.size() && !tokens.get(i).equals("]"))
                    {
                        list.add(tokens.get(i++));
                    }
                    if (i >= tokens.size())
                    {
                        throw new IllegalArgumentException("'[' never closed");
                    }
                    i++;
                    continue;
                }
                if (t.equals("}") || t.equals("]"))
                {
                    throw new IllegalArgumentException("'" + t + "' inside statement '" + String.join(" ", words) + "'");
                }
                words.add(t);
            }
        }
        return i;
    }

    private static String join(final List<String> path, final List<String> words)
    {
        final List<String> all = new ArrayList<>(path);
        all.addAll(words);
        return String.join(" ", all);
    }

    private static List<String> tokens(final String text)
    {
        final List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length())
        {
            final char c = text.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (text.startsWith("/*", i))
            {
                final int end = text.indexOf("*/", i + 2);
                if (end < 0)
                {
                    throw new IllegalArgumentException("comment never closed");
                }
                i = end + 2;
            }
            else if (c == '#')
            {
                final int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            }
            else if (c == '{' || c == '}' || c == ';' || c == '[' || c == ']')
            {
                tokens.add(String.valueOf(c));
                i++;
            }
            else if (c == '"')
            {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != '"')
                {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= text.length())
                {
                    throw new IllegalArgumentException("string never closed");
                }
                tokens.add(text.substring(i, j + 1));
                i = j + 1;
            }
            else
            {
                int j = i;
                while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "{};[]\"".indexOf(text.charAt(j)) < 0)
                {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }

    /** Every {@code set} line that is not a documented form or breaks a range or reference; empty when fine. */
    static List<String> violations(final List<String> setLines)
    {
        final List<String> bad = new ArrayList<>();
        final Set<String> policies = new HashSet<>();
        final Set<String> prefixLists = new HashSet<>();
        final Set<String> policyRefs = new HashSet<>();
        final Set<String> prefixListRefs = new HashSet<>();
        final Set<String> tagged = new HashSet<>();
        final Set<String> taggedUnits = new HashSet<>();
        String localAs = null;
        final List<String> peerAs = new ArrayList<>();
        for (final String line : setLines)
        {
            Matcher m = null;
            int form = -1;
            for (int f = 0; f < FORMS.size(); f++)
            {
                final Matcher candidate = FORMS.get(f).matcher(line);
                if (candidate.matches())
                {
                    m = candidate;
                    form = f;
                    break;
                }
            }
            if (m == null)
            {
                bad.add("'" + line + "': not a documented statement form");
                continue;
            }
            switch (form)
            {
                case 0 -> tagged.add(m.group(1));
                case 1, 4, 5 -> range(bad, line, m.group(2), 0, 16385, "unit");
                case 2 ->
                {
                    range(bad, line, m.group(2), 0, 16385, "unit");
                    range(bad, line, m.group(3), 1, 4094, "vlan-id");
                    taggedUnits.add(m.group(1));
                }
                case 3 ->
                {
                    range(bad, line, m.group(2), 0, 16385, "unit");
                    range(bad, line, m.group(4), 1, 4094, "outer vlan-id");
                    range(bad, line, m.group(5), 1, 4094, "inner vlan-id");
                    taggedUnits.add(m.group(1));
                }
                case 7 ->
                {
                    range(bad, line, m.group(1), 1, 4294967295L, "autonomous-system");
                    localAs = m.group(1);
                }
                case 8, 9 ->
                {
                    if (m.group(3) != null)
                    {
                        range(bad, line, m.group(3), 0, 4294967295L, "preference");
                    }
                }
                case 10 -> prefixLists.add(m.group(1));
                case 12 ->
                {
                    policies.add(m.group(1));
                    prefixListRefs.add(m.group(3));
                }
                case 11, 13, 14 -> policies.add(m.group(1));
                case 17 ->
                {
                    range(bad, line, m.group(2), 1, 4294967295L, "peer-as");
                    peerAs.add(m.group(2));
                }
                case 18 -> range(bad, line, m.group(2), 3, 65535, "hold-time");
                case 20 -> policyRefs.add(m.group(3));
                case 21, 23 -> range(bad, line, m.group(2), 1, 255000, "BFD interval (ms)");
                case 22 -> range(bad, line, m.group(2), 1, 255, "BFD multiplier");
                default ->
                {
                }
            }
        }
        for (final String ifd : taggedUnits)
        {
            if (!tagged.contains(ifd))
            {
                bad.add(ifd + " has VLAN units but no vlan-tagging or flexible-vlan-tagging");
            }
        }
        policyRefs.stream().filter(r -> !policies.contains(r)).forEach(r -> bad.add("policy " + r + " is not defined"));
        prefixListRefs.stream().filter(r -> !prefixLists.contains(r))
            .forEach(r -> bad.add("prefix-list " + r + " is not defined"));
        for (final String as : peerAs)
        {
            if (as.equals(localAs))
            {
                bad.add("peer-as " + as + " equals the local autonomous-system: not an external group");
            }
        }
        return bad;
    }

    private static void range(final List<String> bad, final String line, final String value, final long min,
        final long max, final String what)
    {
        final long v = Long.parseLong(value);
        if (v < min || v > max)
        {
            bad.add("'" + line + "': " + what + " " + v + " out of " + min + ".." + max);
        }
    }
}
