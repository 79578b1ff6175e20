package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.protocol.FromFunction.DelayedInvocation;
import io.stator.remote.protocol.FromFunction.EgressMessage;
import io.stator.remote.protocol.FromFunction.ExpirationSpec.ExpireMode;
import io.stator.remote.protocol.FromFunction.Invocation;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.remote.testkit.RecordingEffects;
import io.stator.remote.testkit.ScriptedServer;
import io.stator.remote.testkit.ScriptedServer.Reply;
import io.stator.sdk.Address;
import io.stator.sdk.Expiration;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exactly what the dispatcher sends, and how it treats each kind of reply, against a scripted server. */
class RemoteDispatcherProtocolTest {
    private static final TypeName FN = TypeName.typeNameOf("example", "fn");
    private static final Address TARGET = new Address(FN, "a");
    private static final Address CALLER = Address.of("example", "caller", "c");

    private ScriptedServer server;
    private DispatcherDriver driver;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        driver = new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*", server.urlTemplate())
                .withCallTimeout(Duration.ofSeconds(10)).build()),
                RemoteDispatcherConfig.defaults().initialBackoff(Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        driver.close();
        server.close();
    }

    private void invoke(Address caller, String text) {
        driver.dispatcher.invoke(7, TARGET, caller, Types.STRING_TYPENAME, Types.stringType().serialize(text));
    }

    private InvocationBatchRequest request(int index) throws Exception {
        return ToFunction.parseFrom(server.requests().get(index)).getInvocation();
    }

    @Test
    void everyRequestCarriesAllKnownStatesWithAbsentValuesLeftOut() throws Exception {
        server.then(Reply.ok(Replies.missing(
                        Replies.spec("seen", Types.INT_TYPENAME, ExpireMode.AFTER_INVOKE, 86_400_000L),
                        Replies.spec("name", Types.STRING_TYPENAME))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder()
                        .addStateMutations(Replies.modify("seen", Types.INT_TYPENAME, Types.intType().serialize(1))))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder())));

        invoke(null, "one");
        driver.drainUntilIdle(10);
        invoke(CALLER, "two");
        driver.drainUntilIdle(10);

        InvocationBatchRequest first = request(0);
        assertEquals("fn", first.getTarget().getType());
        assertEquals("a", first.getTarget().getId());
        assertEquals(0, first.getStateCount(), "nothing is known before the first round trip");
        assertFalse(first.getInvocations(0).hasCaller(), "no caller for an ingress message");
        assertTrue(first.getInvocations(0).getArgument().getHasValue());

        InvocationBatchRequest resent = request(1);
        assertEquals(first.getInvocationsList(), resent.getInvocationsList(), "the same invocations are re-sent");
        assertEquals(List.of("seen", "name"), resent.getStateList().stream().map(ToFunction.PersistedValue::getStateName).toList());
        assertFalse(resent.getState(0).hasStateValue());
        assertFalse(resent.getState(1).hasStateValue());

        InvocationBatchRequest second = request(2);
        assertTrue(second.getState(0).getStateValue().getHasValue());
        assertEquals("io.statefun.types/int", second.getState(0).getStateValue().getTypename());
        assertArrayEquals(Types.intType().serialize(1), second.getState(0).getStateValue().getValue().toByteArray());
        assertFalse(second.getState(1).hasStateValue());
        assertEquals("caller", second.getInvocations(0).getCaller().getType());
        assertEquals("c", second.getInvocations(0).getCaller().getId());

        assertEquals(Expiration.expireAfterCall(Duration.ofDays(1)), driver.state.spec(TARGET, "seen").expiration());
        assertEquals(Types.INT_TYPENAME, driver.state.spec(TARGET, "seen").typeName());
        assertEquals(1, driver.dispatcher.count(RemoteCounter.STATE_ROUND_TRIPS));
        assertTrue(driver.effects.deadLetters.isEmpty());
    }

    @Test
    void effectsAreAppliedInStatefunOrderThenState() {
        server.then(Reply.ok(Replies.missing(Replies.spec("seen", Types.INT_TYPENAME), Replies.spec("gone", Types.INT_TYPENAME))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder()
                        .addStateMutations(Replies.modify("seen", Types.INT_TYPENAME, Types.intType().serialize(5)))
                        .addStateMutations(Replies.delete("gone"))
                        .addOutgoingEgresses(EgressMessage.newBuilder().setEgressNamespace("example").setEgressType("out")
                                .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("e"))))
                        .addDelayedInvocations(DelayedInvocation.newBuilder().setDelayInMs(1500).setCancellationToken("t1")
                                .setTarget(Replies.address("example", "other", "o"))
                                .setArgument(Replies.value(Types.INT_TYPENAME, Types.intType().serialize(9))))
                        .addDelayedInvocations(DelayedInvocation.newBuilder().setIsCancellationRequest(true).setCancellationToken("t0"))
                        .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "o"))
                                .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("m")))))));
        driver.state.preset(TARGET, "gone", Types.intType().serialize(3));

        invoke(null, "go");
        driver.drainUntilIdle(10);

        RecordingEffects effects = driver.effects;
        assertEquals(List.of("send", "sendAfter", "cancel", "egress"), effects.order);
        assertEquals(TARGET, effects.sent.get(0).from());
        assertEquals("example/other/o", effects.sent.get(0).message().targetAddress().toString());
        assertEquals("m", effects.sent.get(0).message().asUtf8String());
        RecordingEffects.Delayed delayed = effects.delayed.get(0);
        assertEquals(Duration.ofMillis(1500), delayed.delay());
        assertEquals("t1", delayed.token());
        assertEquals(9, delayed.message().asInt());
        assertTrue(effects.delayed.get(1).isCancellation());
        assertEquals("t0", effects.delayed.get(1).token());
        assertEquals("example/out", effects.egress.get(0).message().egressId().toString());
        assertArrayEquals(Types.intType().serialize(5), driver.state.value(TARGET, "seen"));
        assertNull(driver.state.value(TARGET, "gone"));
    }

    @Test
    void specArrivingWithAnotherTypeDeadLettersOnlyThatBatch() {
        server.then(Reply.ok(Replies.missing(Replies.spec("seen", Types.INT_TYPENAME))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder())),
                Reply.ok(Replies.missing(Replies.spec("seen", Types.STRING_TYPENAME), Replies.spec("more", Types.INT_TYPENAME))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder())));

        invoke(null, "one");
        driver.drainUntilIdle(10);
        invoke(null, "two");
        driver.drainUntilIdle(10);
        invoke(null, "three");
        driver.drainUntilIdle(10);

        assertEquals(1, driver.effects.deadLetters.size());
        RecordingEffects.DeadLetter dead = driver.effects.deadLetters.get(0);
        assertEquals(TARGET, dead.target());
        assertEquals("two", dead.messages().get(0).asUtf8String());
        assertEquals("function example/fn declares state 'seen' with type io.statefun.types/string, but it is registered "
                + "with type io.statefun.types/int", dead.error());
        assertEquals(4, server.requests().size(), "the address carried on with its next message");
    }

    @Test
    void modifyWithAnotherTypeOrOfAnUndeclaredStateIsDeadLetteredAndNothingApplied() {
        server.then(Reply.ok(Replies.missing(Replies.spec("seen", Types.INT_TYPENAME))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder()
                        .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "o"))
                                .setArgument(Replies.value(Types.STRING_TYPENAME, new byte[0])))
                        .addStateMutations(Replies.modify("seen", Types.LONG_TYPENAME, Types.longType().serialize(1L))))),
                Reply.ok(Replies.result(InvocationResponse.newBuilder()
                        .addStateMutations(Replies.modify("ghost", Types.INT_TYPENAME, Types.intType().serialize(1))))));

        invoke(null, "one");
        driver.drainUntilIdle(10);
        invoke(null, "two");
        driver.drainUntilIdle(10);

        assertTrue(driver.effects.sent.isEmpty(), "a rejected reply delivers nothing");
        assertNull(driver.state.value(TARGET, "seen"));
        assertEquals("function example/fn wrote state 'seen' with type io.statefun.types/long, but it is registered "
                + "with type io.statefun.types/int", driver.effects.deadLetters.get(0).error());
        assertEquals("function example/fn changed state 'ghost', which it never declared",
                driver.effects.deadLetters.get(1).error());
        assertEquals(2, driver.dispatcher.count(RemoteCounter.BATCH_FAILURES));
        assertEquals(2, driver.dispatcher.count(RemoteCounter.DEAD_LETTERED));
    }

    @Test
    void missingStateThatWasAlreadySentIsAProtocolErrorNotALoop() {
        server.then(Reply.ok(Replies.missing(Replies.spec("seen", Types.INT_TYPENAME))),
                Reply.ok(Replies.missing(Replies.spec("seen", Types.INT_TYPENAME))));

        invoke(null, "one");
        driver.drainUntilIdle(10);

        assertEquals(2, server.requests().size());
        assertEquals("function example/fn reports missing state [seen] although the request carried all of it",
                driver.effects.deadLetters.get(0).error());
    }

    @Test
    void emptyBodyAndOddContentTypeMeanNoEffects() {
        server.then(new Reply(200, null, new byte[0]),
                new Reply(200, "text/html; charset=utf-8", Replies.result(InvocationResponse.newBuilder()
                        .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "o"))
                                .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("x")))))));

        invoke(null, "one");
        driver.drainUntilIdle(10);
        invoke(null, "two");
        driver.drainUntilIdle(10);

        assertTrue(driver.effects.deadLetters.isEmpty());
        assertEquals(1, driver.effects.sent.size());
        assertEquals(2, driver.dispatcher.count(RemoteCounter.REPLIES_APPLIED));
    }

    @Test
    void clientErrorsFailAtOnceButServerErrorsAreRetried() {
        server.then(Reply.status(404, "no such function"),
                Reply.status(503, "busy"), Reply.status(429, "slow down"), Reply.ok(new byte[0]));

        invoke(null, "one");
        driver.drainUntilIdle(10);
        invoke(null, "two");
        driver.drainUntilIdle(10);

        assertEquals(1, driver.effects.deadLetters.size());
        String error = driver.effects.deadLetters.get(0).error();
        assertTrue(error.contains("HTTP 404: no such function (not retryable)"), error);
        assertEquals(2, driver.dispatcher.count(RemoteCounter.RETRIES));
        assertEquals(1, driver.dispatcher.count(RemoteCounter.REPLIES_APPLIED));
    }

    @Test
    void garbledReplyIsDeadLetteredWithTheReason() {
        server.then(Reply.ok(new byte[] {(byte) 0xa2, 0x06, 0x7f}));

        invoke(null, "one");
        driver.drainUntilIdle(10);

        String error = driver.effects.deadLetters.get(0).error();
        assertTrue(error.contains("invalid reply: the reply (3 bytes) is not a FromFunction message"), error);
    }

    @Test
    void aReplyMessagingAnIdTooLongForTheRuntimeIsDeadLetteredWithNoEffect() {
        server.then(Reply.ok(Replies.result(InvocationResponse.newBuilder()
                .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "o"))
                        .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("m"))))
                .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "x".repeat(70_000)))
                        .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("m")))))));

        invoke(null, "one");
        driver.drainUntilIdle(10);

        String error = driver.effects.deadLetters.get(0).error();
        assertTrue(error.contains("invalid reply: ") && error.contains("has an id of 70000 UTF-8 bytes"), error);
        assertTrue(driver.effects.sent.isEmpty(), "not even the reply's first message");
    }

    @Test
    void aReplyWithAnEgressRecordTheRuntimeCannotWriteIsDeadLetteredWithNoEffect() {
        driver.effects.maxEgressBytes = 10;
        server.then(Reply.ok(Replies.result(InvocationResponse.newBuilder()
                .addOutgoingMessages(Invocation.newBuilder().setTarget(Replies.address("example", "other", "o"))
                        .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("m"))))
                .addOutgoingEgresses(EgressMessage.newBuilder().setEgressNamespace("example").setEgressType("out")
                        .setArgument(Replies.value(Types.STRING_TYPENAME, Types.stringType().serialize("too long a record")))))));

        invoke(null, "one");
        driver.drainUntilIdle(10);

        String error = driver.effects.deadLetters.get(0).error();
        assertTrue(error.contains("answered a record the runtime cannot write: over 10 bytes"), error);
        assertEquals(List.of("deadLetter"), driver.effects.order, "not even the reply's message");
    }

    @Test
    void pendingInvocationsListInFlightThenQueuedWithTheirKeyGroup() {
        server.then(Reply.ok(new byte[0]), Reply.ok(new byte[0]));
        invoke(null, "one");
        invoke(CALLER, "two");
        invoke(null, "three");

        List<PendingRemoteInvocation> pending = driver.dispatcher.pendingInvocations();
        invoke(null, "four"); // after the capture: a snapshot taken before it must not see it
        assertEquals(List.of("one", "two", "three"), pending.stream().map(p -> p.invocation().asUtf8String()).toList());
        assertEquals(7, pending.get(0).keyGroup());
        assertEquals(CALLER, pending.get(1).invocation().caller());
        assertEquals(1, driver.dispatcher.inFlightBatches());
        assertEquals(3, driver.dispatcher.queuedInvocations());
        driver.drainUntilIdle(10);
        assertTrue(driver.dispatcher.pendingInvocations().isEmpty());
        assertEquals(0, driver.dispatcher.queuedInvocations());
    }

    /** A backlog holds one address object per address, not a copy per invocation (memory, with 1M queued). */
    @Test
    void queuedInvocationsShareTheirAddressObject() {
        server.then(Reply.ok(new byte[0]), Reply.ok(new byte[0]));
        invoke(null, "one");
        for (String text : List.of("two", "three")) {
            driver.dispatcher.invoke(7, new Address(FN, "a"), null, Types.STRING_TYPENAME,
                    Types.stringType().serialize(text)); // equal to TARGET, another object each time
        }
        List<PendingRemoteInvocation> pending = driver.dispatcher.pendingInvocations();
        assertEquals(3, pending.size());
        assertSame(pending.get(0).invocation().targetAddress(), pending.get(1).invocation().targetAddress());
        assertSame(pending.get(1).invocation().targetAddress(), pending.get(2).invocation().targetAddress());
        assertEquals(TARGET, pending.get(2).invocation().targetAddress());
        driver.drainUntilIdle(10);
    }

    /**
     * The heads a snapshot records are kept as channels change, not found by walking every channel: after each of
     * thousands of random invocations, replies (successes, and failures that dead-letter a batch) and drains they
     * must be exactly those of what the dispatcher holds.
     */
    @Test
    void theHeadsKeptAsChannelsChangeAreThoseOfWhatIsHeld() {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 4_000; i++) {
            server.then(random.nextInt(8) == 0 ? Reply.status(400, "refused") : Reply.ok(new byte[0]));
        }
        try (DispatcherDriver small = new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*",
                server.urlTemplate()).withCallTimeout(Duration.ofSeconds(10)).build()),
                RemoteDispatcherConfig.defaults().maxConcurrentCalls(3).initialBackoff(Duration.ofMillis(1)))) {
            for (int step = 0; step < 3_000; step++) {
                if (random.nextInt(3) > 0) {
                    small.dispatcher.invoke(7, new Address(FN, "a" + random.nextInt(40)), null,
                            Types.STRING_TYPENAME, Types.stringType().serialize("m" + step));
                } else {
                    small.dispatcher.drainCompletions();
                }
                assertHeadsMatchWhatIsHeld(small.dispatcher);
            }
            small.drainUntil(() -> small.dispatcher.pendingInvocations().isEmpty(), 30, "every batch done");
            assertHeadsMatchWhatIsHeld(small.dispatcher);
            assertEquals(0, small.dispatcher.backlogHeads().held());
        }
    }

    private static void assertHeadsMatchWhatIsHeld(RemoteDispatcher dispatcher) {
        java.util.Map<Address, Long> oldest = new java.util.HashMap<>();
        List<PendingRemoteInvocation> held = dispatcher.pendingInvocations();
        for (PendingRemoteInvocation p : held) {
            oldest.merge(p.invocation().targetAddress(), p.invocation().sequence(), Math::min);
        }
        BacklogHeads heads = dispatcher.backlogHeads();
        assertEquals(oldest.values().stream().sorted().toList(),
                java.util.Arrays.stream(heads.oldestSequences()).sorted().boxed().toList());
        assertEquals(held.size(), heads.held());
    }

    /**
     * What a snapshot of the backlog needs: the invocations accepted since the previous snapshot, numbered in
     * order, and where each address's held invocations start (the batch in flight first).
     */
    @Test
    void acceptedInvocationsAreNumberedAndRecordedOnceASnapshotAsks() {
        server.then(Reply.ok(new byte[0]), Reply.ok(new byte[0]), Reply.ok(new byte[0]), Reply.ok(new byte[0]));
        invoke(null, "before");
        driver.drainUntilIdle(10);
        assertNull(driver.dispatcher.takeAccepted(), "not recorded before a snapshot asked: unknown");

        invoke(null, "one"); // in flight
        invoke(null, "two"); // queued behind it
        driver.dispatcher.invoke(3, new Address(FN, "b"), null, Types.STRING_TYPENAME,
                Types.stringType().serialize("three"));
        List<PendingRemoteInvocation> accepted = driver.dispatcher.takeAccepted();
        assertEquals(List.of(1L, 2L, 3L), accepted.stream().map(p -> p.invocation().sequence()).toList());
        assertEquals(List.of(7, 7, 3), accepted.stream().map(PendingRemoteInvocation::keyGroup).toList());
        BacklogHeads heads = driver.dispatcher.backlogHeads();
        assertEquals(List.of(1L, 3L), java.util.Arrays.stream(heads.oldestSequences()).sorted().boxed().toList());
        assertEquals(3, heads.held());

        driver.drainUntilIdle(10);
        assertEquals(0, driver.dispatcher.backlogHeads().oldestSequences().length, "nothing held");
        assertEquals(List.of(), driver.dispatcher.takeAccepted(), "nothing accepted since the last take");
    }
}
