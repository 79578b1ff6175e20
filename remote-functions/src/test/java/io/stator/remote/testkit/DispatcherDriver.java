package io.stator.remote.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.stator.remote.client.RemoteDispatcher;
import io.stator.remote.client.RemoteDispatcherConfig;
import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.client.RemoteHttpClients;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;

/**
 * Plays the partition thread in tests: owns a {@link RemoteDispatcher} with map-backed state and recorded
 * effects, and drains completions until a condition holds, waking on the dispatcher's completion hook.
 */
public final class DispatcherDriver implements AutoCloseable {
    private static final OkHttpClient CLIENT = RemoteHttpClients.create(64);

    public final MapRemoteState state = new MapRemoteState();
    public final RecordingEffects effects = new RecordingEffects();
    public final RemoteDispatcher dispatcher;
    private final Semaphore wakeUps = new Semaphore(0);

    public DispatcherDriver(List<RemoteEndpointSpec> endpoints) {
        this(endpoints, RemoteDispatcherConfig.defaults());
    }

    public DispatcherDriver(List<RemoteEndpointSpec> endpoints, RemoteDispatcherConfig config) {
        this.dispatcher = new RemoteDispatcher(endpoints, CLIENT, state, effects, config.onCompletion(wakeUps::release));
    }

    /** A driver whose dispatcher consults a registry that the test may change while it runs. */
    public DispatcherDriver(RemoteEndpointRegistry endpoints, RemoteDispatcherConfig config) {
        this.dispatcher = new RemoteDispatcher(endpoints, CLIENT, state, effects, config.onCompletion(wakeUps::release));
    }

    /** Drains completions until {@code condition} holds; fails the test after {@code timeoutSeconds}. */
    public void drainUntil(BooleanSupplier condition, long timeoutSeconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            dispatcher.drainCompletions();
            if (condition.getAsBoolean()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out after " + timeoutSeconds + " s waiting for: " + what);
            }
            try {
                wakeUps.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }

    /** Drains until nothing is in flight. */
    public void drainUntilIdle(long timeoutSeconds) {
        drainUntil(() -> !dispatcher.hasInFlight(), timeoutSeconds, "all remote batches to finish");
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
