package io.stator.state.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a partition may try again to write evicted state to RocksDB after a write failed (a full disk: RocksDB
 * refuses writes until it has recovered from its failed flush), and what the log says about it.
 *
 * <p>Tries back off from 10 ms to 1 s, so that a partition whose cache is over its bounds does not build and fail
 * a write batch on every message. The first failure is logged as a warning, and so is every 10 s of waiting
 * while the cache is at its hard limit; the first success after failures is logged too. One thread only.
 */
final class StateWriteBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(StateWriteBackoff.class);
    static final long FIRST_DELAY_NANOS = 10_000_000L;
    static final long MAX_DELAY_NANOS = 1_000_000_000L;
    static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String owner;
    private final LongSupplier nanoClock;
    /** When the first of the current run of failures happened, or -1 while writes succeed. */
    private long failingSince = -1;
    private long retryAt;
    private long delay;
    private long lastWarnedAt;
    private String lastError;

    /** @param owner names the store in log lines, e.g. "partition 3" */
    StateWriteBackoff(String owner, LongSupplier nanoClock) {
        this.owner = owner;
        this.nanoClock = nanoClock;
    }

    /** @return whether a write failed and none has succeeded since */
    boolean failing() {
        return failingSince >= 0;
    }

    /** @return whether a write may be tried now: none is failing, or the back-off is over */
    boolean mayTry() {
        return failingSince < 0 || nanoClock.getAsLong() - retryAt >= 0;
    }

    /** A write failed: wait longer before the next. */
    void failed(RuntimeException why) {
        long now = nanoClock.getAsLong();
        lastError = why.getMessage();
        if (failingSince < 0) {
            failingSince = now;
            lastWarnedAt = now;
            delay = FIRST_DELAY_NANOS;
            LOG.warn("{} cannot write evicted state to RocksDB ({}); the entries stay in its cache, dirty, and it"
                    + " tries again, waiting for room once the cache is 1.5 times its bounds", owner, lastError);
        } else {
            delay = Math.min(MAX_DELAY_NANOS, delay * 2);
        }
        retryAt = now + delay;
    }

    /** A write succeeded. */
    void succeeded() {
        if (failingSince >= 0) {
            LOG.info("{} writes its state to RocksDB again, after {} s of failed writes", owner,
                    String.format("%.1f", (nanoClock.getAsLong() - failingSince) / 1e9));
            failingSince = -1;
        }
    }

    /**
     * Called while the caller cannot go on (its cache is at the hard limit) until a write succeeds: waits until
     * the next try is due, and warns every 10 s of such waiting.
     *
     * @throws IllegalStateException if the thread is interrupted (the runtime is stopping)
     */
    void awaitRetry(int cachedEntries) {
        long now = nanoClock.getAsLong();
        if (now - lastWarnedAt >= WARN_EVERY_NANOS) {
            lastWarnedAt = now;
            LOG.warn("{} has waited {} s for RocksDB to accept writes ({}); it processes nothing until then, its"
                    + " cache holds {} entries", owner, String.format("%.1f", (now - failingSince) / 1e9), lastError,
                    cachedEntries);
        }
        long wait = retryAt - now;
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException(owner + " stopped while waiting for RocksDB to accept writes ("
                    + lastError + ")");
        }
    }
}
