package org.vbgw.agent.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every finding of one check, so the operator sees all of them at once instead of fixing
 * one, rerunning, and meeting the next. Findings are kept in file order (line, then column) so the
 * output reads top to bottom like the config.
 */
public final class Diagnostics
{
    private final SourcePositions positions;
    private final List<Diagnostic> found = new ArrayList<>();

    public Diagnostics(final SourcePositions positions)
    {
        this.positions = positions;
    }

    public SourcePositions positions()
    {
        return positions;
    }

    public void error(final String path, final String message)
    {
        found.add(new Diagnostic(Diagnostic.Severity.ERROR, positions.of(path), path, message));
    }

    /** An error at an explicit position, for problems that have no path (a YAML syntax error). */
    public void error(final SourcePosition position, final String path, final String message)
    {
        found.add(new Diagnostic(Diagnostic.Severity.ERROR, position, path, message));
    }

    public void warning(final String path, final String message)
    {
        found.add(new Diagnostic(Diagnostic.Severity.WARNING, positions.of(path), path, message));
    }

    public boolean hasErrors()
    {
        return found.stream().anyMatch(Diagnostic::isError);
    }

    /** Every finding, in file order; stable for findings at the same position. */
    public List<Diagnostic> all()
    {
        final List<Diagnostic> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt((Diagnostic d) -> d.position().line())
            .thenComparingInt(d -> d.position().column()));
        return sorted;
    }

    public List<Diagnostic> errors()
    {
        return all().stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings()
    {
        return all().stream().filter(d -> !d.isError()).toList();
    }
}
