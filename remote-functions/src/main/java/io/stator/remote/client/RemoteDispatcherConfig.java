package io.stator.remote.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of a {@link RemoteDispatcher}, beyond what each endpoint spec says. Fluent; {@link #conclude()}
 * checks the values, and the dispatcher calls it itself. Concluding does not change the settings, so one
 * config may be shared by several dispatchers (only {@link #onCompletion} is usually per partition).
 *
 * <ul>
 *   <li>retry back-off: starts at {@link #initialBackoff} (10 ms), doubles per retry, capped at
 *       {@link #maxBackoff} (1 s); retries stop when the endpoint's call timeout is spent or after
 *       {@link #maxAttempts} attempts (default: no count limit, only the call timeout);</li>
 *   <li>{@link #maxConcurrentCalls}: how many batches the dispatcher keeps in flight at once; addresses beyond it
 *       wait, gathering messages, for a call slot (default: the OkHttp client's {@code maxRequests}, so that no
 *       request waits inside OkHttp's queue, already built, while its address's backlog grows);</li>
 *   <li>{@link #maxQueuedInvocations}: how many invocations the dispatcher holds queued (behind in-flight batches
 *       or waiting for a call slot) before it reports backpressure, over all its addresses (default
 *       {@value #DEFAULT_MAX_QUEUED_INVOCATIONS}); each address's backlog is bounded besides by its endpoint's
 *       {@code maxNumBatchRequests}, but with many addresses only this bound keeps memory, and the size of every
 *       snapshot that records the backlog, in check;</li>
 *   <li>{@link #maxStateRoundTrips}: how many IncompleteInvocationContext replies one batch may get before it
 *       is dead-lettered (default 5; a well-behaved function needs one);</li>
 *   <li>{@link #retryScheduler}: where retries wait (default: each dispatcher starts one daemon thread of its
 *       own and stops it on close; pass one scheduler to all partitions to save threads);</li>
 *   <li>{@link #onCompletion}: run on the HTTP thread after each completion is queued, e.g. to wake an idle
 *       partition (default: nothing).</li>
 * </ul>
 */
public final class RemoteDispatcherConfig {
    /**
     * The default of {@link #maxQueuedInvocations}: W2 (1M messages over 10,000 addresses) ran as fast with 500,000
     * per partition as without a bound, but ~20% slower with 100,000, whose smaller backlogs per address made
     * smaller batches (benchmarks/RESULTS.md, session 5).
     */
    public static final int DEFAULT_MAX_QUEUED_INVOCATIONS = 500_000;

    private Duration initialBackoff = Duration.ofMillis(10);
    private Duration maxBackoff = Duration.ofSeconds(1);
    private int maxAttempts = Integer.MAX_VALUE;
    private int maxStateRoundTrips = 5;
    /** 0: the OkHttp client's limit. */
    private int maxConcurrentCalls;
    private int maxQueuedInvocations = DEFAULT_MAX_QUEUED_INVOCATIONS;
    private ScheduledExecutorService retryScheduler;
    private Runnable onCompletion = () -> { };

    /** @return the default settings */
    public static RemoteDispatcherConfig defaults() {
        return new RemoteDispatcherConfig();
    }

    /** Sets the wait before the first retry of a batch (default 10 ms); it doubles per retry. */
    public RemoteDispatcherConfig initialBackoff(Duration backoff) {
        this.initialBackoff = Objects.requireNonNull(backoff, "initialBackoff");
        return this;
    }

    /** Caps the wait between two attempts (default 1 s). */
    public RemoteDispatcherConfig maxBackoff(Duration backoff) {
        this.maxBackoff = Objects.requireNonNull(backoff, "maxBackoff");
        return this;
    }

    /** @param attempts the most HTTP attempts per batch, the first one included */
    public RemoteDispatcherConfig maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /** Sets how many IncompleteInvocationContext replies one batch may get before it is dead-lettered (default 5). */
    public RemoteDispatcherConfig maxStateRoundTrips(int roundTrips) {
        this.maxStateRoundTrips = roundTrips;
        return this;
    }

    /**
     * Sets how many batches this dispatcher keeps in flight at once (default, or 0: the OkHttp client's
     * {@code maxRequests}). Partitions sharing one client should split the client's limit between them.
     */
    public RemoteDispatcherConfig maxConcurrentCalls(int calls) {
        this.maxConcurrentCalls = calls;
        return this;
    }

    /**
     * Sets how many invocations the dispatcher may hold queued, over all addresses, before
     * {@link RemoteDispatcher#isBackpressured()} turns true and the runtime stops reading ingress (default
     * {@value #DEFAULT_MAX_QUEUED_INVOCATIONS}). Invocations in flight do not count. A caller that checks
     * backpressure before each invocation overshoots it by at most what it hands over between two checks.
     * Smaller values bound memory more tightly but make batches smaller once the backlog spreads over many
     * addresses.
     */
    public RemoteDispatcherConfig maxQueuedInvocations(int invocations) {
        this.maxQueuedInvocations = invocations;
        return this;
    }

    /** Uses {@code scheduler} for retry delays; the dispatcher will not shut it down. */
    public RemoteDispatcherConfig retryScheduler(ScheduledExecutorService scheduler) {
        this.retryScheduler = Objects.requireNonNull(scheduler, "retryScheduler");
        return this;
    }

    /** Runs {@code hook} on an HTTP thread each time a completion is queued; it must be quick and thread-safe. */
    public RemoteDispatcherConfig onCompletion(Runnable hook) {
        this.onCompletion = Objects.requireNonNull(hook, "onCompletion");
        return this;
    }

    /**
     * Checks the settings.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting
     */
    public RemoteDispatcherConfig conclude() {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
                    + initialBackoff + ")");
        }
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("maxAttempts must be positive, was " + maxAttempts);
        }
        if (maxConcurrentCalls < 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive (or 0 for the client's limit), was "
                    + maxConcurrentCalls);
        }
        if (maxQueuedInvocations <= 0) {
            throw new IllegalArgumentException("maxQueuedInvocations must be positive, was " + maxQueuedInvocations);
        }
        if (maxStateRoundTrips <= 0) {
            throw new IllegalArgumentException("maxStateRoundTrips must be positive, was " + maxStateRoundTrips);
        }
        return this;
    }

    Duration initialBackoff() {
        return initialBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    int maxStateRoundTrips() {
        return maxStateRoundTrips;
    }

    /** @return the call slots set with {@link #maxConcurrentCalls(int)}, or 0 for the client's limit */
    int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** @return the bound set with {@link #maxQueuedInvocations(int)} */
    int maxQueuedInvocations() {
        return maxQueuedInvocations;
    }

    /** @return the scheduler given with {@link #retryScheduler(ScheduledExecutorService)}, or null */
    ScheduledExecutorService retryScheduler() {
        return retryScheduler;
    }

    /** @return a new single-thread daemon scheduler for a dispatcher that was given none */
    static ScheduledExecutorService newRetryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(retryThreads());
    }

    Runnable onCompletion() {
        return onCompletion;
    }

    private static ThreadFactory retryThreads() {
        return runnable -> {
            Thread t = new Thread(runnable, "stator-remote-retry");
            t.setDaemon(true);
            return t;
        };
    }
}
