package io.stator.runtime;

import io.stator.egress.EgressLogs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a node's egress logs on disk: once a minute, every egress log's files older than the retention whose
 * output is all committed (or aborted) are deleted ({@link EgressLogs#releaseOlderThan}). On a thread of its own,
 * since a pass reads the candidate files' document headers.
 */
final class EgressRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EgressRetention.class);
    private static final long PERIOD_MILLIS = 60_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stator-egress-retention");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param logs      the node's egress logs, recovered
     * @param retention how long output is kept at least; positive
     */
    EgressRetention(EgressLogs logs, Duration retention) {
        long retentionMillis = retention.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                logs.releaseOlderThan(System.currentTimeMillis() - retentionMillis);
            } catch (RuntimeException e) { // a closed log at the stop, a file that cannot be deleted: next pass
                LOG.warn("egress retention pass failed: {}", e.toString());
            }
        }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops the passes, waiting for one that runs. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
