package org.conv4j.cli.support;

/**
 * Input the user can fix: a missing or malformed file, shapes that do not fit, a nonsense number.
 * The message names the file or flag and the problem; the tool prints it as one line and exits 2.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
