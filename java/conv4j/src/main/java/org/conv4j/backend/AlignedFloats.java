package org.conv4j.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Off-heap floats whose first element sits on a 64-byte boundary (a cache line, one AVX-512 vector), for every
 * buffer conv4j allocates: owned tensors, workspaces, packed and prepared weights. {@code new FloatPointer(n)}
 * gives malloc's alignment, 16 bytes for the large blocks glibc maps, and then every vector load of a kernel that
 * reads a tensor where it lies (DIRECT_BLOCKED's 1x1 path) and every vector store of an output row splits two cache
 * lines: on a Zen 5, resnet50-res2-1x1 took 0.61-0.69 ms (best of 1000) from a 16-byte aligned input and output,
 * 0.49 ms from 64-byte aligned ones, and its mean went from 1.03-1.07 ms to 0.57-0.60 ms. Hand-written: JavaCPP's
 * allocators take no alignment.
 *
 * <p>The block is a tracked {@link FloatPointer} of {@code elements + 15} floats (so {@link Pointer#totalBytes()}
 * counts it); this pointer views its aligned part, and {@link #close()} frees the block, once. Unreachable and not
 * closed, the block is freed by JavaCPP's collector like any pointer.
 */
public final class AlignedFloats extends FloatPointer {
    /** Bytes of the boundary. */
    public static final int ALIGNMENT = 64;

    private FloatPointer block;

    /** {@code elements} floats (not zeroed), or a null pointer ({@link #isNull()}) when malloc fails. */
    public AlignedFloats(long elements) {
        super((Pointer) null);
        if (elements < 0) throw new IllegalArgumentException("elements = " + elements + " < 0");
        FloatPointer b = new FloatPointer(elements + (ALIGNMENT / 4 - 1));
        if (b.isNull()) return;
        block = b;
        address = (b.address() + ALIGNMENT - 1) & -ALIGNMENT;
        limit = elements;
        capacity = elements;
    }

    /** A float's bytes: JavaCPP looks a subclass's size up by name, and this class has no native peer. */
    @Override
    public int sizeof() {
        return Float.BYTES;
    }

    /** Frees the block (idempotent); this pointer is null afterwards. */
    @Override
    public void close() {
        deallocate();
    }

    @Override
    public void deallocate() {
        FloatPointer b = block;
        block = null;
        address = 0;
        limit = 0;
        capacity = 0;
        if (b != null) b.close();
    }
}
