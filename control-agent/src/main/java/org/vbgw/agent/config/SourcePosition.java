package org.vbgw.agent.config;

/**
 * Where a value sits in a config file: the file name as the operator gave it, and a 1-based line
 * and column, the way compilers and editors count (SnakeYAML's {@code Mark} counts from 0).
 */
public record SourcePosition(String file, int line, int column)
{
    @Override
    public String toString()
    {
        return file + ":" + line + ":" + column;
    }
}
