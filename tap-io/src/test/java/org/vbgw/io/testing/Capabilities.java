package org.vbgw.io.testing;

import static org.vbgw.io.linux.Native.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.linux.Native;

/**
 * Runs code on a fresh thread whose effective capabilities lack some bits, to test what an unprivileged
 * caller sees. Linux capabilities are per thread (capset(2) acts on the calling thread only), so the rest
 * of the JVM keeps its privileges, and the thread ends afterwards.
 */
public final class Capabilities
{
    /** CAP_NET_ADMIN: interface configuration, TAP creation. */
    public static final int CAP_NET_ADMIN = 12;
    /** CAP_NET_RAW: AF_PACKET sockets. */
    public static final int CAP_NET_RAW = 13;

    private static final long SYS_CAPGET = 125;
    private static final long SYS_CAPSET = 126;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private Capabilities()
    {
    }

    /** Runs {@code action} on a new thread without the given capabilities; returns what it threw, or null. */
    public static Throwable runWithout(final Runnable action, final int... capabilities) throws InterruptedException
    {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                drop(capabilities);
                action.run();
            }
            catch (final Throwable t)
            {
                thrown.set(t);
            }
        }, "without-capabilities");
        thread.start();
        thread.join();
        return thrown.get();
    }

    private static void drop(final int... capabilities)
    {
        // struct __user_cap_header_struct {u32 version; int pid;} then two
        // struct __user_cap_data_struct {u32 effective, permitted, inheritable;} (bits 0-31, 32-63).
        final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder()));
        memory.putInt(0, LINUX_CAPABILITY_VERSION_3);
        memory.putInt(4, 0);
        if (LIBC.syscall(SYS_CAPGET, memory.addressOffset(), memory.addressOffset() + 8, 0, 0, 0, 0) != 0)
        {
            throw new IllegalStateException("capget: " + Native.describe(Native.errno()));
        }
        int effective = memory.getInt(8);
        for (final int capability : capabilities)
        {
            effective &= ~(1 << capability);
        }
        memory.putInt(8, effective);
        memory.putInt(0, LINUX_CAPABILITY_VERSION_3);
        memory.putInt(4, 0);
        if (LIBC.syscall(SYS_CAPSET, memory.addressOffset(), memory.addressOffset() + 8, 0, 0, 0, 0) != 0)
        {
            throw new IllegalStateException("capset: " + Native.describe(Native.errno()));
        }
    }
}
