package org.vbgw.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole check of one config file, as {@code vbgw check} runs it (and anything that is about to
 * act on a config should): load
 * (types, ranges, unknown keys), validate (rules across values), and, only when there is no error,
 * the redundancy lint (warnings and failover estimates; a broken config's warnings would be noise).
 *
 * @param file   the file name as the operator gave it; it prefixes every finding
 * @param config the loaded config, or null when the file is not YAML or not a mapping
 * @param paths  each path's failover estimate; empty when there were errors
 */
public record ConfigCheck(String file, GatewayConfig config, List<Diagnostic> diagnostics, List<PathReport> paths)
{
    public static ConfigCheck of(final Path file) throws IOException
    {
        return of(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static ConfigCheck of(final String file, final String text)
    {
        final Diagnostics diagnostics = new Diagnostics(new SourcePositions(file));
        final GatewayConfig config = ConfigLoader.load(text, diagnostics);
        List<PathReport> paths = List.of();
        if (config != null)
        {
            ConfigValidator.validate(config, diagnostics);
            if (!diagnostics.hasErrors())
            {
                paths = RedundancyLint.lint(config, diagnostics);
            }
        }
        return new ConfigCheck(file, config, diagnostics.all(), paths);
    }

    public boolean ok()
    {
        return errors().isEmpty();
    }

    public List<Diagnostic> errors()
    {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings()
    {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
