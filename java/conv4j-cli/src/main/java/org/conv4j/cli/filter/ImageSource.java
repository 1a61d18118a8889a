package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.image.ImageDecoder;
import org.conv4j.image.ImageFiles;
import org.conv4j.image.ImageTooLargeException;

/**
 * One input image and the name its outputs take: {@code <stem>-<kernel>.png}. A file given directly
 * keeps its bare name; a file found under a directory keeps its path relative to that directory, so
 * the output tree mirrors the input tree.
 *
 * @param file     the image file, or null for the embedded sample
 * @param stem     output name without kernel suffix and extension, '/'-separated
 * @param decoder  how the file is decoded, with its pixel limit (null for the sample)
 */
public record ImageSource(Path file, String stem, ImageDecoder decoder) {

    /** The embedded sample image. */
    public static ImageSource sample() {
        return new ImageSource(null, "sample", null);
    }

    /** Decodes the image; one that cannot be decoded, or is above the decoder's pixel limit, is bad input. */
    public BufferedImage load() {
        if (file == null) return SampleImage.create();
        try {
            return decoder.decode(file);
        } catch (IOException | ImageTooLargeException e) {
            throw badInput(e);
        }
    }

    /**
     * Expands the {@code --in} arguments: files as given, directories recursively (files with a png, jpg,
     * jpeg or bmp extension, sorted), each to be decoded by {@code decoder}. Each file's format and size
     * are probed now, from its header, so a wrong file or one above the pixel limit fails before any
     * output is written. Two inputs whose outputs would collide are bad input.
     */
    public static List<ImageSource> expand(List<Path> args, ImageDecoder decoder) {
        List<ImageSource> out = new ArrayList<>();
        for (Path arg : args) {
            if (Files.isDirectory(arg)) {
                List<Path> found = imagesUnder(arg);
                if (found.isEmpty()) throw new BadInputException("--in " + arg + ": no " + ImageFiles.DESCRIPTION + " images in this directory");
                for (Path f : found) out.add(new ImageSource(f, stemOf(arg.relativize(f)), decoder));
            } else if (Files.isRegularFile(arg)) {
                out.add(new ImageSource(arg, stemOf(arg.getFileName()), decoder));
            } else {
                throw new BadInputException("--in " + arg + ": no such file or directory");
            }
        }
        Map<String, Path> seen = new HashMap<>();
        for (ImageSource s : out) {
            probe(s);
            Path other = seen.putIfAbsent(s.stem(), s.file());
            if (other != null) {
                throw new BadInputException("--in: " + other + " and " + s.file() + " would both write " + s.stem()
                        + "-*.png; give them different names");
            }
        }
        return out;
    }

    private static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> ImageFiles.isImage(p.getFileName().toString())).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException("--in " + dir + ": cannot list directory: " + e.getMessage(), e);
        }
    }

    private static void probe(ImageSource s) {
        if (!Files.isReadable(s.file())) throw new BadInputException("--in " + s.file() + ": not readable");
        try {
            s.decoder().probe(s.file());
        } catch (IOException | ImageTooLargeException e) {
            throw badInput(e);
        }
    }

    /** The decoder's message, which starts with the file's name, as bad input of {@code --in}. */
    private static BadInputException badInput(Exception e) {
        String hint = e instanceof ImageTooLargeException ? " (--max-pixels raises the limit)" : "";
        return new BadInputException("--in " + e.getMessage() + hint, e);
    }

    private static String stemOf(Path relative) {
        return ImageFiles.stem(relative.toString().replace(relative.getFileSystem().getSeparator(), "/"));
    }
}
