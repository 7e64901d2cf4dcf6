package org.vbgw.agent.config;

/**
 * One finding about a config: an error (the gateway must not start with it) or a warning (it runs,
 * but something an operator should know, such as a single point of failure).
 * <p>
 * Printed as {@code FILE:LINE:COL: path.to.field: message}; warnings carry {@code warning: } before
 * the message so that a grep for the path finds both, and a grep for {@code warning:} only these.
 */
public record Diagnostic(Severity severity, SourcePosition position, String path, String message)
{
    /** How bad a finding is. */
    public enum Severity
    {
        ERROR, WARNING
    }

    public boolean isError()
    {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString()
    {
        final String where = path.isEmpty() ? "" : path + ": ";
        final String kind = severity == Severity.WARNING ? "warning: " : "";
        return position + ": " + where + kind + message;
    }
}
