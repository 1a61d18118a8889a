package org.conv4j.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.cli.support.Failures;

/** Checks made before any work, so an unwritable destination fails fast and leaves nothing behind. */
final class OutputFiles {
    private OutputFiles() {
    }

    /** The file's directory must exist and be writable; the file itself, if present, must not be a directory. */
    static void requireWritableParent(String flag, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) throw new BadInputException(flag + " " + file + ": is a directory");
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(flag + " " + file + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) throw new BadInputException(flag + " " + file + ": directory " + dir + " is not writable");
    }

    /** Creates {@code dir} (and parents) or fails naming the flag. */
    static void createDirectory(String flag, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new BadInputException(flag + " " + dir + ": cannot create directory: " + Failures.describe(e));
        } catch (IOException e) {
            throw new BadInputException(flag + " " + dir + ": cannot create directory: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) throw new BadInputException(flag + " " + dir + ": directory is not writable");
    }
}
