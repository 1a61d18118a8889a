package org.conv4j.cli.filter;

import java.util.ArrayList;
import java.util.List;
import org.conv4j.Conv2dProblem;
import org.conv4j.FidelityReport;

/** What a filter run did and how fast: counted by the pipeline, printed by the command. */
public final class FilterStats {
    long images, pixels, convNanos, flops, wallNanos, checkNanos;
    int filesWritten;
    String checkScope = "first image";
    final List<FidelityReport> fidelity = new ArrayList<>();
    final List<Conv2dProblem> firstProblems = new ArrayList<>();

    public long images() {
        return images;
    }

    public synchronized int filesWritten() {
        return filesWritten;
    }

    synchronized void wrote(int files) {
        filesWritten += files;
    }

    public double imagesPerSecond() {
        return images / (wallNanos / 1e9);
    }

    public double megapixelsPerSecond() {
        return pixels / 1e6 / (wallNanos / 1e9);
    }

    /** FLOPs of the convolutions over the time spent inside conv2d (decode and encode excluded). */
    public double gflopsPerSecond() {
        return convNanos == 0 ? 0 : flops / (double) convNanos;
    }

    /** Time spent on the reference check of the first image, excluded from {@link #wallSeconds()}. */
    public double checkSeconds() {
        return checkNanos / 1e9;
    }

    /** The run's wall time without the fidelity check. */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    public double convSeconds() {
        return convNanos / 1e9;
    }

    /** What the fidelity check compared: the first image, or a crop of it when large. */
    public String checkScope() {
        return checkScope;
    }

    /** The problems of the first batch (one per kernel size), for the report. */
    public List<Conv2dProblem> firstProblems() {
        return firstProblems;
    }

    /** Native vs reference on the first image (or a crop) of each kernel size; empty on the reference backend. */
    public List<FidelityReport> fidelity() {
        return fidelity;
    }
}
