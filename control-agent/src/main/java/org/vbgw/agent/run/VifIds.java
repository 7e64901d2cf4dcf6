package org.vbgw.agent.run;

import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which data plane VIF id each configured VIF and VPC attachment has, kept in a file beside the journal.
 * <p>
 * Next hops in the journal name VIFs by id, so an id must mean the same VIF for as long as the journal lives:
 * a reload that adds a VIF in the middle of {@code vifs:} must not renumber the VIFs after it (their next hops,
 * groups and routes would all be written again), and a restart, or a data plane in another process, must find
 * the ids the journal was written with. Names keep their ids; a new name takes the smallest free id; a name no
 * longer configured frees its id. Without a file (first start) ids follow the config's order: VIFs, then VPC
 * attachments. The file is one {@code name id} per line, replaced atomically.
 */
public final class VifIds
{
    private VifIds()
    {
    }

    /** Names in config order: VIFs, then VPC attachments (one id space). */
    static List<String> names(final GatewayConfig config)
    {
        final List<String> names = new ArrayList<>();
        config.vifs().stream().map(VifConfig::name).forEach(names::add);
        config.vpcAttachments().stream().map(VpcAttachment::name).forEach(names::add);
        return names;
    }

    /** The ids for {@code config}, keeping the ones in {@code previous} (name → id) for names still configured. */
    public static Map<String, Integer> assign(final GatewayConfig config, final Map<String, Integer> previous)
    {
        final List<String> names = names(config);
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final BitSet used = new BitSet();
        for (final String name : names)
        {
            final Integer id = previous.get(name);
            if (id != null && !used.get(id))
            {
                ids.put(name, id);
                used.set(id);
            }
        }
        for (final String name : names)
        {
            if (!ids.containsKey(name))
            {
                final int id = used.nextClearBit(0);
                ids.put(name, id);
                used.set(id);
            }
        }
        return ids;
    }

    /** The ids in {@code file}, or an empty map when there is none yet. */
    public static Map<String, Integer> read(final Path file)
    {
        final Map<String, Integer> ids = new LinkedHashMap<>();
        if (!Files.exists(file))
        {
            return ids;
        }
        try
        {
            int line = 0;
            for (final String text : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                line++;
                final String[] f = text.trim().split("\\s+");
                if (f.length == 1 && f[0].isEmpty())
                {
                    continue;
                }
                if (f.length != 2 || !f[1].matches("\\d{1,6}"))
                {
                    throw new IllegalStateException(file + ":" + line + ": expected 'name id', found '" + text +
                        "'; fix or delete the file (ids are then taken from the config's order)");
                }
                ids.put(f[0], Integer.parseInt(f[1]));
            }
            return ids;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the VIF ids in " + file, ex);
        }
    }

    /** Writes the ids (temporary file and rename, so a crash leaves the old file whole). */
    public static void write(final Path file, final Map<String, Integer> ids)
    {
        final StringBuilder text = new StringBuilder();
        ids.forEach((name, id) -> text.append(name).append(' ').append(id).append('\n'));
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the VIF ids to " + file, ex);
        }
    }
}
