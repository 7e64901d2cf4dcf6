package org.vbgw.io.linux;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

import org.vbgw.io.PortException;

/**
 * The loaded {@link LibC} binding, errno access and the Linux constants the ports use (x86-64 and
 * aarch64 share all of them). Loaded once per JVM.
 */
public final class Native
{
    /** The libc binding; safe to call from any thread. */
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int MSG_DONTWAIT = 0x40;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOBUFS = 105;

    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;

    public static final int SIOCGIFFLAGS = 0x8913;
    public static final int SIOCSIFFLAGS = 0x8914;
    public static final int SIOCGIFMTU = 0x8921;
    public static final int SIOCSIFMTU = 0x8922;
    public static final int SIOCSIFHWADDR = 0x8924;
    public static final int SIOCGIFHWADDR = 0x8927;
    public static final int SIOCGIFINDEX = 0x8933;
    public static final int SIOCETHTOOL = 0x8946;

    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;
    public static final int ARPHRD_ETHER = 1;

    public static final long SYS_MMAP = 9;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;

    public static final int CLONE_NEWNET = 0x40000000;

    private Native()
    {
    }

    /** The errno of the last call on this thread that records it; read it right after that call. */
    public static int errno()
    {
        return RUNTIME.getLastError();
    }

    /** "No such device (errno 19)". */
    public static String describe(final int errno)
    {
        return LIBC.strerror(errno) + " (errno " + errno + ")";
    }

    /** A {@link PortException} for a failed call, with the current errno and its text. */
    public static PortException failure(final String interfaceName, final String operation)
    {
        final int errno = errno();
        return failure(interfaceName, operation, errno);
    }

    /** A {@link PortException} for a failed call with the given errno. */
    public static PortException failure(final String interfaceName, final String operation, final int errno)
    {
        String hint = "";
        if (errno == 1 || errno == 13)
        {
            hint = "; needs root or CAP_NET_RAW/CAP_NET_ADMIN";
        }
        else if (errno == 19)
        {
            hint = "; no such interface in this network namespace";
        }
        return new PortException(interfaceName, operation + " failed: " + describe(errno) + hint, errno);
    }

    /** Closes {@code fd} if it is open, ignoring errors: for cleanup after a failure. */
    public static void closeQuietly(final int fd)
    {
        if (fd >= 0)
        {
            LIBC.close(fd);
        }
    }

    /** Host to network byte order for a 16-bit value. */
    public static int htons(final int value)
    {
        return ((value & 0xFF) << 8) | ((value >>> 8) & 0xFF);
    }
}
