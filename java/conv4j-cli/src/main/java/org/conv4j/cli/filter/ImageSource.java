package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.conv4j.cli.BadInputException;

/**
 * One input image and the name its outputs take: {@code <stem>-<kernel>.png}. A file given directly
 * keeps its bare name; a file found under a directory keeps its path relative to that directory, so
 * the output tree mirrors the input tree.
 *
 * @param file  the image file, or null for the embedded sample
 * @param stem  output name without kernel suffix and extension, '/'-separated
 */
public record ImageSource(Path file, String stem) {
    private static final List<String> FORMATS = List.of("png", "jpg", "jpeg", "bmp");

    /** The embedded sample image. */
    public static ImageSource sample() {
        return new ImageSource(null, "sample");
    }

    /** Decodes the image. */
    public BufferedImage load() throws IOException {
        if (file == null) return SampleImage.create();
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("--in " + file + ": cannot decode: " + e.getMessage(), e);
        }
        if (img == null) throw new BadInputException("--in " + file + ": not a PNG, JPEG or BMP image");
        return img;
    }

    /**
     * Expands the {@code --in} arguments: files as given, directories recursively (files with a png, jpg,
     * jpeg or bmp extension, sorted). Each file's format is probed now, so a wrong file fails before any
     * output is written. Two inputs whose outputs would collide are bad input.
     */
    public static List<ImageSource> expand(List<Path> args) {
        List<ImageSource> out = new ArrayList<>();
        for (Path arg : args) {
            if (Files.isDirectory(arg)) {
                List<Path> found = imagesUnder(arg);
                if (found.isEmpty()) throw new BadInputException("--in " + arg + ": no PNG, JPEG or BMP images in this directory");
                for (Path f : found) out.add(new ImageSource(f, stemOf(arg.relativize(f))));
            } else if (Files.isRegularFile(arg)) {
                out.add(new ImageSource(arg, stemOf(arg.getFileName())));
            } else {
                throw new BadInputException("--in " + arg + ": no such file or directory");
            }
        }
        Map<String, Path> seen = new HashMap<>();
        for (ImageSource s : out) {
            probe(s.file());
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
            return walk.filter(Files::isRegularFile).filter(p -> FORMATS.contains(extension(p))).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException("--in " + dir + ": cannot list directory: " + e.getMessage(), e);
        }
    }

    private static void probe(Path file) {
        if (!Files.isReadable(file)) throw new BadInputException("--in " + file + ": not readable");
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            String format = readers != null && readers.hasNext() ? readers.next().getFormatName().toLowerCase(Locale.ROOT) : "";
            if (!FORMATS.contains(format)) throw new BadInputException("--in " + file + ": not a PNG, JPEG or BMP image");
        } catch (IOException e) {
            throw new BadInputException("--in " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stemOf(Path relative) {
        String s = relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
        int dot = s.lastIndexOf('.');
        return dot > s.lastIndexOf('/') ? s.substring(0, dot) : s;
    }
}
