package io.stator.remote.client;

import java.util.concurrent.ScheduledExecutorService;

/**
 * How a failed HTTP attempt is retried: which statuses are transient (as in StateFun's OkHttp transport: 408,
 * 409, 420, 429, 499 and every 5xx; I/O errors always are), the exponential back-off (initial delay, doubling,
 * capped), the most attempts, and the scheduler the waits happen on. The endpoint's call timeout bounds it all.
 *
 * @param initialBackoffNanos the wait before the first retry
 * @param maxBackoffNanos     the longest wait between two attempts
 * @param maxAttempts         the most attempts per batch, the first included
 * @param scheduler           where retries wait; never the partition thread
 */
record RetryPolicy(long initialBackoffNanos, long maxBackoffNanos, int maxAttempts, ScheduledExecutorService scheduler) {
    static RetryPolicy of(RemoteDispatcherConfig config, ScheduledExecutorService scheduler) {
        return new RetryPolicy(config.initialBackoff().toNanos(), config.maxBackoff().toNanos(), config.maxAttempts(), scheduler);
    }

    /** @return whether an HTTP status is worth retrying */
    static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 420 || status == 429 || status == 499 || status >= 500;
    }
}
