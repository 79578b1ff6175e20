package io.stator.cli;

import io.stator.egress.TailCommand;
import io.stator.ingress.SendCommand;
import io.stator.runtime.Folders;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.sdk.Address;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroups;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The run the {@code ./stator} launcher records its class-data archive from (JDK application class-data sharing:
 * {@code -XX:ArchiveClassesAtExit}). A JVM started with that archive maps the classes this run loaded, already
 * parsed and verified, instead of loading them from the jar, which is most of a fresh runtime's start: Chronicle
 * Queue, RocksDB's Java side, Undertow, and the runtime's own restore and snapshot code.
 *
 * <p>So the run goes through what a runtime does in its first seconds, in one temporary folder: start a node,
 * take messages through the ingress log and through {@code ./stator send}, run a function with state, a delayed
 * message and egress output, snapshot, read the committed output with {@code ./stator tail}, stop, then start
 * again from the snapshot and process one more message. It exits 0 when all of that worked, 1 (with the reason
 * on stderr) when not; the launcher then runs without an archive.
 */
public final class ClassArchiveTraining {
    private static final TypeName COUNTER = TypeName.typeNameOf("stator-training", "counter");
    private static final TypeName COUNTS = TypeName.typeNameOf("stator-training", "counts");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final int MESSAGES = 2_000;
    private static final int KEYS = 100;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private ClassArchiveTraining() {
    }

    /** Runs the training in a temporary folder; exits 0 when it worked. */
    public static void main(String[] args) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("stator-class-archive-");
            run(dir.resolve("data"));
        } catch (Exception | AssertionError e) {
            System.err.println("class archive training failed: " + e);
            System.exit(1);
        } finally {
            if (dir != null) {
                Folders.deleteQuietly(dir);
            }
        }
        System.exit(0); // the archive is written at exit
    }

    /**
     * Runs a node on {@code data} twice, as described above.
     *
     * @throws IllegalStateException if a step does not finish within a minute or the output is wrong
     */
    static void run(Path data) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            for (int i = 0; i < MESSAGES; i++) {
                append(node, "k" + (i % KEYS), i, i % 2 == 0 ? null : "training-" + i);
            }
            String url = "http://127.0.0.1:" + node.port();
            command(SendCommand.run(new String[] {COUNTER.asString(), "k0", "7", "--url", url}, quiet(), quiet()),
                    "send");
            // Each message is one egress record; the delayed ones add one per key.
            long expected = MESSAGES + 1 + KEYS;
            await(() -> node.stator().callsCompleted() >= expected, deadline, "the messages were not processed");
            long snapshots = node.stator().snapshotStatus().completed() + 2;
            await(() -> node.stator().snapshotStatus().completed() >= snapshots, deadline, "no snapshot completed");
            ByteArrayOutputStream tailed = new ByteArrayOutputStream();
            command(TailCommand.run(new String[] {COUNTS.asString(), "--url", url},
                    new PrintStream(tailed, true, StandardCharsets.UTF_8), quiet()), "tail");
            long lines = tailed.toString(StandardCharsets.UTF_8).lines().count();
            if (lines != expected) {
                throw new IllegalStateException("tail read " + lines + " committed records, expected " + expected);
            }
        }
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            append(node, "k1", 1, null);
            await(() -> node.stator().callsCompleted() >= 1, deadline, "no message was processed after the restart");
        }
    }

    /** Appends {@code value} for the counter at {@code id} to the node's ingress log, keyed or not. */
    private static void append(StatorNode node, String id, long value, String idempotencyKey) {
        Address target = new Address(COUNTER, id);
        node.ingressLog().append(KeyGroups.keyGroupFor(target, node.stator().config().maxParallelism()), target,
                Types.LONG_TYPENAME, Types.longType().serialize(value), idempotencyKey);
    }

    private static StatorConfig config() {
        StatefulFunction counter = new Counter();
        return Stator.builder().partitions(2).snapshotInterval(Duration.ofMillis(100))
                .withFunction(StatefulFunctionSpec.builder(COUNTER).withValueSpec(COUNT).withSupplier(() -> counter)
                        .build());
    }

    /** Counts per key and emits each count; the first message of a key also sends the key a delayed message. */
    private static final class Counter implements StatefulFunction {
        @Override
        public CompletableFuture<Void> apply(Context context, Message message) {
            long count = context.storage().get(COUNT).orElse(0L) + 1;
            context.storage().set(COUNT, count);
            if (count == 1 && context.caller().isEmpty()) {
                context.sendAfter(Duration.ofMillis(50), "again",
                        MessageBuilder.forAddress(context.self()).withValue(0L).build());
            }
            context.send(EgressMessageBuilder.forEgress(COUNTS).withValue(count).build());
            return DONE;
        }
    }

    private static void await(BooleanSupplier condition, long deadlineNanos, String failure)
            throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(failure + " within " + LIMIT.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
    }

    private static void command(int exitCode, String name) {
        if (exitCode != 0) {
            throw new IllegalStateException("./stator " + name + " exited with " + exitCode);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
