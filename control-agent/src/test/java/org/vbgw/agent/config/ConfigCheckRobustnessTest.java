package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever value stands anywhere in a config, the check reports findings and never throws: an
 * operator gets a message with a line, not a stack trace. Every value of the fixture is replaced
 * in turn by values of the wrong shape and checked.
 */
class ConfigCheckRobustnessTest
{
    private static final List<String> JUNK = List.of("x", "[]", "{}", "~", "-1", "0", "99999999999999999999", "[a, {b: c}]",
        "{local: x, peer: y}", "10.0.0.1/33", "::/0", "'   '");

    @Test
    void noValueMakesTheCheckThrow()
    {
        final String[] lines = ConfigFixture.BASE.split("\n", -1);
        int checked = 0;
        for (int i = 0; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(": ");
            if (colon < 0)
            {
                continue;
            }
            for (final String junk : JUNK)
            {
                final String[] copy = lines.clone();
                copy[i] = lines[i].substring(0, colon + 2) + junk;
                final String yaml = String.join("\n", copy);
                final ConfigCheck check;
                try
                {
                    check = ConfigCheck.of("gw.yaml", yaml);
                }
                catch (final RuntimeException ex)
                {
                    throw new AssertionError("line " + (i + 1) + " as '" + copy[i] + "' threw", ex);
                }
                if (check.ok())
                {
                    assertNotNull(check.config(), "ok without a config for line " + (i + 1) + " '" + copy[i] + "'");
                }
                for (final Diagnostic d : check.diagnostics())
                {
                    assertTrue(d.position().line() >= 1 && d.position().column() >= 1, d.toString());
                    assertFalse(d.message().contains("null"), "a message shows a missing value: " + d);
                }
                checked++;
            }
        }
        if (checked < 300)
        {
            fail("only " + checked + " variants checked");
        }
    }
}
