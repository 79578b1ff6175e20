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
import org.junit.jupiter.api.Test;

/** Bad input and failing functions get a clear error, lose nothing, and do not stop other traffic. */
class FailureTest {
    static final TypeName FN = TypeName.typeNameOf("test", "fn");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");
    static final ValueSpec<Integer> DECLARED = ValueSpec.named("declared").withIntType();
    static final ValueSpec<Integer> UNDECLARED = ValueSpec.named("undeclared").withIntType();

    /** "boom" throws, "undeclared" uses an undeclared state, "ghost" messages an unknown type, else echoes. */
    static final StatefulFunction FUNCTION = (ctx, msg) -> {
        String cmd = msg.asUtf8String();
        switch (cmd) {
            case "boom" -> {
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("never").build());
                throw new RuntimeException("boom at " + ctx.self());
            }
            case "undeclared" -> ctx.storage().set(UNDECLARED, 1);
            case "ghost" -> ctx.send(MessageBuilder.forAddress(TypeName.typeNameOf("nope", "ghost"), "g").withValue(1).build());
            default -> {
                ctx.storage().set(DECLARED, ctx.storage().get(DECLARED).orElse(0) + 1);
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue(cmd).build());
            }
        }
        return StatefulFunction.DONE;
    };

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
}
