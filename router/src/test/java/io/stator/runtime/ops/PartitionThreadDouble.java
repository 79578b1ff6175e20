package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.fail;

import io.stator.remote.client.RemoteDispatcher;
import io.stator.remote.client.RemoteDispatcherConfig;
import io.stator.remote.client.RemoteEffects;
import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.client.RemoteHttpClients;
import io.stator.remote.client.RemoteInvocation;
import io.stator.remote.client.RemoteStateAccess;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;

/**
 * Plays one partition for the admin tests: a {@link RemoteDispatcher} over a shared
 * {@link RemoteEndpointRegistry}, with map-backed state, recording the egress values and dead letters its
 * remote functions produce. Its methods run on the test thread, which stands in for the partition thread.
 */
final class PartitionThreadDouble implements RemoteStateAccess, RemoteEffects, AutoCloseable {
    private static final OkHttpClient CLIENT = RemoteHttpClients.create(16);

    final List<String> egress = new ArrayList<>();
    final List<String> deadLetters = new ArrayList<>();
    final RemoteDispatcher dispatcher;
    private final Map<String, byte[]> state = new HashMap<>();

    PartitionThreadDouble(RemoteEndpointRegistry registry) {
        this.dispatcher = new RemoteDispatcher(registry, CLIENT, this, this,
                RemoteDispatcherConfig.defaults().initialBackoff(Duration.ofMillis(5)));
    }

    /** Invokes a remote function with a string argument. */
    void invoke(Address target, String text) {
        dispatcher.invoke(0, target, null, Types.STRING_TYPENAME, Types.stringType().serialize(text));
    }

    /** Drains completions until {@code condition} holds, failing after 10 s. */
    void drainUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            dispatcher.drainCompletions();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Override
    public byte[] get(int keyGroup, Address address, ValueSpec<?> spec) {
        return state.get(address + "#" + spec.name());
    }

    @Override
    public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value) {
        state.put(address + "#" + spec.name(), value);
    }

    @Override
    public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
        state.remove(address + "#" + spec.name());
    }

    @Override
    public void send(Address from, Message message) {
    }

    @Override
    public void sendAfter(Address from, Duration delay, String tokenOrNull, Message message) {
    }

    @Override
    public void cancelDelayed(Address from, String token) {
    }

    @Override
    public void egress(Address from, EgressMessage message) {
        egress.add(Types.stringType().deserialize(message.rawValue()));
    }

    @Override
    public void replyApplied(Address self, long latencyNanos) {
        // the double keeps no metrics
    }

    @Override
    public void deadLetter(Address target, List<RemoteInvocation> messages, String error) {
        deadLetters.add(error);
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
