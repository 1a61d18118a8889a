package org.conv4j.io;

import java.io.IOException;
import java.nio.file.Path;

/** A .npy file that cannot be read; the message names the file and the fault. Immutable. */
public final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(Path file, String fault) {
        super(file + ": " + fault);
    }
}
