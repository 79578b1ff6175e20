package io.stator.logs;

/**
 * How much time one file of a log covers. Retention deletes whole files, so the period is also the granularity
 * at which old ingress records can be released. A log keeps the period it was created with: reopening it with
 * another period has no effect (the queue's metadata wins), because record positions encode the period.
 */
public enum RollPeriod {
    /** One file per second. Meant for tests that exercise rolling and retention with a controlled clock. */
    SECONDLY,
    /** One file per five minutes. */
    FIVE_MINUTELY,
    /** One file per hour: the default. */
    HOURLY,
    /** One file per day. */
    DAILY
}
