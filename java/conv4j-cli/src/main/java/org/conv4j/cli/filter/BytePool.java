package org.conv4j.cli.filter;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays of one length handed from the tone map to the encoders and back, so a long run reuses the
 * same few arrays instead of leaving one image-sized array per output to the garbage collector.
 * Holds at most {@code capacity} free arrays; thread-safe.
 */
final class BytePool {
    private final ArrayBlockingQueue<byte[]> free;
    private volatile int length = -1;

    BytePool(int capacity) {
        free = new ArrayBlockingQueue<>(capacity);
    }

    /** A free array of {@code n} bytes (contents undefined), or a new one. */
    byte[] take(int n) {
        if (n != length) { // another image size: the pooled arrays no longer fit
            free.clear();
            length = n;
        }
        byte[] b = free.poll();
        return b != null && b.length == n ? b : new byte[n];
    }

    /** Returns {@code b} for reuse (dropped when the pool is full or holds another length). */
    void give(byte[] b) {
        if (b.length == length) free.offer(b);
    }
}
