package org.conv4j.backend;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed number of Java worker threads for the Java backend: the calling thread plus up to
 * {@code threads - 1} pool threads take work items from a shared counter. Pool threads are daemons and
 * time out when idle, so an unused backend holds no threads. Thread-safe; calls from several threads
 * share the pool (each call waits only for its own items).
 */
final class JavaWorkers {
    /** One unit of work: item {@code item}, run by participant {@code worker} (0 = the caller). */
    interface Body {
        void run(int worker, int item);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();
    private final int threads;
    private volatile ThreadPoolExecutor pool;

    JavaWorkers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("java backend threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    int threads() {
        return threads;
    }

    /** Participants a call of {@code items} items uses: never more threads than items. */
    int participants(long items) {
        return (int) Math.max(1, Math.min(threads, items));
    }

    /** Runs {@code body} for every item in {@code [0, items)} on {@link #participants} threads; returns when all are done. */
    void run(int items, Body body) {
        final int helpers = participants(items) - 1;
        if (helpers == 0) {
            for (int i = 0; i < items; i++) body.run(0, i);
            return;
        }
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(helpers);
        final ThreadPoolExecutor p = pool();
        for (int h = 1; h <= helpers; h++) {
            final int worker = h;
            p.execute(() -> {
                try {
                    drain(worker, items, next, body);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            drain(0, items, next, body);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        awaitUninterruptibly(done);
        Throwable t = failure.get();
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        if (t != null) throw new IllegalStateException(t);
    }

    private static void drain(int worker, int items, AtomicInteger next, Body body) {
        for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) body.run(worker, i);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    final int id = POOLS.incrementAndGet();
                    final AtomicInteger count = new AtomicInteger();
                    p = new ThreadPoolExecutor(threads - 1, threads - 1, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "conv4j-java-" + id + "-" + count.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    p.allowCoreThreadTimeOut(true);
                    pool = p;
                }
            }
        }
        return p;
    }
}
