package org.conv4j;

/**
 * How a problem's work is cut for threads: bands of {@link #tileRows()} output rows, {@link #bands()} of
 * them per output plane, and {@link #workItems()} units a native plan spreads over its threads (one per
 * image, group and band; one per image and output channel on {@link Algorithm#DEPTHWISE}). Computed once
 * here and passed to the native code (its {@code bands} and {@code work_items}), which never re-derives
 * them. Immutable and thread-safe.
 */
public final class Schedule {
    private final long tileRows, bands, workItems, workspaceElements;
    private final Conv2dProblem problem;
    private final Algorithm algorithm;

    /**
     * The schedule of {@code problem} run by {@code algorithm}: bands as tall as the im2col workspace of one
     * band, {@code (C/groups)*R*S * rows * Q} floats, allows under {@link Conv2dProblem#workspaceLimitBytes()}
     * (at least one row), balanced so that no band is much shorter than the others; on
     * {@link Algorithm#DIRECT_BLOCKED}, {@link Algorithm#directBlockedRows}.
     */
    Schedule(Conv2dProblem problem, Algorithm algorithm) {
        this.problem = problem;
        this.algorithm = algorithm;
        tileRows = algorithm == Algorithm.DIRECT_BLOCKED ? Algorithm.directBlockedRows(problem) : tileRows(problem);
        long p = problem.p();
        bands = (p + tileRows - 1) / tileRows;
        workItems = algorithm == Algorithm.DEPTHWISE ? problem.n() * problem.k() : problem.n() * problem.groups() * bands;
        workspaceElements = algorithm.workspaceElements(problem, this);
    }

    /** The output rows per band of {@code problem} on every algorithm but {@link Algorithm#DIRECT_BLOCKED} (see the constructor). */
    static long tileRows(Conv2dProblem problem) {
        long rowBytes;
        try {
            rowBytes = Math.multiplyExact(Math.multiplyExact(problem.reduction(), problem.q()), 4L);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the im2col workspace of one output row of " + problem
                    + ", (C/groups)*R*S*Q = " + problem.reduction() + "*" + problem.q() + " floats, overflows 64 bits");
        }
        long p = problem.p();
        long maxRows = Math.max(1, Math.min(p, problem.workspaceLimitBytes() / rowBytes));
        long balanced = (p + maxRows - 1) / maxRows;
        return (p + balanced - 1) / balanced;
    }

    /**
     * Output rows per band a native plan of {@code workers} threads runs: {@link #tileRows()}, except on
     * {@link Algorithm#DIRECT_BLOCKED}, whose every output is computed the same way whatever its band (so its results
     * do not depend on this either), where fewer rows are taken when that splits the rows more evenly over the
     * workers (e.g. 3 bands of 38 rows over 2 threads, 2:1, become 4 of 28; see leastLoadBandRows). Never more rows than
     * {@link #tileRows()}, so never more workspace.
     *
     * <p>A 1x1, stride-1, unpadded problem, which the native code reads where it lies, first looks for bands of
     * equal rows whose {@code rows * Q} columns are whole 16-float vectors (the widest body's), as many and as few
     * as above: its band's last partial vector is copied and run apart (resnet50-res2-1x1 on Zen 5, 2 threads: 14
     * bands of 4 rows 270 us, 8 of 7 rows 285 us).
     */
    public long tileRowsFor(int workers) {
        if (algorithm != Algorithm.DIRECT_BLOCKED || workers <= 1) return tileRows;
        long rows = Algorithm.inputIsColumnMatrix(problem) ? wholeVectorBandRows(workers) : 0;
        return rows > 0 ? rows : leastLoadBandRows(workers);
    }

    /**
     * The rows of the fewest bands, no fewer than {@link #bands()}, all {@code rows} tall with {@code rows * Q} a
     * multiple of 16, whose work items are a multiple of {@code workers}; looked for until there are 8 items per
     * worker, 0 when there is none.
     */
    private long wholeVectorBandRows(int workers) {
        long p = problem.p(), perBand = problem.n() * problem.groups();
        for (long b = bands; b <= p; b++) {
            long rows = (p + b - 1) / b, items = perBand * ((p + rows - 1) / rows);
            if (items % workers == 0 && p % rows == 0 && rows * problem.q() % 16 == 0) return rows;
            if (items >= 8L * workers) break;
        }
        return 0;
    }

    /**
     * The rows, at most {@link #tileRows()}, whose busiest worker runs the fewest rows, {@code ceil(items / workers) *
     * rows} (a short last band counted as full), the fewest bands among equals: vgg16-conv3's 12 bands of 5 rows (the
     * last of 1) leave one worker 30 rows and the other 26, 14 of 4 give each 28 (Zen 5, 2 threads: 10.13 -> 9.55 ms).
     * Looked for from {@link #bands()} bands until there are 8 items per worker.
     */
    private long leastLoadBandRows(int workers) {
        long p = problem.p(), perBand = problem.n() * problem.groups(), best = tileRows, bestLoad = Long.MAX_VALUE;
        for (long b = bands; b <= p; b++) {
            long rows = (p + b - 1) / b, items = perBand * ((p + rows - 1) / rows);
            long load = (items + workers - 1) / workers * rows;
            if (load < bestLoad) {
                best = rows;
                bestLoad = load;
            }
            if (items >= 8L * workers) break;
        }
        return best;
    }

    /** Output rows per band: as many as fit the workspace limit, at least 1, balanced. */
    public long tileRows() {
        return tileRows;
    }

    /** Bands per output plane: {@code ceil(P / tileRows)}. */
    public long bands() {
        return bands;
    }

    /** Units of work a native plan spreads over its threads. */
    public long workItems() {
        return workItems;
    }

    /** Floats of workspace each thread of a native plan owns ({@link Algorithm#workspaceElements}). */
    public long workspaceElements() {
        return workspaceElements;
    }
}
