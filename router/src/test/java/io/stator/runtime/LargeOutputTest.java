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
 * Large output on a node with its real logs: a message of megabytes crosses to the other partition (far over its
 * inbox ring's largest message) and arrives; an egress record too large for the egress log fails its call instead
 * of stopping the partition (it did, and again after every restart); a dead letter of a large message keeps its
 * first megabyte and says how long it was, so that it fits the log too.
 */
@Timeout(120)
class LargeOutputTest {
    static final int P = 2;
    static final int MAX_PARALLELISM = 16;
    static final TypeName SENDER = TypeName.typeNameOf("test", "sender");
    static final TypeName RECEIVER = TypeName.typeNameOf("test", "receiver");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");
    static final int MIB = 1 << 20;
    static final TypeName BYTES = TypeName.typeNameOf("test", "bytes");

    @TempDir
    Path dir;

    @Test
    void megabytesCrossPartitionsAndWhatNoLogTakesFailsItsCallOnly() throws Exception {
        String receiver = Addresses.idOnPartition(RECEIVER, "r", 0, 1, P, MAX_PARALLELISM);
        String sender = Addresses.idOnPartition(SENDER, "s", 0, 0, P, MAX_PARALLELISM);
        // "forward:N" sends N MiB to the receiver on the other partition; "emit:N" emits N MiB, then "emitted"
        StatefulFunction send = (ctx, msg) -> {
            String[] cmd = msg.asUtf8String().split(":");
            byte[] bytes = new byte[Integer.parseInt(cmd[1]) * MIB];
            if (cmd[0].equals("forward")) {
                ctx.send(MessageBuilder.forAddress(RECEIVER, receiver).withTypedValue(BYTES, bytes).build());
            } else {
                ctx.send(EgressMessageBuilder.forEgress(OUT).withTypedValue(BYTES, bytes).build());
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("emitted " + cmd[1]).build());
            }
            return StatefulFunction.DONE;
        };
        // Reports what arrived; throws on 5 MiB, so that its message goes to the dead letters
        StatefulFunction receive = (ctx, msg) -> {
            int length = msg.rawValue().length;
            if (length == 5 * MIB) {
                throw new IllegalStateException("the receiver refuses 5 MiB");
            }
            ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("received " + length).build());
            return StatefulFunction.DONE;
        };
        StatorConfig config = Stator.builder().partitions(P).maxParallelism(MAX_PARALLELISM)
                .snapshotInterval(Duration.ofMillis(100))
                .withFunction(StatefulFunctionSpec.builder(SENDER).withSupplier(() -> send).build())
                .withFunction(StatefulFunctionSpec.builder(RECEIVER).withSupplier(() -> receive).build());
        try (StatorNode node = StatorNode.start(config, dir, "127.0.0.1", 0)) {
            for (String command : List.of("forward:3", "emit:17", "forward:5", "emit:2", "forward:1")) {
                node.stator().send(MessageBuilder.forAddress(SENDER, sender).withValue(command).build());
            }
            List<String> out = awaitCommitted(node, OUT, 4); // two partitions: compare each one's records in order
            assertEquals(List.of("received " + 3 * MIB, "received " + MIB),
                    out.stream().filter(r -> r.startsWith("received")).toList());
            assertEquals(List.of("bytes " + 2 * MIB, "emitted 2"),
                    out.stream().filter(r -> !r.startsWith("received")).toList(), "nothing of the failed emit:17");
            List<String> dead = awaitCommitted(node, DeadLetters.EGRESS, 2); // from both partitions, in either order
            String tooLarge = dead.get(dead.get(0).contains("receiver refuses") ? 1 : 0);
            String refused = dead.get(dead.get(0).contains("receiver refuses") ? 0 : 1);
            assertTrue(tooLarge.contains("is too large for egress test/out"), tooLarge.substring(0, 300));
            assertTrue(refused.contains("the receiver refuses 5 MiB") && refused.contains("\"valueLength\":"
                    + 5 * MIB + ",\"valueTruncated\":true"), refused.substring(0, 300));
            assertTrue(refused.length() < 2 * MIB, "a megabyte of the message, in base64");
            assertTrue(node.stator().snapshotStatus().completed() > 0, "snapshots go on");
        }
    }

    /** The first {@code count} committed records (bytes values as "bytes N"), waiting up to 60 s for them. */
    private static List<String> awaitCommitted(StatorNode node, TypeName egress, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> out = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            out.clear();
            try (EgressReader reader = EgressReader.open(node.egressLogs().get(egress), 0, true)) {
                while (reader.poll((offset, epoch, type, value) -> out.add(type.equals(Types.STRING_TYPENAME)
                        ? Types.stringType().deserialize(value) : "bytes " + value.length), 100) > 0) {
                    // read them all
                }
            }
            if (out.size() >= count) {
                return out;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("only " + out.size() + " of " + count + " records committed to " + egress + ": " + out);
    }
}
