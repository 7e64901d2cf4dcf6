package org.vbgw.perf.e2e;

/**
 * The measured window of one run, as the generator and the sink share it: the first sequence number sent in
 * the window. Until the generator reaches the window it is {@link Long#MAX_VALUE}, so the sink counts nothing
 * sent during warm-up.
 * <p>
 * Written once by the generator thread (volatile store) before it sends that frame; read by the sink thread
 * for every frame (volatile load, a plain load on x86): a frame cannot reach the sink before the store that
 * precedes its send, so no frame of the window is missed.
 */
final class EndToEndWindow
{
    private volatile long startSeq = Long.MAX_VALUE;

    void startSeq(final long seq)
    {
        startSeq = seq;
    }

    long startSeq()
    {
        return startSeq;
    }
}
