package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.protocol.FromFunction.EgressMessage;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.remote.testkit.HeldReplyServer;
import io.stator.remote.testkit.RecordingEffects;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dispatcher over a {@link RemoteEndpointRegistry} that changes while it runs: endpoints registered, replaced
 * and removed take effect on the next call, and batches in flight finish where they were sent.
 */
class RemoteDispatcherDynamicEndpointsTest {
    private static final TypeName FN = TypeName.typeNameOf("example", "fn");
    private static final Address X = new Address(FN, "x");
    private static final Address Y = new Address(FN, "y");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RemoteEndpointRegistry registry = RemoteEndpointRegistry.of(List.of());

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private DispatcherDriver driver() {
        return open(new DispatcherDriver(registry, RemoteDispatcherConfig.defaults().initialBackoff(Duration.ofMillis(5))));
    }

    private static RemoteEndpointSpec endpoint(HeldReplyServer server) {
        return RemoteEndpointSpec.builder("example/*", server.urlTemplate()).withCallTimeout(Duration.ofSeconds(30)).build();
    }

    /** A reply that emits one egress record naming {@code tag}, so a test sees which server answered. */
    private static byte[] egressReply(String tag) {
        return Replies.result(InvocationResponse.newBuilder().addOutgoingEgresses(EgressMessage.newBuilder()
                .setEgressNamespace("example").setEgressType("out")
                .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize(tag)))));
    }

    private static void invoke(DispatcherDriver driver, Address target, String text) {
        driver.dispatcher.invoke(3, target, null, Types.STRING_TYPENAME, Types.stringType().serialize(text));
    }

    private static List<String> egressTags(RecordingEffects effects) {
        return effects.egress.stream().map(e -> Types.stringType().deserialize(e.message().rawValue())).toList();
    }

    @Test
    void anEndpointRegisteredAfterStartServesItsTypesWithoutANewDispatcher() throws Exception {
        HeldReplyServer server = open(new HeldReplyServer());
        DispatcherDriver driver = driver();
        assertFalse(driver.dispatcher.handles(FN));

        registry.put(endpoint(server));
        server.reply(egressReply("a"));

        assertTrue(driver.dispatcher.handles(FN));
        invoke(driver, X, "hello");
        driver.drainUntilIdle(10);
        assertEquals(List.of("a"), egressTags(driver.effects));
    }

    @Test
    void aReplacedEndpointTakesTheNextBatchWhileTheBatchInFlightFinishesAtTheOldOne() throws Exception {
        HeldReplyServer old = open(new HeldReplyServer());
        HeldReplyServer replacement = open(new HeldReplyServer());
        registry.put(endpoint(old));
        DispatcherDriver driver = driver();
        invoke(driver, X, "1");
        old.awaitRequests(1);
        invoke(driver, X, "2"); // queued behind the batch in flight

        registry.put(endpoint(replacement));
        replacement.reply(egressReply("new-y"));
        invoke(driver, Y, "3"); // an idle address goes to the new endpoint at once
        replacement.awaitRequests(1);
        replacement.reply(egressReply("new-x"));
        old.reply(egressReply("old-x"));
        driver.drainUntil(() -> driver.effects.egress.size() == 3 && !driver.dispatcher.hasInFlight(), 10,
                "three replies applied");

        assertEquals(1, old.received(), "only the batch sent before the change went to the old endpoint");
        assertEquals(2, replacement.received());
        assertTrue(egressTags(driver.effects).containsAll(List.of("old-x", "new-x", "new-y")), egressTags(driver.effects).toString());
        assertTrue(driver.effects.deadLetters.isEmpty());
    }

    @Test
    void removingAnEndpointLetsItsBatchInFlightFinishAndDeadLettersTheBacklog() throws Exception {
        HeldReplyServer server = open(new HeldReplyServer());
        registry.put(endpoint(server));
        DispatcherDriver driver = driver();
        invoke(driver, X, "1");
        server.awaitRequests(1);
        invoke(driver, X, "2");
        invoke(driver, X, "3");

        registry.remove("example/*");
        assertFalse(driver.dispatcher.handles(FN));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> invoke(driver, Y, "4"));
        assertTrue(refused.getMessage().contains("example/fn"), refused.getMessage());
        server.reply(egressReply("done"));
        driver.drainUntilIdle(10);

        assertEquals(List.of("done"), egressTags(driver.effects), "the batch in flight finished normally");
        assertEquals(1, driver.effects.deadLetters.size());
        RecordingEffects.DeadLetter dropped = driver.effects.deadLetters.get(0);
        assertEquals(X, dropped.target());
        assertEquals(2, dropped.messages().size());
        assertTrue(dropped.error().contains("removed"), dropped.error());
        assertEquals(2, driver.dispatcher.count(RemoteCounter.DEAD_LETTERED));
        assertEquals(0, driver.dispatcher.queuedInvocations());
        assertFalse(driver.dispatcher.isBackpressured());
        assertEquals(1, server.received());
    }

    @Test
    void aSpecificEndpointRegisteredLaterWinsOverTheNamespaceForNewBatches() throws Exception {
        HeldReplyServer namespace = open(new HeldReplyServer());
        HeldReplyServer specific = open(new HeldReplyServer());
        registry.put(endpoint(namespace));
        DispatcherDriver driver = driver();
        namespace.reply(egressReply("namespace"));
        invoke(driver, X, "1");
        driver.drainUntilIdle(10);

        registry.put(RemoteEndpointSpec.builder("example/fn", specific.urlTemplate()).build());
        specific.reply(egressReply("specific"));
        invoke(driver, X, "2");
        driver.drainUntilIdle(10);

        assertEquals(List.of("namespace", "specific"), egressTags(driver.effects));
    }

    @Test
    void aBacklogKeepsTheBackpressureBoundOfTheEndpointServingItNow() throws Exception {
        HeldReplyServer server = open(new HeldReplyServer());
        registry.put(RemoteEndpointSpec.builder("example/*", server.urlTemplate()).withMaxNumBatchRequests(2).build());
        DispatcherDriver driver = driver();
        invoke(driver, X, "1");
        server.awaitRequests(1);
        invoke(driver, X, "2");
        invoke(driver, X, "3");
        assertTrue(driver.dispatcher.isBackpressured());

        registry.put(RemoteEndpointSpec.builder("example/*", server.urlTemplate()).withMaxNumBatchRequests(10).build());
        server.reply(egressReply("first"));
        server.reply(egressReply("rest"));
        driver.drainUntilIdle(10);

        assertFalse(driver.dispatcher.isBackpressured());
        assertEquals(2, server.received(), "the backlog of 2 went out as one batch");
        assertEquals(1, driver.dispatcher.count(RemoteCounter.BACKPRESSURE_EVENTS));
    }
}
