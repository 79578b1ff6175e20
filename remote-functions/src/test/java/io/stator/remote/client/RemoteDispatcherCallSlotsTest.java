package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.server.RemoteFunctionServer;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.sdk.Address;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RemoteDispatcherConfig#maxConcurrentCalls}: an address that finds every call slot taken waits, gathering
 * its messages, and sends them as one batch when a slot frees; waiting addresses get slots oldest first. Real HTTP
 * on 127.0.0.1; a gate holds the first batch in flight.
 */
class RemoteDispatcherCallSlotsTest {
    private static final TypeName GATED = TypeName.typeNameOf("example", "gated");
    private static final TypeName SINK = TypeName.typeNameOf("example", "sink");

    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private RemoteFunctionServer server;
    private DispatcherDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A server whose function forwards each argument to example/sink and parks on the gate for "a0". */
    private DispatcherDriver driverWithSlots(int slots) {
        server = RemoteFunctionServer.builder()
                .withFunction(StatefulFunctionSpec.builder(GATED).withSupplier(() -> (context, message) -> {
                    String text = message.asUtf8String();
                    context.send(MessageBuilder.forAddress(SINK, text).withValue(text).build());
                    return text.equals("a0") ? gate : StatefulFunction.DONE;
                }).build())
                .bind("127.0.0.1", 0)
                .start();
        driver = new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*", server.baseUrl() + "{function.name}")
                .build()), RemoteDispatcherConfig.defaults().maxConcurrentCalls(slots));
        return driver;
    }

    private void invoke(String id, String text) {
        driver.dispatcher.invoke(1, new Address(GATED, id), null, Types.STRING_TYPENAME, Types.stringType().serialize(text));
    }

    private List<String> sentTexts() {
        List<String> texts = new ArrayList<>();
        driver.effects.sent.forEach(s -> texts.add(s.message().asUtf8String()));
        return texts;
    }

    @Test
    void anAddressThatFindsEverySlotTakenSendsAllItGatheredAsOneBatch() {
        driverWithSlots(1);
        invoke("a", "a0");
        invoke("b", "b0");
        invoke("b", "b1");
        invoke("b", "b2");

        assertEquals(1, driver.dispatcher.inFlightBatches(), "the only slot is a's");
        assertEquals(3, driver.dispatcher.queuedInvocations(), "b waits with everything it got");
        assertTrue(driver.dispatcher.hasInFlight());
        assertEquals(List.of("a0", "b0", "b1", "b2"), driver.dispatcher.pendingInvocations().stream()
                .map(p -> Types.stringType().deserialize(p.invocation().rawValue())).sorted().toList(),
                "a snapshot records the waiting address's messages too");

        gate.complete(null);
        driver.drainUntilIdle(20);

        assertEquals(List.of("a0", "b0", "b1", "b2"), sentTexts());
        assertEquals(2, driver.dispatcher.count(RemoteCounter.BATCHES_SENT), "a's batch of 1, then b's batch of 3");
        assertEquals(4, driver.dispatcher.count(RemoteCounter.INVOCATIONS_SENT));
        assertEquals(0, driver.dispatcher.queuedInvocations());
    }

    @Test
    void freedSlotsGoToWaitingAddressesOldestFirstAndABacklogQueuesBehindThem() {
        driverWithSlots(1);
        invoke("a", "a0");
        invoke("b", "b0");
        invoke("a", "a1"); // queued behind a's batch in flight; a has to wait its turn after b
        invoke("c", "c0");

        gate.complete(null);
        driver.drainUntilIdle(20);

        assertEquals(List.of("a0", "b0", "c0", "a1"), sentTexts());
        assertEquals(4, driver.dispatcher.count(RemoteCounter.BATCHES_SENT));
    }

    @Test
    void withFreeSlotsEveryIdleAddressIsSentAtOnce() {
        driverWithSlots(2);
        invoke("a", "a0");
        invoke("b", "b0");

        assertEquals(2, driver.dispatcher.inFlightBatches());
        assertEquals(0, driver.dispatcher.queuedInvocations());
        gate.complete(null);
        driver.drainUntilIdle(20);
        assertEquals(2, sentTexts().size());
    }

    @Test
    void aNegativeSlotCountIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteDispatcherConfig.defaults().maxConcurrentCalls(-1).conclude());
        assertTrue(e.getMessage().contains("maxConcurrentCalls"), e.getMessage());
    }
}
