package org.vbgw.agent.frr;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * FRR itself reads every config {@link FrrConfig} renders from the examples: each daemon's dry run
 * ({@code -C}, with the modules it is started with) reports no line it does not understand. FRR's dry run exits
 * 0 either way, so its log is what is checked.
 */
class FrrConfigIT
{
    @ParameterizedTest
    @ValueSource(strings = {"active-standby", "direct-vpn-backup", "single-point-of-failure"})
    void frrAcceptsEveryLine(final String example) throws Exception
    {
        final FrrConfig frr = FrrConfig.render(FrrConfigTest.example(example), FrrConfig.Fpm.DEFAULT);
        final Path dir = Files.createTempDirectory("vbgw-frr-dry");
        try
        {
            for (final FrrDaemon d : frr.toRun())
            {
                final Path conf = dir.resolve(d.name() + ".conf");
                Files.writeString(conf, d.config());
                final List<String> command = new ArrayList<>(List.of(FrrDaemons.DEFAULT_BINARIES.resolve(d.name()).toString(),
                    "-C", "-f", conf.toString(), "--log", "stdout", "-u", FrrDaemons.FRR_USER, "-g", FrrDaemons.FRR_USER));
                command.addAll(d.arguments());
                final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                final String out = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), out);
                assertFalse(out.contains("No such command") || out.contains("Unknown command") || out.contains("% "),
                    d.name() + " rejects part of its config:\n" + out + "\n--- config\n" + d.config());
            }
        }
        finally
        {
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
