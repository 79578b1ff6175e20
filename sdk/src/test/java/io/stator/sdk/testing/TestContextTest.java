package io.stator.sdk.testing;

import static io.stator.sdk.testing.CountingReminder.COUNT;
import static io.stator.sdk.testing.CountingReminder.REMINDER_DELAY;
import static io.stator.sdk.testing.CountingReminder.REMINDER_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link TestContext}, the user-facing test kit, driven end to end through {@link CountingReminder} and a few
 * one-off functions: recorded effects, virtual time, cancellation tokens, declared-state enforcement and
 * the discarding of a failed call's effects.
 */
final class TestContextTest {
    private static final Address ALICE = new Address(CountingReminder.TYPE, "alice");
    private static final Address STATS_ALICE = new Address(CountingReminder.STATS, "alice");
    private static final TypeName SCRATCH = TypeName.typeNameOf("example", "scratch");

    private static Message toAlice(int amount) {
        return MessageBuilder.forAddress(ALICE).withValue(amount).build();
    }

    private static Message toAlice(String command) {
        return MessageBuilder.forAddress(ALICE).withValue(command).build();
    }

    private static Message text(String value) {
        return MessageBuilder.forAddress(SCRATCH, "peer").withValue(value).build();
    }

    private static List<String> egressTexts(TestContext context) {
        List<String> texts = new ArrayList<>();
        for (EgressMessage record : context.sentEgressMessages()) {
            texts.add(Types.stringType().deserialize(record.rawValue()));
        }
        return texts;
    }

    private static List<String> texts(List<Message> messages) {
        List<String> texts = new ArrayList<>();
        for (Message m : messages) {
            texts.add(m.asUtf8String());
        }
        return texts;
    }

    private static StatefulFunctionSpec scratchFunction(StatefulFunction function, ValueSpec<?>... state) {
        return StatefulFunctionSpec.builder(SCRATCH).withValueSpecs(state).withSupplier(() -> function).build();
    }

    private static Throwable failureOf(CompletableFuture<Void> call) {
        CompletionException e = assertThrows(CompletionException.class, call::join);
        return e.getCause();
    }

    // --- recorded effects -------------------------------------------------------------------------------------

    @Test
    void anIncrementStoresTheTotalAndTellsStats() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");

        context.invoke(toAlice(2)).join();
        context.invoke(toAlice(3)).join();

