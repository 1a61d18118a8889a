package org.conv4j.cli.filter;

import java.io.Console;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Images done out of the total. The bar (me.tongfei:progressbar, on stderr) appears only when the
 * output is a terminal and only once the run has taken longer than {@link #DELAY_NANOS}, so short runs
 * and redirected output stay clean. Thread-safe.
 */
public final class Progress implements AutoCloseable {
    static final long DELAY_NANOS = 1_000_000_000L;
    private final long total, start = System.nanoTime();
    private final boolean enabled;
    private long done;
    private ProgressBar bar;

    public Progress(long total, boolean enabled) {
        this.total = total;
        this.enabled = enabled;
    }

    /** A progress that shows when stdout is a terminal. */
    public static Progress forTerminal(long total) {
        return new Progress(total, isTerminal());
    }

    public synchronized void step() {
        done++;
        if (!enabled || done >= total) {
            if (bar != null) bar.stepTo(done);
            return;
        }
        if (bar == null && System.nanoTime() - start > DELAY_NANOS) {
            bar = new ProgressBarBuilder().setTaskName("filter").setInitialMax(total).setUnit(" img", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
        }
        if (bar != null) bar.stepTo(done);
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        bar = null;
    }

    /** On JDK 22+ {@code System.console()} exists even when redirected; {@code isTerminal()} says the truth. */
    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK < 22: a console exists only when stdin and stdout are terminals
        }
    }
}
