package org.conv4j.spark;

/**
 * One row's data cannot be a tensor of the problem (null, wrong length, wrong shape, null element).
 * Caught per row: its message becomes that row's {@code error} column, and the job goes on.
 */
final class CorruptRowException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptRowException(String reason) {
        super(reason, null, false, false); // a per-row verdict: no stack trace needed
    }
}
