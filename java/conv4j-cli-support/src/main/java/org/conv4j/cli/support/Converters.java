package org.conv4j.cli.support;

import java.util.Locale;
import org.conv4j.Border;
import org.conv4j.Mode;
import org.conv4j.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters both command-line applications use; they reject nonsense at parse time, so picocli
 * names the flag ("Invalid value for option '--mode' ...") and the tool exits 2.
 */
public final class Converters {
    private Converters() {
    }

    public static final class ModeConverter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "correlation": return Mode.CROSS_CORRELATION;
                case "convolution": return Mode.CONVOLUTION;
                default: throw new TypeConversionException("expected correlation or convolution, got '" + value + "'");
            }
        }
    }

    /** {@code --precision strict|fast} ({@link Precision}). */
    public static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected strict or fast, got '" + value + "'");
            }
        }
    }

    public static final class BorderConverter implements ITypeConverter<Border> {
        @Override
        public Border convert(String value) {
            try {
                return Border.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected zero, reflect, symmetric, replicate or circular, got '" + value + "'");
            }
        }
    }

    /** A count >= 1 that may pass the int range, e.g. pixels. */
    public static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long v;
            try {
                v = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value.trim() + "' is not an integer (expected N)");
            }
            if (v < 1) throw new TypeConversionException("the value must be >= 1, got '" + value + "'");
            return v;
        }
    }
}
