package org.vbgw.agent.clientconfig;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case renders exactly its golden file, per vendor, so a change to a renderer shows up as a reviewed diff.
 * After an intended change, rewrite them with {@code -Dvbgw.golden.update=true} and read the diff.
 */
class ClientConfigGoldenTest
{
    static Stream<Arguments> casesAndVendors()
    {
        return ClientConfigCases.cases().flatMap(c -> Arrays.stream(Vendor.values()).map(v -> Arguments.of(c, v)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndVendors")
    void rendersItsGoldenFile(final ClientConfigCases.Case c, final Vendor vendor) throws IOException
    {
        final String text = c.render(vendor);
        final var golden = ClientConfigCases.golden(c, vendor);
        if (Boolean.getBoolean("vbgw.golden.update"))
        {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, text, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(golden), "missing golden file " + golden + "; run with -Dvbgw.golden.update=true");
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), text, "rendering differs from " + golden);
    }
}
