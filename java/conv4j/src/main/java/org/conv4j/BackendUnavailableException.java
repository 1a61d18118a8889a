package org.conv4j;

/** A valid problem that a backend cannot run here, e.g. because its native artifact is missing. Not shared state. */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