        assertEquals(Optional.of(5), context.storage().get(COUNT));
        List<Message> sent = context.sentMessages();
        assertEquals(2, sent.size());
        assertEquals(STATS_ALICE, sent.get(1).targetAddress());
        assertEquals(5, sent.get(1).asInt());
        assertEquals(ALICE, context.self());
    }

    @Test
    void theFirstIncrementSchedulesOneReminderToSelfUnderItsToken() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");

        context.invoke(toAlice(1)).join();
        context.invoke(toAlice(1)).join();

        assertEquals(1, context.pendingDelayedMessages().size());
        DelayedMessage reminder = context.pendingDelayedMessages().get(0);
        assertEquals(REMINDER_DELAY, reminder.dueAt());
        assertEquals(Optional.of(REMINDER_TOKEN), reminder.cancellationToken());
        assertEquals(ALICE, reminder.message().targetAddress());
        assertEquals(CountingReminder.REMIND, reminder.message().asUtf8String());
        assertTrue(context.sentMessages().stream().noneMatch(m -> m.targetAddress().equals(ALICE)),
                "a delayed message must not show up as sent before it is due");
    }

    @Test
    void egressRecordsAreRecordedInOrder() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(4)).join();

        context.invoke(context.advanceTimeBy(REMINDER_DELAY).get(0)).join();
        context.invoke(toAlice(CountingReminder.STOP)).join();

        assertEquals(List.of("still counting: 4", "stopped at 4"), egressTexts(context));
        assertEquals(CountingReminder.COUNTS_EGRESS, context.sentEgressMessages().get(0).egressId());
        assertEquals(Optional.empty(), context.storage().get(COUNT));
    }

    @Test
    void clearSentForgetsRecordsButKeepsStateAndPendingMessages() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(1)).join();
        context.invoke(context.advanceTimeBy(REMINDER_DELAY).get(0)).join();

        context.clearSent();

        assertTrue(context.sentMessages().isEmpty());
        assertTrue(context.sentEgressMessages().isEmpty());
        assertEquals(Optional.of(1), context.storage().get(COUNT));
        assertEquals(1, context.pendingDelayedMessages().size());
    }

    @Test
    void recordedListsAreReadOnly() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(1)).join();

        assertThrows(UnsupportedOperationException.class, () -> context.sentMessages().clear());
        assertThrows(UnsupportedOperationException.class, () -> context.sentEgressMessages().clear());
        assertThrows(UnsupportedOperationException.class, () -> context.pendingDelayedMessages().clear());
    }

    // --- virtual time -----------------------------------------------------------------------------------------

    @Test
    void advanceTimeByReturnsTheReminderOnlyOnceItIsDue() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(1)).join();

        List<Message> early = context.advanceTimeBy(REMINDER_DELAY.minusMinutes(1));
        List<Message> due = context.advanceTimeBy(Duration.ofMinutes(1));
        List<Message> later = context.advanceTimeBy(Duration.ofDays(1));

        assertTrue(early.isEmpty());
        assertEquals(List.of(CountingReminder.REMIND), texts(due));
        assertTrue(later.isEmpty(), "a delivered message is delivered once");
        assertTrue(context.pendingDelayedMessages().isEmpty());
        assertEquals(REMINDER_DELAY.plusDays(1), context.now());
    }

    @Test
    void aDeliveredReminderReschedulesUnderTheSameTokenFromTheCurrentTime() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(3)).join();
        List<Message> due = context.advanceTimeBy(REMINDER_DELAY);

        context.invoke(due.get(0)).join();

        assertEquals(List.of("still counting: 3"), egressTexts(context));
        assertEquals(REMINDER_DELAY.multipliedBy(2), context.pendingDelayedMessages().get(0).dueAt());
        assertEquals(List.of(CountingReminder.REMIND), texts(context.advanceTimeBy(REMINDER_DELAY)));
    }

    @Test
    void stopCancelsThePendingReminderSoItIsNeverDelivered() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(1)).join();
        context.advanceTimeBy(Duration.ofMinutes(30));

        context.invoke(toAlice(CountingReminder.STOP)).join();

        assertTrue(context.pendingDelayedMessages().isEmpty());
        assertTrue(context.advanceTimeBy(Duration.ofDays(365)).isEmpty());
        assertEquals(List.of("stopped at 1"), egressTexts(context));
    }

    @Test
    void dueMessagesComeInDueOrderWithSendOrderBreakingTies() {
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> {
            ctx.sendAfter(Duration.ofSeconds(3), text("c"));
            ctx.sendAfter(Duration.ofSeconds(1), text("a"));
            ctx.sendAfter(Duration.ofSeconds(1), "t", text("b"));
            ctx.sendAfter(Duration.ofSeconds(9), text("later"));
            return StatefulFunction.DONE;
        }), "one");

        context.invoke(text("go")).join();

        assertEquals(List.of("a", "b", "c"), texts(context.advanceTimeBy(Duration.ofSeconds(5))));
        assertEquals(1, context.pendingDelayedMessages().size());
        assertEquals(List.of("later"), texts(context.advanceTimeBy(Duration.ofSeconds(4))));
    }

    @Test
    void aZeroDelayMessageIsDueWithoutMovingTheClock() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");

        context.sendAfter(Duration.ZERO, text("now"));

        assertEquals(List.of("now"), texts(context.advanceTimeBy(Duration.ZERO)));
        assertEquals(Duration.ZERO, context.now());
    }

    @Test
    void timeCannotMoveBackwards() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> context.advanceTimeBy(Duration.ofSeconds(-1)));

        assertTrue(e.getMessage().contains("PT-1S"), e.getMessage());
    }

    // --- cancellation tokens ----------------------------------------------------------------------------------

    @Test
    void reusingAPendingTokenFailsNamingTheTokenAndAddress() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.invoke(toAlice(1)).join();

        Throwable failure = failureOf(context.invoke(toAlice(CountingReminder.REMIND)));

        assertInstanceOf(IllegalStateException.class, failure);
        assertTrue(failure.getMessage().contains("'" + REMINDER_TOKEN + "'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("example/counting-reminder/alice"), failure.getMessage());
        assertEquals(1, context.pendingDelayedMessages().size());
    }

    @Test
    void aCancelledTokenCanBeReused() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.sendAfter(Duration.ofSeconds(1), "t", text("first"));

        context.cancelDelayedMessage("t");
        context.sendAfter(Duration.ofSeconds(2), "t", text("second"));

        assertEquals(List.of("second"), texts(context.advanceTimeBy(Duration.ofSeconds(2))));
    }

    @Test
    void cancellingAnUnknownTokenDoesNothing() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        context.sendAfter(Duration.ofSeconds(1), "kept", text("kept"));

        context.cancelDelayedMessage("unknown");

        assertEquals(1, context.pendingDelayedMessages().size());
    }

    @Test
    void emptyTokensAndNegativeDelaysAreRejectedNamingTheAddress() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> context.sendAfter(Duration.ofMillis(-5), text("x")));
        IllegalArgumentException emptyToken = assertThrows(IllegalArgumentException.class,
                () -> context.sendAfter(Duration.ofSeconds(1), "", text("x")));
        assertThrows(IllegalArgumentException.class, () -> context.cancelDelayedMessage(""));

        assertTrue(negative.getMessage().contains("PT-0.005S"), negative.getMessage());
        assertTrue(negative.getMessage().contains("example/counting-reminder/alice"), negative.getMessage());
        assertTrue(emptyToken.getMessage().contains("example/counting-reminder/alice"), emptyToken.getMessage());
        assertTrue(context.pendingDelayedMessages().isEmpty());
    }

    // --- declared state, as at runtime ------------------------------------------------------------------------

    @Test
    void usingUndeclaredStateFailsTheCallNamingFunctionAddressAndState() {
        StatefulFunctionSpec undeclared =
                StatefulFunctionSpec.builder(CountingReminder.TYPE).withSupplier(CountingReminder::new).build();
        TestContext context = TestContext.forFunction(undeclared, "alice");

        Throwable failure = failureOf(context.invoke(toAlice(1)));

        assertInstanceOf(IllegalStateException.class, failure);
        assertTrue(failure.getMessage().contains("example/counting-reminder/alice"), failure.getMessage());
        assertTrue(failure.getMessage().contains("'count'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("not declared"), failure.getMessage());
    }

    @Test
    void stateDeclaredWithAnotherTypeFailsTheCallNamingBothTypes() {
        StatefulFunctionSpec countAsLong = StatefulFunctionSpec.builder(CountingReminder.TYPE)
                .withValueSpec(ValueSpec.named("count").withLongType())
                .withSupplier(CountingReminder::new)
                .build();
        TestContext context = TestContext.forFunction(countAsLong, "alice");

        Throwable failure = failureOf(context.invoke(toAlice(1)));

        assertTrue(failure.getMessage().contains("io.statefun.types/long"), failure.getMessage());
        assertTrue(failure.getMessage().contains("io.statefun.types/int"), failure.getMessage());
    }

    @Test
    void presetStateIsSeenByTheFirstCall() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice").withState(COUNT, 10);

        context.invoke(toAlice(1)).join();

        assertEquals(11, context.sentMessages().get(0).asInt());
        assertTrue(context.pendingDelayedMessages().isEmpty(), "not a first count, so no reminder");
    }

    @Test
    void presettingUndeclaredStateFails() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        ValueSpec<String> undeclared = ValueSpec.named("nickname").withUtf8StringType();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> context.withState(undeclared, "Al"));

        assertTrue(e.getMessage().contains("'nickname'"), e.getMessage());
    }

    @Test
    void anEmptyIdIsRejectedNamingTheFunctionType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestContext.forFunction(CountingReminder.SPEC, ""));

        assertTrue(e.getMessage().contains("example/counting-reminder"), e.getMessage());
    }

    // --- calls ------------------------------------------------------------------------------------------------

    @Test
    void aFailedCallHasNoEffects() {
        ValueSpec<String> note = ValueSpec.named("note").withUtf8StringType();
        IllegalStateException boom = new IllegalStateException("boom");
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> {
            ctx.storage().set(note, "overwritten");
            ctx.send(text("sent"));
            ctx.send(EgressMessageBuilder.forEgress(SCRATCH).withValue("egress").build());
            ctx.sendAfter(Duration.ofSeconds(1), text("delayed"));
            ctx.cancelDelayedMessage("kept");
            throw boom;
        }, note), "one").withState(note, "original");
        context.sendAfter(Duration.ofSeconds(5), "kept", text("kept"));

        Throwable failure = failureOf(context.invoke(text("go")));

        assertSame(boom, failure);
        assertEquals(Optional.of("original"), context.storage().get(note));
        assertTrue(context.sentMessages().isEmpty());
        assertTrue(context.sentEgressMessages().isEmpty());
        assertEquals(List.of("kept"), texts(context.advanceTimeBy(Duration.ofSeconds(5))));
    }

    @Test
    void anAsynchronousCallThatFailsLaterHasNoEffects() {
        CompletableFuture<Void> work = new CompletableFuture<>();
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> {
            ctx.send(text("sent while working"));
            return work;
        }), "one");

        CompletableFuture<Void> call = context.invoke(text("go"));
        assertEquals(1, context.sentMessages().size(), "effects are visible while the call runs");
        work.completeExceptionally(new IllegalStateException("remote service down"));

        assertEquals("remote service down", failureOf(call).getMessage());
        assertTrue(context.sentMessages().isEmpty());
    }

    @Test
    void anAsynchronousCallThatSucceedsKeepsItsEffects() {
        CompletableFuture<Void> work = new CompletableFuture<>();
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> {
            ctx.send(text("sent"));
            return work;
        }), "one");

        CompletableFuture<Void> call = context.invoke(text("go"));
        work.complete(null);

        call.join();
        assertEquals(List.of("sent"), texts(context.sentMessages()));
    }

    @Test
    void aFunctionReturningNullCountsAsDone() {
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> null), "one");

        assertTrue(context.invoke(text("go")).isDone());
    }

    @Test
    void eachCallGetsAFreshInstance() {
        AtomicInteger made = new AtomicInteger();
        StatefulFunctionSpec spec = StatefulFunctionSpec.builder(SCRATCH).withSupplier(() -> {
            made.incrementAndGet();
            return (StatefulFunction) (ctx, message) -> StatefulFunction.DONE;
        }).build();
        TestContext context = TestContext.forFunction(spec, "one");

        context.invoke(text("a")).join();
        context.invoke(text("b")).join();

        assertEquals(2, made.get());
    }

    @Test
    void theCallerIsWhatTheTestSetsAndEmptyByDefault() {
        List<Optional<Address>> seen = new ArrayList<>();
        TestContext context = TestContext.forFunction(scratchFunction((ctx, message) -> {
            seen.add(ctx.caller());
            return StatefulFunction.DONE;
        }), "one");

        context.invoke(text("from ingress")).join();
        context.withCaller(STATS_ALICE).invoke(text("from stats")).join();
        context.withCaller(null).invoke(text("from a timer")).join();

        assertEquals(List.of(Optional.empty(), Optional.of(STATS_ALICE), Optional.empty()), seen);
    }

    @Test
    void badArgumentsToADelayedSendAreRejectedWithTheRuntimesMessages() {
        TestContext context = TestContext.forFunction(CountingReminder.SPEC, "alice");
        Message later = toAlice(1);
        var negative = assertThrows(IllegalArgumentException.class,
                () -> context.sendAfter(Duration.ofMillis(-5), later));
        assertEquals("address " + context.self() + " sent a message with negative delay PT-0.005S", negative.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> context.cancelDelayedMessage(""));
        assertEquals("address " + context.self() + ": a cancellation token must not be empty", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> context.sendAfter(Duration.ZERO, null, later));
        assertTrue(context.pendingDelayedMessages().isEmpty(), "nothing was scheduled");
    }
}
