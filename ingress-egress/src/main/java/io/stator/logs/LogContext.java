package io.stator.logs;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of the ingress and egress logs, filled fluently and checked by {@link #conclude()}, which the logs call
 * when they open. Setters return {@code this}; the getter of each setting has the same name without argument.
 *
 * <pre>{@code
 * IngressLog log = IngressLog.open(dataDir.resolve("ingress"), new LogContext().rollPeriod(RollPeriod.HOURLY));
 * }</pre>
 */
public final class LogContext {
    /** Default number of idempotency keys the ingress log remembers. */
    public static final int DEFAULT_IDEMPOTENCY_KEYS = 100_000;
    /** Default number of newest ingress records scanned on open to rebuild the idempotency keys. */
    public static final int DEFAULT_IDEMPOTENCY_SCAN_LIMIT = 1_000_000;

    private RollPeriod rollPeriod = RollPeriod.HOURLY;
    private LongSupplier clockMillis = System::currentTimeMillis;
    private int idempotencyKeys = DEFAULT_IDEMPOTENCY_KEYS;
    private int idempotencyScanLimit = DEFAULT_IDEMPOTENCY_SCAN_LIMIT;

    /**
     * @param period how much time one file covers; default {@link RollPeriod#HOURLY}
     * @return this
     */
    public LogContext rollPeriod(RollPeriod period) {
        this.rollPeriod = Objects.requireNonNull(period, "period");
        return this;
    }

    /** @return how much time one file covers */
    public RollPeriod rollPeriod() {
        return rollPeriod;
    }

    /**
     * The clock that decides which file a record goes to. Tests pass a controlled clock to roll files without
     * waiting; production keeps the default, the system clock.
     *
     * @param epochMillis milliseconds since 1970-01-01T00:00Z
     * @return this
     */
    public LogContext clock(LongSupplier epochMillis) {
        this.clockMillis = Objects.requireNonNull(epochMillis, "epochMillis");
        return this;
    }

    /** @return the clock that decides which file a record goes to */
    public LongSupplier clock() {
        return clockMillis;
    }

    /**
     * Ingress only: how many idempotency keys are remembered; the oldest is forgotten first.
     *
     * @param capacity at least 1; default {@value #DEFAULT_IDEMPOTENCY_KEYS}
     * @return this
     */
    public LogContext idempotencyKeys(int capacity) {
        this.idempotencyKeys = capacity;
        return this;
    }

    /** @return how many idempotency keys the ingress log remembers */
    public int idempotencyKeys() {
        return idempotencyKeys;
    }

    /**
     * Ingress only: on open, at most this many of the newest records are read back to rebuild the remembered
     * idempotency keys, so opening a large log stays quick.
     *
     * @param records at least 0; default {@value #DEFAULT_IDEMPOTENCY_SCAN_LIMIT}
     * @return this
     */
    public LogContext idempotencyScanLimit(int records) {
        this.idempotencyScanLimit = records;
        return this;
    }

    /** @return how many of the newest ingress records are scanned on open */
    public int idempotencyScanLimit() {
        return idempotencyScanLimit;
    }

    /**
     * Checks the settings.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting
     */
    public LogContext conclude() {
        if (idempotencyKeys < 1) {
            throw new IllegalArgumentException("idempotencyKeys must be at least 1, was " + idempotencyKeys);
        }
        if (idempotencyScanLimit < 0) {
            throw new IllegalArgumentException("idempotencyScanLimit must be at least 0, was " + idempotencyScanLimit);
        }
        return this;
    }
}
