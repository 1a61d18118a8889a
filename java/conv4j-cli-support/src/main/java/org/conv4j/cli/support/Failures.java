package org.conv4j.cli.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.conv4j.BackendUnavailableException;
import org.conv4j.io.NpyFormatException;

/**
 * Maps a failure to the tool's exit code and its one-line message: bad input exits 2, an environment
 * problem (native library missing) or an internal error exits 1. No stack trace unless
 * {@code CONV4J_DEBUG} is set.
 */
public final class Failures {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Failures() {
    }

    public static int exitCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof BadInputException || e instanceof IllegalArgumentException || e instanceof IOException) {
            return BAD_INPUT;
        }
        return FAILED;
    }

    /** One line, naming the file or flag the message already carries. */
    public static String message(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof NpyFormatException || e instanceof BadInputException
                || e instanceof IllegalArgumentException || e instanceof BackendUnavailableException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof FileSystemException) return describe((FileSystemException) e);
        if (e instanceof IOException) return oneLine(String.valueOf(e.getMessage()));
        return "internal error: " + oneLine(String.valueOf(e)) + " (set CONV4J_DEBUG=1 for the stack trace)";
    }

    /** "path: reason" for the java.nio exceptions whose message is only the path. */
    public static String describe(FileSystemException e) {
        String file = e.getFile() == null ? "" : e.getFile() + ": ";
        if (e instanceof NoSuchFileException) return file + "no such file or directory";
        if (e instanceof AccessDeniedException) return file + "permission denied";
        if (e instanceof NotDirectoryException) return file + "not a directory";
        if (e instanceof FileAlreadyExistsException) return file + "already exists";
        String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return file + reason;
    }

    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof UncheckedIOException || e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.util.concurrent.CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
