package io.stator.remote.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.protocol.FromFunction;
import io.stator.remote.protocol.FromFunction.DelayedInvocation;
import io.stator.remote.protocol.FromFunction.ExpirationSpec.ExpireMode;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation.MutationType;
import io.stator.remote.protocol.FromFunction.PersistedValueSpec;
import io.stator.remote.protocol.ToFunction;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our server's protocol logic, driven with requests shaped like StateFun's runtime sends them. */
class FunctionRequestHandlerTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final FunctionRequestHandler handler = new FunctionRequestHandler(List.of(CounterFunction.SPEC));

    @BeforeEach
    void resetCalls() {
        CounterFunction.CALLS.set(0);
    }

    private FromFunction reply(byte[] request) throws Exception {
        return FromFunction.parseFrom(handler.handle(request).get(5, TimeUnit.SECONDS));
    }

    @Test
    void missingStateListsEveryDeclaredStateAndRunsNothing() throws Exception {
        FromFunction reply = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a").invoke(null, "alice").bytes());

        assertTrue(reply.hasIncompleteInvocationContext());
        List<PersistedValueSpec> missing = reply.getIncompleteInvocationContext().getMissingValuesList();
        assertEquals(2, missing.size());
        PersistedValueSpec seen = missing.get(0);
        assertEquals("seen", seen.getStateName());
        assertEquals("io.statefun.types/int", seen.getTypeTypename());
        assertEquals(ExpireMode.AFTER_INVOKE, seen.getExpirationSpec().getMode());
        assertEquals(86_400_000L, seen.getExpirationSpec().getExpireAfterMillis());
        PersistedValueSpec name = missing.get(1);
        assertEquals("name", name.getStateName());
        assertEquals("io.statefun.types/string", name.getTypeTypename());
        assertFalse(name.hasExpirationSpec(), "NONE expiry must be left out");
        assertEquals(0, CounterFunction.CALLS.get());
    }

    @Test
    void partlyListedStateAsksOnlyForTheRest() throws Exception {
        FromFunction reply = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .stateWithoutValue("name").stateWithoutValue("unknown_extra").invoke(null, "alice").bytes());

        List<PersistedValueSpec> missing = reply.getIncompleteInvocationContext().getMissingValuesList();
        assertEquals(List.of("seen"), missing.stream().map(PersistedValueSpec::getStateName).toList());
    }

    @Test
    void afterWriteExpiryIsSentAsAfterWrite() throws Exception {
        ValueSpec<Long> total = ValueSpec.named("total").thatExpireAfterWrite(java.time.Duration.ofMillis(1500)).withLongType();
        TypeName type = TypeName.typeNameOf("example", "ttl");
        FunctionRequestHandler ttl = new FunctionRequestHandler(List.of(StatefulFunctionSpec.builder(type)
                .withValueSpec(total).withSupplier(() -> (c, m) -> null).build()));

        FromFunction reply = FromFunction.parseFrom(
                ttl.handle(StatefunShapedRequests.to(type, "x").invoke(null, "go").bytes()).get(5, TimeUnit.SECONDS));

        PersistedValueSpec spec = reply.getIncompleteInvocationContext().getMissingValues(0);
        assertEquals(ExpireMode.AFTER_WRITE, spec.getExpirationSpec().getMode());
        assertEquals(1500L, spec.getExpirationSpec().getExpireAfterMillis());
        assertEquals("io.statefun.types/long", spec.getTypeTypename());
    }

    @Test
    void batchRunsInOrderWithStateVisibleAcrossInvocationsAndOneMutationPerState() throws Exception {
        FromFunction reply = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .stateWithoutValue("seen")
                .stateWithHasValueFalse("name", "")
                .invoke(null, "alice")
                .invoke(StatefunShapedRequests.address(TypeName.typeNameOf("example", "caller"), "c1"), "bob")
                .invoke(null, "carol")
                .bytes());

        InvocationResponse result = reply.getInvocationResult();
        assertEquals(3, CounterFunction.CALLS.get());
        List<PersistedValueMutation> mutations = result.getStateMutationsList();
        assertEquals(2, mutations.size(), "one mutation per touched state");
        PersistedValueMutation seen = mutations.get(0);
        assertEquals(MutationType.MODIFY, seen.getMutationType());
        assertEquals("seen", seen.getStateName());
        assertEquals("io.statefun.types/int", seen.getStateValue().getTypename());
        assertTrue(seen.getStateValue().getHasValue());
        assertEquals("0d 03 00 00 00", HEX.formatHex(seen.getStateValue().getValue().toByteArray()));
        PersistedValueMutation name = mutations.get(1);
        assertEquals("io.statefun.types/string", name.getStateValue().getTypename());
        assertEquals("carol", Types.stringType().deserialize(name.getStateValue().getValue().toByteArray()));

        List<String> greetings = result.getOutgoingMessagesList().stream()
                .map(m -> Types.stringType().deserialize(m.getArgument().getValue().toByteArray())).toList();
        assertEquals(List.of("hello alice #1 from ingress", "hello bob #2 from example/caller/c1",
                "hello carol #3 from ingress"), greetings);
        assertEquals("greeter", result.getOutgoingMessages(1).getTarget().getType());
        assertEquals("bob", result.getOutgoingMessages(1).getTarget().getId());
        assertEquals(3, result.getOutgoingEgressesCount());
        assertEquals("example", result.getOutgoingEgresses(2).getEgressNamespace());
        assertEquals("out", result.getOutgoingEgresses(2).getEgressType());
        assertEquals(1, result.getDelayedInvocationsCount(), "the reminder is scheduled when seen reaches 2");
    }

    @Test
    void storedValuesAreReadAndAnUntouchedStateHasNoMutation() throws Exception {
        FromFunction reply = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .state("seen", Types.INT_TYPENAME, Types.intType().serialize(41))
                .state("name", Types.STRING_TYPENAME, Types.stringType().serialize("old"))
                .invoke(null, "forget")
                .bytes());

        List<PersistedValueMutation> mutations = reply.getInvocationResult().getStateMutationsList();
        assertEquals(1, mutations.size());
        assertEquals(MutationType.DELETE, mutations.get(0).getMutationType());
        assertEquals("seen", mutations.get(0).getStateName());
        assertFalse(mutations.get(0).hasStateValue());
    }

    @Test
    void intStateIsDecodedFromItsWrapperBytes() throws Exception {
        FromFunction reply = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .state("seen", Types.INT_TYPENAME, HEX.parseHex("0d 01 00 00 00"))
                .stateWithoutValue("name")
                .invoke(null, "x")
                .bytes());

        PersistedValueMutation seen = reply.getInvocationResult().getStateMutations(0);
        assertEquals("0d 02 00 00 00", HEX.formatHex(seen.getStateValue().getValue().toByteArray()));
    }

    @Test
    void delayedMessageCarriesTokenAndCancellationIsAFlagWithTheToken() throws Exception {
        FromFunction scheduled = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .state("seen", Types.INT_TYPENAME, Types.intType().serialize(1)).stateWithoutValue("name")
                .invoke(null, "x").bytes());
        DelayedInvocation delayed = scheduled.getInvocationResult().getDelayedInvocations(0);
        assertEquals(1000L, delayed.getDelayInMs());
        assertEquals("reminder-a", delayed.getCancellationToken());
        assertFalse(delayed.getIsCancellationRequest());
        assertEquals("counter", delayed.getTarget().getType());

        FromFunction cancelled = reply(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .stateWithoutValue("seen").stateWithoutValue("name").invoke(null, "cancel").bytes());
        DelayedInvocation cancellation = cancelled.getInvocationResult().getDelayedInvocations(0);
        assertTrue(cancellation.getIsCancellationRequest());
        assertEquals("reminder-a", cancellation.getCancellationToken());
        assertFalse(cancellation.hasTarget());
        assertFalse(cancellation.hasArgument());
    }

    @Test
    void storedValueOfAnotherTypeFailsTheInvocationClearly() {
        CompletableFuture<byte[]> result = handler.handle(StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .state("seen", Types.STRING_TYPENAME, Types.stringType().serialize("oops"))
                .stateWithoutValue("name")
                .invoke(null, "x")
                .bytes());

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> result.get(5, TimeUnit.SECONDS));
        assertInstanceOf(FunctionInvocationException.class, e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.contains("state 'seen'") && message.contains("io.statefun.types/string")
                && message.contains("io.statefun.types/int"), message);
    }

    @Test
    void unknownFunctionTypeFailsNamingTheType() {
        CompletableFuture<byte[]> result = handler.handle(StatefunShapedRequests.to(TypeName.typeNameOf("example", "nope"), "a")
                .invoke(null, "x").bytes());

        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, result::join);
        assertInstanceOf(FunctionInvocationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("example/nope"), e.getCause().getMessage());
    }

    @Test
    void garbageBytesAreAnInvalidRequest() {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> handler.handle(new byte[] {(byte) 0xff, 0x01, 0x02}).join());
        assertInstanceOf(InvalidRequestException.class, e.getCause());
    }

    @Test
    void requestWithoutBatchGetsAnEmptyReply() throws Exception {
        assertEquals(0, handler.handle(ToFunction.getDefaultInstance().toByteArray()).get(5, TimeUnit.SECONDS).length);
    }

    @Test
    void asyncFunctionIsAwaitedWithoutBlockingAndTheBatchContinuesAfterIt() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        ValueSpec<Integer> count = ValueSpec.named("count").withIntType();
        TypeName type = TypeName.typeNameOf("example", "async");
        FunctionRequestHandler async = new FunctionRequestHandler(List.of(StatefulFunctionSpec.builder(type)
                .withValueSpec(count)
                .withSupplier(() -> (context, message) -> {
                    context.storage().set(count, context.storage().get(count).orElse(0) + 1);
                    return gate; // the first call parks; the second runs only once the gate opens
                })
                .build()));

        CompletableFuture<byte[]> result = async.handle(StatefunShapedRequests.to(type, "z")
                .stateWithoutValue("count").invoke(null, "one").invoke(null, "two").bytes());
        assertFalse(result.isDone(), "handle must return before the function's future completes");

        gate.complete(null);
        FromFunction reply = FromFunction.parseFrom(result.get(5, TimeUnit.SECONDS));
        assertArrayEquals(Types.intType().serialize(2), reply.getInvocationResult().getStateMutations(0)
                .getStateValue().getValue().toByteArray());
    }

    @Test
    void messageOfTheArgumentCarriesItsTypeAndTarget() throws Exception {
        TypeName type = TypeName.typeNameOf("example", "echo");
        CompletableFuture<Message> seen = new CompletableFuture<>();
        FunctionRequestHandler echo = new FunctionRequestHandler(List.of(StatefulFunctionSpec.builder(type)
                .withSupplier(() -> (context, message) -> {
                    seen.complete(message);
                    return null;
                }).build()));

        echo.handle(StatefunShapedRequests.to(type, "id-1").invoke(null, "hi").bytes()).get(5, TimeUnit.SECONDS);

        Message message = seen.get(5, TimeUnit.SECONDS);
        assertEquals("example/echo/id-1", message.targetAddress().toString());
        assertEquals("hi", message.asUtf8String());
    }

    @Test
    void aThrowingFunctionOrSupplierFailsTheBatchWithoutEffects() {
        TypeName boom = TypeName.typeNameOf("example", "boom");
        TypeName noInstance = TypeName.typeNameOf("example", "noinstance");
        FunctionRequestHandler failing = new FunctionRequestHandler(List.of(
                StatefulFunctionSpec.builder(boom).withSupplier(() -> (context, message) -> {
                    throw new IllegalStateException("kaboom on " + message.asUtf8String());
                }).build(),
                StatefulFunctionSpec.builder(noInstance).withSupplier(() -> {
                    throw new IllegalStateException("no instance today");
                }).build()));

        CompletionException thrown = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> failing.handle(StatefunShapedRequests.to(boom, "b").invoke(null, "x").bytes()).join());
        assertEquals("function example/boom, address example/boom/b, invocation 1 of 1 failed: "
                + "java.lang.IllegalStateException: kaboom on x", thrown.getCause().getMessage());

        CompletionException noSupplier = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> failing.handle(StatefunShapedRequests.to(noInstance, "n").invoke(null, "x").bytes()).join());
        assertInstanceOf(FunctionInvocationException.class, noSupplier.getCause());
        assertTrue(noSupplier.getCause().getMessage().contains("no instance today"));
    }
}
