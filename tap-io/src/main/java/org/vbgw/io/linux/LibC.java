package org.vbgw.io.linux;

import jnr.ffi.annotations.IgnoreError;

/**
 * The libc functions the ports call, bound by JNR-FFI. Pointers are passed as {@code long} addresses
 * (of off-heap Agrona buffers), which JNR passes unchanged in a 64-bit register.
 * <p>
 * JNR-FFI 2.2.17 passes a garbage sixth integer argument to functions with exactly six parameters
 * (jnr/jnr-ffi#181), so none is bound here: {@code mmap} goes through {@link #syscall} (seven
 * parameters, unaffected) and {@code sendto}/{@code recvfrom} are replaced by {@code send}/{@code recv}
 * on a bound socket. Errno is read with {@link Native#errno()} right after the failed call, before any
 * other call that records errno.
 */
public interface LibC
{
    int socket(int domain, int type, int protocol);

    int bind(int fd, long address, int addressLength);

    int setsockopt(int fd, int level, int option, long value, int valueLength);

    int getsockopt(int fd, int level, int option, long value, long valueLengthPointer);

    int ioctl(int fd, long request, long argument);

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, long buffer, long count);

    long write(int fd, long buffer, long count);

    long send(int fd, long buffer, long length, int flags);

    long recv(int fd, long buffer, long length, int flags);

    int poll(long pollFds, long count, int timeoutMs);

    /** The raw system call; used for mmap (six arguments would be garbled if bound directly). */
    long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    int munmap(long address, long length);

    int setns(int fd, int namespaceType);

    @IgnoreError
    int if_nametoindex(String name);

    @IgnoreError
    String strerror(int errno);
}
