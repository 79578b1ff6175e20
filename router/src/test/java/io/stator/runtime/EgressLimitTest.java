package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that names egresses after its data (one per customer, say) would make a log per name, each with its
 * files and memory maps: the node keeps a bound, and a call past it fails into the dead letters before any effect.
 */
@Timeout(120)
class EgressLimitTest {
    static final TypeName EMITTER = TypeName.typeNameOf("test", "emitter");
    static final io.stator.sdk.ValueSpec<Integer> CALLS = io.stator.sdk.ValueSpec.named("calls").withIntType();

    @TempDir
    Path dir;

    @Test
    void aCallThatWouldOpenOneEgressTooManyFailsWhole() throws Exception {
        // "NAME" counts the call in state and emits "NAME #count" to egress test/NAME
        StatefulFunction emit = (ctx, msg) -> {
            String name = msg.asUtf8String();
            int count = ctx.storage().get(CALLS).orElse(0) + 1;
            ctx.storage().set(CALLS, count);
            ctx.send(EgressMessageBuilder.forEgress(TypeName.typeNameOf("test", name)).withValue(name + " #" + count)
                    .build());
            return StatefulFunction.DONE;
        };
        try (StatorNode node = StatorNode.start(config(emit), dir, "127.0.0.1", 0)) {
            // the dead letters, test/a and test/b make three; test/c would be one too many
            for (String name : List.of("a", "b", "c", "a")) {
                node.stator().send(MessageBuilder.forAddress(EMITTER, "e").withValue(name).build());
            }
            assertEquals(List.of("a #1", "a #3"), awaitCommitted(node, TypeName.typeNameOf("test", "a"), 2),
                    "the refused call's state write was not applied either");
            assertEquals(List.of("b #2"), awaitCommitted(node, TypeName.typeNameOf("test", "b"), 1));
            List<String> dead = awaitCommitted(node, DeadLetters.EGRESS, 1);
            assertEquals(1, dead.size(), dead.toString());
            assertTrue(dead.get(0).contains("egress test/c would be one more egress log than the 3"), dead.get(0));
            assertTrue(node.egressLogs().find(TypeName.typeNameOf("test", "c")).isEmpty(), "no log was made for c");
        }
        try (StatorNode node = StatorNode.start(config(emit), dir, "127.0.0.1", 0)) {
            node.stator().send(MessageBuilder.forAddress(EMITTER, "e").withValue("d").build());
            node.stator().send(MessageBuilder.forAddress(EMITTER, "e").withValue("b").build());
            assertEquals(List.of("b #2", "b #4"), awaitCommitted(node, TypeName.typeNameOf("test", "b"), 2));
            List<String> dead = awaitCommitted(node, DeadLetters.EGRESS, 2);
            assertTrue(dead.get(1).contains("egress test/d would be one more"), "the logs on disk count: " + dead);
        }
    }

    private static StatorConfig config(StatefulFunction emit) {
        return Stator.builder().partitions(1).snapshotInterval(Duration.ofMillis(100)).maxEgresses(3)
                .withFunction(StatefulFunctionSpec.builder(EMITTER).withValueSpec(CALLS).withSupplier(() -> emit)
                        .build());
    }

    /** The first {@code count} committed records of {@code egress} as text, waiting up to 60 s; then no more. */
    private static List<String> awaitCommitted(StatorNode node, TypeName egress, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> out = read(node, egress);
        while (out.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            out = read(node, egress);
        }
        Thread.sleep(200);
        return read(node, egress);
    }

    private static List<String> read(StatorNode node, TypeName egress) {
        List<String> out = new ArrayList<>();
        if (node.egressLogs().find(egress).isEmpty()) {
            return out;
        }
        try (EgressReader reader = EgressReader.open(node.egressLogs().get(egress), 0, true)) {
            while (reader.poll((offset, epoch, type, value) -> out.add(Types.stringType().deserialize(value)),
                    100) > 0) {
                // read them all
            }
        }
        return out;
    }
}
