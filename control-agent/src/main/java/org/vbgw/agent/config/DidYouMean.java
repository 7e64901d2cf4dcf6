package org.vbgw.agent.config;

import java.util.Collection;
import java.util.Locale;

/**
 * Suggests the known word an unknown one was probably meant to be: {@code vlna} → {@code vlan},
 * {@code peer_asn} or {@code peerAsn} → {@code peer-asn}. A typo that is silently ignored is a
 * config that does something other than what its author believes, so unknown keys are errors, and
 * the suggestion makes them cheap to fix.
 */
public final class DidYouMean
{
    private DidYouMean()
    {
    }

    /** The closest candidate, or null when none is close enough to be a plausible typo. */
    public static String suggest(final String word, final Collection<String> candidates)
    {
        final String normalized = normalize(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates)
        {
            if (normalize(candidate).equals(normalized))
            {
                return candidate;
            }
            final int d = distance(word.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        // Two edits catch transpositions and a dropped letter; more than a third of the word is a
        // different word, and suggesting it would mislead.
        final int allowed = Math.min(2, Math.max(1, word.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    private static String normalize(final String s)
    {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
    static int distance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
