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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the SIGKILL tests share: a counter, appending its messages, a node in a child JVM killed mid-run, and the
 * check of the committed egress after a restart. The counters emit {@code key:message:count} records, message
 * {@code s} going to key {@code "k" + s % keys}.
 */
public final class CrashTests {
    private CrashTests() {
    }

    /** The state each counter keeps. */
    public static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();

    /**
     * @return a counter of type {@code type}: adds 1 to its {@link #COUNT} and emits {@code key:message:count} to
     *     {@code egress}, after {@code millisPerMessage} of sleep (a slow function, when served remotely)
     */
    public static StatefulFunctionSpec counter(TypeName type, TypeName egress, long millisPerMessage) {
        StatefulFunction counter = (context, message) -> {
            if (millisPerMessage > 0) {
                try {
                    Thread.sleep(millisPerMessage);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long count = context.storage().get(COUNT).orElse(0L) + 1;
            context.storage().set(COUNT, count);
            context.send(EgressMessageBuilder.forEgress(egress)
                    .withValue(context.self().id() + ":" + message.asLong() + ":" + count).build());
            return StatefulFunction.DONE;
        };
        return StatefulFunctionSpec.builder(type).withValueSpec(COUNT).withSupplier(() -> counter).build();
    }

    /**
     * Appends messages {@code from .. to-1} in documents of {@code perDocument} (at most
     * {@value IngressBatch#MAX_RECORDS}), message {@code s} a long to {@code "k" + s % keys} of {@code type}.
     */
    public static void append(IngressLog log, TypeName type, int maxParallelism, int keys, long from, long to,
            int perDocument) {
        IngressBatch batch = new IngressBatch();
        for (long s = from; s < to; s++) {
            Address target = new Address(type, "k" + (s % keys));
            batch.add(KeyGroups.keyGroupFor(target, maxParallelism), target, Types.LONG_TYPENAME,
                    Types.longType().serialize(s));
            if (batch.size() == perDocument || s == to - 1) {
                log.append(batch);
                batch.clear();
            }
        }
    }

    /**
     * Starts {@code main} in a child JVM with the runtime's JVM flags and this class path, waits until it prints
     * {@code upMarker}, lets it run {@code runMillis}, then kills it with SIGKILL.
     */
    public static void runChildAndKill(Class<?> main, String upMarker, long runMillis, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.contains(upMarker); ) {
                // the node's start-up log
            }
            Thread.sleep(runMillis);
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child exits once killed");
        }
    }

    /** @return how many records the log holds: what a killed child had appended */
    public static long appendedBefore(IngressLog log) {
        long[] n = {0};
        try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
            while (reader.poll((position, keyGroup, target, type, value) -> n[0]++, 10_000) > 0) {
                // count them all
            }
        }
        return n[0];
    }

    /** Waits until the committed egress holds {@code messages} distinct messages. */
    public static void awaitCommitted(StatorNode node, TypeName egress, long messages) throws InterruptedException {
        Set<String> distinct = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (EgressReader reader = EgressReader.open(node.egressLogs().get(egress), 0, true)) {
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

    /**
     * Asserts that the committed egress in {@code egressFolder} holds each of messages {@code 0 .. total-1} once, and
     * that every key counted each of its messages once, 1, 2, 3, ... in order.
     */
    public static void assertEachMessageOnceInOrder(Path egressFolder, long total, int keys) {
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
        assertEquals(total, seen.size(), "every message came out");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no message came out twice");
        assertEquals(keys, countsByKey.size());
        for (Map.Entry<String, List<Long>> e : countsByKey.entrySet()) {
            List<Long> counts = e.getValue();
            for (int i = 0; i < counts.size(); i++) {
                assertEquals(i + 1, counts.get(i), "key " + e.getKey() + "'s counts go 1, 2, 3, ... in order");
            }
            int key = Integer.parseInt(e.getKey().substring(1));
            long expected = total / keys + (key < total % keys ? 1 : 0);
            assertEquals(expected, counts.size(), "key " + e.getKey() + " counted every message once");
        }
    }
}
