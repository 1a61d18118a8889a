package org.conv4j.io;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel of {@code size} bytes: {@code head}, then zeros. Holds no more than {@code head},
 * so a test can read a file of any size, and a fuzzer needs no file per input.
 */
final class MemoryChannel implements SeekableByteChannel {
    private static final byte[] ZEROS = new byte[1 << 16];
    private final byte[] head;
    private final long size;
    private long pos;

    MemoryChannel(byte[] head, long size) {
        this.head = head;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (pos >= size) return -1;
        int n = (int) Math.min(dst.remaining(), size - pos);
        int fromHead = (int) Math.max(0, Math.min(n, head.length - pos));
        if (fromHead > 0) dst.put(head, (int) pos, fromHead);
        for (int left = n - fromHead; left > 0; left -= Math.min(left, ZEROS.length)) {
            dst.put(ZEROS, 0, Math.min(left, ZEROS.length));
        }
        pos += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public SeekableByteChannel position(long p) {
        pos = p;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
