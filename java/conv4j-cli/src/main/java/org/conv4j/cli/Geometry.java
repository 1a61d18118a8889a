package org.conv4j.cli;

import org.conv4j.AutoPad;
import org.conv4j.Conv2dProblem;
import org.conv4j.cli.support.BadInputException;
import picocli.CommandLine.Option;

/**
 * The geometry flags of {@code conv}: {@code --stride SH,SW}, {@code --pad T,L,B,R} or
 * {@code --auto-pad valid|same-upper|same-lower}, {@code --dilation DH,DW}, {@code --groups G}.
 * Defaults: stride 1,1, pad 0,0,0,0, dilation 1,1, groups 1 (those of {@link Conv2dProblem.Builder}).
 */
final class Geometry {
    @Option(names = "--stride", paramLabel = "SH,SW", converter = Options.PositivePair.class,
            description = "Stride, each >= 1 (default 1,1).")
    Options.Pair stride = new Options.Pair(1, 1);

    @Option(names = "--pad", paramLabel = "T,L,B,R", converter = Options.Padding.class,
            description = "Padding top,left,bottom,right, each >= 0 (default 0,0,0,0); --border says what it holds.")
    Options.Pads pad;

    @Option(names = "--auto-pad", paramLabel = "valid|same-upper|same-lower", converter = Options.AutoPadConverter.class,
            description = "ONNX auto-padding instead of --pad.")
    AutoPad autoPad;

    @Option(names = "--dilation", paramLabel = "DH,DW", converter = Options.PositivePair.class,
            description = "Dilation, each >= 1 (default 1,1).")
    Options.Pair dilation = new Options.Pair(1, 1);

    @Option(names = "--groups", paramLabel = "G", converter = Options.PositiveInt.class,
            description = "Groups; must divide C and K (default 1).")
    int groups = 1;

    /** Sets stride, padding, dilation and groups on {@code b}. */
    Conv2dProblem.Builder applyTo(Conv2dProblem.Builder b) {
        if (pad != null && autoPad != null) {
            throw new BadInputException("--pad and --auto-pad exclude each other; give one of them");
        }
        b.stride(stride.h(), stride.w()).dilation(dilation.h(), dilation.w()).groups(groups);
        if (pad != null) b.pad(pad.top(), pad.left(), pad.bottom(), pad.right());
        if (autoPad != null) b.autoPad(autoPad);
        return b;
    }
}
