package org.vbgw.agent.http;

import org.vbgw.agent.run.ConfigReload;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /api/reload}: applies a changed config to the running gateway, as {@code vbgw reload} and SIGHUP
 * do. An empty body re-reads the gateway's own config file; a body is taken as the whole new config (YAML).
 * The answer is the {@link ConfigReload.Report} as JSON; a refused reload is a 400 listing every reason, and
 * changed nothing. {@code GET /api/reload} shows the last reload's report.
 */
public final class ReloadApi
{
    private ReloadApi()
    {
    }

    public static void register(final ApiServer server, final Path configFile, final ConfigReload.Target target)
    {
        final AtomicReference<String> last = new AtomicReference<>("{}");
        server.mutation("reload", last::get, (method, query, body) ->
        {
            if (!"POST".equals(method))
            {
                throw new IllegalArgumentException(method + " /api/reload: use POST (empty body: re-read " + configFile + ")");
            }
            final String json = ConfigReload.apply(configFile, body, target).toJson();
            last.set(json);
            return json;
        });
    }
}
