package org.conv4j.cli;

import java.util.Locale;
import org.conv4j.AutoPad;
import org.conv4j.BackendUnavailableException;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Precision;
import org.conv4j.Conv2dBackend;
import org.conv4j.Epilogue;
import org.conv4j.Mode;
import org.conv4j.backend.NativeLibrary;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.cli.support.Converters;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The option groups the subcommands share, as picocli mixins, and their converters. Converters reject
 * nonsense numbers at parse time, so picocli names the flag: {@code --stride 0} exits 2 with
 * "Invalid value for option '--stride' (SH,SW): ...".
 *
 * <p>{@code --border} is declared by each command (its default differs: reflect for filter, zero for conv)
 * with {@link BorderConverter}; {@code --activation} and {@code --accumulate} belong to {@code conv}.
 */
public final class Options {
    private Options() {
    }

    /** {@code --mode correlation|convolution}. */
    static final class ModeOption {
        @Option(names = "--mode", paramLabel = "correlation|convolution", converter = Converters.ModeConverter.class,
                description = "correlation (as PyTorch/ONNX, default) or convolution (kernel rotated 180 degrees, as scipy).")
        Mode mode = Mode.CROSS_CORRELATION;
    }

    /** {@code --precision strict|fast} ({@link Precision}). */
    static final class PrecisionOption {
        @Option(names = "--precision", paramLabel = "strict|fast", converter = Converters.PrecisionConverter.class,
                description = "strict (default: every output within the classical dot-product bound, integer data bit-exact) or "
                        + "fast (also algorithms with a larger rigorous bound, e.g. Winograd for 3x3 stride-1 layers).")
        Precision precision = Precision.STRICT;
    }

    /** {@code --backend native|java|reference}. */
    static final class BackendOption {
        @Option(names = "--backend", paramLabel = "native|java|reference", defaultValue = "native",
                description = "native (C++ im2col + OpenBLAS, default), java (pure-Java im2col + blocked GEMM) or "
                        + "reference (pure Java loop nest, double accumulation).")
        String name;

        /** The backend, or bad input naming the flag; a native library that does not load exits 1. */
        Conv2dBackend resolve() {
            Conv2dBackend b;
            try {
                b = Backends.byName(name);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--backend: " + e.getMessage());
            }
            if (b == Backends.nativeBackend()) NativeLibrary.require(); // names the missing artifact
            if (!b.isAvailable()) throw new BackendUnavailableException("backend " + b.name() + " is not available here", null);
            return b;
        }
    }

    /** {@code none|relu|clamp:LO,HI}. */
    static final class ActivationConverter implements ITypeConverter<Epilogue> {
        @Override
        public Epilogue convert(String value) {
            if (value.trim().startsWith("sum")) throw new TypeConversionException("use --accumulate for a residual sum");
            try {
                return Epilogue.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class AutoPadConverter implements ITypeConverter<AutoPad> {
        @Override
        public AutoPad convert(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "valid": return AutoPad.VALID;
                case "same-upper": return AutoPad.SAME_UPPER;
                case "same-lower": return AutoPad.SAME_LOWER;
                default: throw new TypeConversionException("expected valid, same-upper or same-lower, got '" + value + "'");
            }
        }
    }

    /** Comma-separated integers, each at least {@code min}, exactly {@code count} of them. */
    static int[] ints(String text, int count, int min, String form) {
        String[] parts = text.split(",", -1);
        if (parts.length != count) {
            throw new TypeConversionException("expected " + count + " comma-separated integers " + form + ", got '" + text + "'");
        }
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + parts[i].trim() + "' is not an integer (expected " + form + ")");
            }
            if (v[i] < min) {
                throw new TypeConversionException("every value must be >= " + min + ", got '" + text + "'");
            }
        }
        return v;
    }

    /** Two values of one axis pair, height first: a stride or a dilation. */
    record Pair(int h, int w) {
    }

    /** Padding in the order top, left, bottom, right. */
    record Pads(int top, int left, int bottom, int right) {
    }

    /** {@code SH,SW} or {@code DH,DW}, each >= 1. */
    static final class PositivePair implements ITypeConverter<Pair> {
        @Override
        public Pair convert(String value) {
            int[] v = ints(value, 2, 1, "H,W");
            return new Pair(v[0], v[1]);
        }
    }

    /** {@code T,L,B,R}, each >= 0. */
    static final class Padding implements ITypeConverter<Pads> {
        @Override
        public Pads convert(String value) {
            int[] v = ints(value, 4, 0, "T,L,B,R");
            return new Pads(v[0], v[1], v[2], v[3]);
        }
    }

    /** {@code --format png|jpeg|npy}. */
    static final class FormatConverter implements ITypeConverter<org.conv4j.cli.filter.OutputFormat> {
        @Override
        public org.conv4j.cli.filter.OutputFormat convert(String value) {
            try {
                return org.conv4j.cli.filter.OutputFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A count >= 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return ints(value, 1, 1, "N")[0];
        }
    }

    /** A PNG deflate level, 0-9. */
    static final class PngLevel implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = ints(value, 1, 0, "0-9")[0];
            if (v > 9) throw new TypeConversionException("PNG compression level must be 0-9, got '" + value + "'");
            return v;
        }
    }

    static final class PngFilterConverter implements ITypeConverter<org.conv4j.image.PngEncoder.RowFilter> {
        @Override
        public org.conv4j.image.PngEncoder.RowFilter convert(String value) {
            for (org.conv4j.image.PngEncoder.RowFilter f : org.conv4j.image.PngEncoder.RowFilter.values()) {
                if (f.name().equalsIgnoreCase(value)) return f;
            }
            throw new TypeConversionException("PNG row filter must be up, paeth, sub or none, got '" + value + "'");
        }
    }
}
