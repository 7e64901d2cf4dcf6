package org.vbgw.perf.io;

import org.vbgw.io.lab.Netns;

/**
 * Two network namespaces joined by two veth pairs (generator to device under test, and device under test
 * back to a sink in the generator's namespace; offloads and IPv6 off), created with unique names for one
 * benchmark run and deleted at its end (or by {@link Netns}'s shutdown hook). {@link #enterGenerator()} and
 * {@link #enterDut()} move the calling thread into a namespace (setns) so sockets opened there live in it.
 */
final class VethLab implements AutoCloseable
{
    final String generatorIf;
    final String dutIf;
    /** Second pair: the device under test forwards out of {@link #dutOutIf} to {@link #sinkIf}. */
    final String dutOutIf;
    final String sinkIf;
    private final Netns generator;
    private final Netns dut;

    VethLab(final int mtu)
    {
        generator = Netns.create("vbgw-bgen");
        try
        {
            dut = Netns.create("vbgw-bdut");
        }
        catch (final RuntimeException ex)
        {
            generator.close();
            throw ex;
        }
        final String id = Netns.suffix(6);
        generatorIf = "bg" + id;
        dutIf = "bd" + id;
        dutOutIf = "bo" + id;
        sinkIf = "bs" + id;
        generator.veth(generatorIf, dut, dutIf, mtu);
        dut.veth(dutOutIf, generator, sinkIf, mtu);
    }

    /** Moves this thread into the generator namespace; returns a handle that moves it back on close. */
    AutoCloseable enterGenerator()
    {
        return generator.enter();
    }

    /** Moves this thread into the device-under-test namespace. */
    AutoCloseable enterDut()
    {
        return dut.enter();
    }

    @Override
    public void close()
    {
        dut.close();
        generator.close();
    }
}
