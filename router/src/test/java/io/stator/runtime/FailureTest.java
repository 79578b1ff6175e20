package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input and failing functions get a clear error, lose nothing, and do not stop other traffic. */
class FailureTest {
    static final TypeName FN = TypeName.typeNameOf("test", "fn");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");
    static final ValueSpec<Integer> DECLARED = ValueSpec.named("declared").withIntType();
    static final ValueSpec<Integer> UNDECLARED = ValueSpec.named("undeclared").withIntType();

    /**
     * "boom" throws, "undeclared" uses an undeclared state, "ghost" messages an unknown type, "negative-delay" and
     * "empty-token" pass bad arguments to a delayed send, "long-id" messages ids too long to encode, else echoes.
     */
    static final StatefulFunction FUNCTION = (ctx, msg) -> {
        String cmd = msg.asUtf8String();
        switch (cmd) {
            case "boom" -> {
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("never").build());
                throw new RuntimeException("boom at " + ctx.self());
            }
            case "undeclared" -> ctx.storage().set(UNDECLARED, 1);
            case "ghost" -> ctx.send(MessageBuilder.forAddress(TypeName.typeNameOf("nope", "ghost"), "g").withValue(1).build());
            case "negative-delay" -> ctx.sendAfter(java.time.Duration.ofSeconds(-1), selfMessage(ctx));
            case "empty-token" -> ctx.sendAfter(java.time.Duration.ofSeconds(1), "", selfMessage(ctx));
            case "long-id" -> {
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("never").build());
                for (int i = 0; i < 8; i++) { // some to the other partition, whose channel encodes the id
                    ctx.send(MessageBuilder.forAddress(FN, i + "x".repeat(70_000)).withValue("hi").build());
                }
            }
            default -> {
                ctx.storage().set(DECLARED, ctx.storage().get(DECLARED).orElse(0) + 1);
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue(cmd).build());
            }
        }
        return StatefulFunction.DONE;
    };

    private static io.stator.sdk.Message selfMessage(io.stator.sdk.Context ctx) {
        return MessageBuilder.forAddress(ctx.self()).withValue("later").build();
    }

    private Stator start(InMemoryEgress egress) {
        return Stator.builder().partitions(2).maxParallelism(8).threadingMode(ThreadingMode.INVOKER).egress(egress)
                .withFunction(StatefulFunctionSpec.builder(FN).withValueSpec(DECLARED).withSupplier(() -> FUNCTION).build())
                .start();
    }

    private static void send(Stator stator, String id, String cmd) {
        stator.send(MessageBuilder.forAddress(FN, id).withValue(cmd).build());
        stator.runUntilIdle();
    }

    @Test
    void sendingToAnUnknownFunctionTypeIsRejectedAtTheDoor() {
        try (Stator stator = start(new InMemoryEgress())) {
            var e = assertThrows(IllegalArgumentException.class, () -> stator.send(
                    MessageBuilder.forAddress(TypeName.typeNameOf("nope", "ghost"), "x").withValue(1).build()));
            assertTrue(e.getMessage().contains("nope/ghost"), e.getMessage());
        }
    }

    @Test
    void aFailingCallDiscardsItsEffectsDeadLettersTheMessageAndOthersContinue() {
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = start(egress)) {
            send(stator, "x", "boom");
            send(stator, "x", "hello");
            send(stator, "y", "world");
            assertEquals(java.util.List.of("hello", "world"), egress.records(OUT).stream().map(Types2::string).toList());
            var dead = egress.records(DeadLetters.EGRESS);
            assertEquals(1, dead.size());
            String json = Types2.string(dead.get(0));
            assertTrue(json.contains("\"address\":\"test/fn/x\""), json);
            assertTrue(json.contains("boom at test/fn/x"), json);
        }
    }

    @Test
    void usingAnUndeclaredStateNamesTheFunctionAddressAndState() {
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = start(egress)) {
            send(stator, "z", "undeclared");
            String json = Types2.string(egress.records(DeadLetters.EGRESS).get(0));
            assertTrue(json.contains("function test/fn, address test/fn/z, state 'undeclared' is not declared"), json);
        }
    }

    @Test
    void aMessageToAnUnknownTypeFromAFunctionIsDeadLettered() {
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = start(egress)) {
            send(stator, "g", "ghost");
            String json = Types2.string(egress.records(DeadLetters.EGRESS).get(0));
            assertTrue(json.contains("unknown function type nope/ghost"), json);
            assertTrue(json.contains("\"caller\":\"test/fn/g\""), json);
        }
    }

    @Test
    void badArgumentsToADelayedSendFailTheCallWithTheAddressAndTheReason() {
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = start(egress)) {
            send(stator, "d", "negative-delay");
            send(stator, "t", "empty-token");
            var dead = egress.records(DeadLetters.EGRESS).stream().map(Types2::string).toList();
            assertEquals(2, dead.size(), dead.toString());
            assertTrue(dead.get(0).contains("address test/fn/d sent a message with negative delay PT-1S"), dead.get(0));
            assertTrue(dead.get(1).contains("address test/fn/t: a cancellation token must not be empty"), dead.get(1));
            assertEquals(0, egress.count(OUT), "the failed calls had no effect");
        }
    }

    /** Such an id once stopped the partition that could not encode it, and again at every restart. */
    @Test
    void messagingAnIdTooLongToEncodeFailsTheCallAndThePartitionGoesOn() {
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = start(egress)) {
            send(stator, "l", "long-id");
            send(stator, "l", "after");
            send(stator, "m", "other");
            var dead = egress.records(DeadLetters.EGRESS).stream().map(Types2::string).toList();
            assertEquals(1, dead.size(), dead.toString());
            assertTrue(dead.get(0).contains("has an id of 70001 UTF-8 bytes, starting '0xxx"), dead.get(0));
            assertTrue(dead.get(0).length() < 2_000, "the dead letter quotes the id's start, not all of it");
            assertEquals(List.of("after", "other"), egress.records(OUT).stream().map(Types2::string).toList());
        }
    }
}
