package io.stator.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.EgressSink;
import io.stator.runtime.Stator;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A remote function's reply whose effects cannot all be applied (here its egress record is refused, as by an egress
 * log that cannot be opened) stops the partition, as an embedded call's does: otherwise the batch would stay in flight
 * with some effects applied, and a snapshot would record it to be sent, and applied, again.
 */
@Timeout(30)
class RemoteReplyEffectsFailureTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("remote", "counter");

    @Test
    void aReplyWhoseEffectsFailPartWayStopsThePartition() throws Exception {
        EgressSink refusing = new EgressSink() {
            @Override
            public void emit(long epoch, EgressMessage message) {
                throw new IllegalStateException("cannot open the egress log");
            }
        };
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        try (FaultyFunctionHost host = FaultyFunctionHost.start(CountingFunction.spec(COUNTER), 0, Duration.ZERO);
                Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(refusing)
                        .snapshotInterval(Duration.ZERO)
                        .withRemoteEndpoint(RemoteEndpointSpec.builder("remote/*", host.urlTemplate()).build())
                        .onThreadDeath((thread, error) -> died.complete(error))
                        .start()) {
            stator.send(MessageBuilder.forAddress(COUNTER, "a").withValue(1).build());
            Throwable error = died.get(10, TimeUnit.SECONDS);
            assertTrue(error.getMessage().contains("a remote function's reply"), error.getMessage());
            assertEquals("cannot open the egress log", error.getCause().getMessage());
            assertEquals(2, host.requests(), "the batch, then again with the state the function asked for; no more");
        }
    }
}
