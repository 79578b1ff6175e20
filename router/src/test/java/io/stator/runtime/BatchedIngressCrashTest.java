package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.ingress.IngressReader;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroups;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched ingress documents through a crash: a child JVM appends counter messages in batches of 64 to its own node
 * and is killed with SIGKILL while they flow; a node restarted on the folder restores the last snapshot, the rest
 * of the messages is appended, and the committed egress must hold every message exactly once, with every key's
 * counts 1, 2, 3, ... in order.
 */
@Timeout(180)
class BatchedIngressCrashTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("test", "batch-counter");
    private static final TypeName COUNTS = TypeName.typeNameOf("test", "batch-counts");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 50;
    private static final int BATCH = 64;
    private static final long TOTAL = 60_000;
    private static final String UP = "batched-node-up";

    @TempDir
    Path dir;

    private static StatorConfig config() {
        StatefulFunction counter = (context, message) -> {
            long count = context.storage().get(COUNT).orElse(0L) + 1;
            context.storage().set(COUNT, count);
            context.send(EgressMessageBuilder.forEgress(COUNTS)
                    .withValue(context.self().id() + ":" + message.asLong() + ":" + count).build());
            return StatefulFunction.DONE;
        };
        return Stator.builder().partitions(2).maxParallelism(MAX_PARALLELISM).snapshotInterval(Duration.ofMillis(100))
                .withFunction(StatefulFunctionSpec.builder(COUNTER).withValueSpec(COUNT).withSupplier(() -> counter)
                        .build());
    }

    /** The child's life: a node on {@code args[0]} that appends every message in batches until it is killed. */
    public static void main(String[] args) throws Exception {
        StatorNode node = StatorNode.start(config(), Path.of(args[0]), "127.0.0.1", 0);
        System.out.println(UP);
        System.out.flush();
        for (long s = 0; s < TOTAL; s += BATCH) {
            append(node.ingressLog(), s, Math.min(TOTAL, s + BATCH));
            Thread.sleep(1); // ~1 s in all, so that the kill lands while batches are appended and processed
        }
        Thread.sleep(120_000); // killed long before; never stopped cleanly
        System.exit(1);
    }

    /** Appends messages {@code from .. to-1}, message {@code s} to key {@code s % KEYS}, {@value #BATCH} a document. */
    private static void append(IngressLog log, long from, long to) {
        IngressBatch batch = new IngressBatch();
        for (long s = from; s < to; s++) {
            Address target = new Address(COUNTER, "k" + (s % KEYS));
            batch.add(KeyGroups.keyGroupFor(target, MAX_PARALLELISM), target, Types.LONG_TYPENAME,
                    Types.longType().serialize(s));
            if (batch.size() == BATCH || s == to - 1) {
                log.append(batch);
                batch.clear();
            }
        }
    }

    @Test
    void everyMessageOfEveryBatchCountsOnceThroughASigkill() throws Exception {
        Path data = dir.resolve("data");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BatchedIngressCrashTest.class.getName());
        command.add(data.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.contains(UP); ) {
                // the node's start-up log
            }
            Thread.sleep(700); // batches flow and snapshots complete every 100 ms
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child exits once killed");
        }

        Path egressFolder;
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            long appended = appendedBefore(node.ingressLog());
            assertTrue(appended > 0, "the child appended before it was killed");
            assertTrue(appended % BATCH == 0 || appended == TOTAL, "whole batches only: " + appended);
            System.out.println("killed after " + appended + " of " + TOTAL + " messages were appended");
            append(node.ingressLog(), appended, TOTAL);
            awaitCommitted(node, TOTAL);
            egressFolder = node.egressLogs().folderOf(COUNTS);
        }

        Map<Long, Integer> seen = new HashMap<>();
        Map<String, List<Long>> countsByKey = new HashMap<>();
        try (EgressReader reader = EgressReader.open(egressFolder, 0, true)) {
            while (reader.poll((offset, epoch, type, value) -> {
                String[] parts = Types.stringType().deserialize(value).split(":");
                seen.merge(Long.parseLong(parts[1]), 1, Integer::sum);
                countsByKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[2]));
            }, 10_000) > 0) {
                // read the whole committed egress
            }
        }
        assertEquals(TOTAL, seen.size(), "every message came out");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no message came out twice");
        assertEquals(KEYS, countsByKey.size());
        for (Map.Entry<String, List<Long>> e : countsByKey.entrySet()) {
            List<Long> counts = e.getValue();
            for (int i = 0; i < counts.size(); i++) {
                assertEquals(i + 1, counts.get(i), "key " + e.getKey() + "'s counts go 1, 2, 3, ... in order");
            }
            assertEquals(TOTAL / KEYS, counts.size(), "key " + e.getKey() + " counted every message once");
        }
    }

    /** @return how many messages the killed child had appended: its batches are whole documents */
    private static long appendedBefore(IngressLog log) {
        long[] n = {0};
        try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
            while (reader.poll((position, keyGroup, target, type, value) -> n[0]++, 10_000) > 0) {
                // count them all
            }
        }
        return n[0];
    }

    /** Waits until the committed egress holds {@code messages} distinct messages. */
    private static void awaitCommitted(StatorNode node, long messages) throws InterruptedException {
        java.util.Set<String> distinct = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (EgressReader reader = EgressReader.open(node.egressLogs().get(COUNTS), 0, true)) {
            while (distinct.size() < messages) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + distinct.size() + " of " + messages + " messages committed");
                }
                if (reader.poll((offset, epoch, type, value) ->
                        distinct.add(Types.stringType().deserialize(value).split(":")[1]), 10_000) == 0) {
                    Thread.sleep(10);
                }
            }
        }
    }
}
