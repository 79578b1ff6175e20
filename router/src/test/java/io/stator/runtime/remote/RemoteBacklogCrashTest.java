package io.stator.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.ingress.IngressReader;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.JvmFlags;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroups;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote function's backlog through a crash. A child JVM runs a node whose remote function (served here) is
 * slower than its input, so invocations wait across several snapshots and each snapshot carries earlier backlog
 * files instead of writing the whole backlog again. The child is killed with SIGKILL; a node restarted on the
 * folder restores the newest snapshot, re-sends what was held, and the committed egress must hold every message
 * exactly once, with every key's counts 1, 2, 3, ... in order.
 */
@Timeout(180)
class RemoteBacklogCrashTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("slow", "counter");
    private static final TypeName COUNTS = TypeName.typeNameOf("slow", "counts");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 16;
    private static final int TOTAL = 3_000;
    /** The function's time per message: 8 worker threads serve ~1,600 a second, the input comes at ~2,000. */
    private static final long MILLIS_PER_MESSAGE = 5;
    private static final String UP = "remote-backlog-node-up";
    private static final Pattern BACKLOG_FILE = Pattern.compile("partition-\\d+\\.backlog-(\\d+)");

    @TempDir
    Path dir;

    private static StatorConfig config(String remoteBaseUrl) {
        return Stator.builder().partitions(2).maxParallelism(MAX_PARALLELISM).snapshotInterval(Duration.ofMillis(100))
                .withRemoteEndpoint(RemoteEndpointSpec.builder("slow/*", remoteBaseUrl + "{function.name}").build());
    }

    private static StatefulFunctionSpec slowCounter() {
        StatefulFunction counter = (context, message) -> {
            try {
                Thread.sleep(MILLIS_PER_MESSAGE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long count = context.storage().get(COUNT).orElse(0L) + 1;
            context.storage().set(COUNT, count);
            context.send(EgressMessageBuilder.forEgress(COUNTS)
                    .withValue(context.self().id() + ":" + message.asLong() + ":" + count).build());
            return StatefulFunction.DONE;
        };
        return StatefulFunctionSpec.builder(COUNTER).withValueSpec(COUNT).withSupplier(() -> counter).build();
    }

    /** The child's life: a node on {@code args[0]} calling {@code args[1]}, appending until it is killed. */
    public static void main(String[] args) throws Exception {
        StatorNode node = StatorNode.start(config(args[1]), Path.of(args[0]), "127.0.0.1", 0);
        System.out.println(UP);
        System.out.flush();
        for (int s = 0; s < TOTAL; s += 20) {
            append(node.ingressLog(), s, Math.min(TOTAL, s + 20));
            Thread.sleep(10);
        }
        Thread.sleep(120_000); // killed long before; never stopped cleanly
        System.exit(1);
    }

    /** Appends messages {@code from .. to-1} (at most 1,024) as one document, message {@code s} to key {@code s % KEYS}. */
    private static void append(IngressLog log, long from, long to) {
        IngressBatch batch = new IngressBatch();
        for (long s = from; s < to; s++) {
            Address target = new Address(COUNTER, "k" + (s % KEYS));
            batch.add(KeyGroups.keyGroupFor(target, MAX_PARALLELISM), target, Types.LONG_TYPENAME,
                    Types.longType().serialize(s));
        }
        log.append(batch);
    }

    @Test
    void everyHeldInvocationRunsOnceAfterASigkill() throws Exception {
        Path data = dir.resolve("data");
        try (RemoteFunctionServer server = RemoteFunctionServer.builder().withFunction(slowCounter())
                .bind("127.0.0.1", 0).start()) {
            runChildAndKill(data, server.baseUrl());
            assertTrue(carriedBacklogFiles(data.resolve("snapshots")) > 0,
                    "some snapshot carried an earlier snapshot's backlog file instead of writing it again");

            Path egressFolder;
            try (StatorNode node = StatorNode.start(config(server.baseUrl()), data, "127.0.0.1", 0)) {
                long appended = appendedBefore(node.ingressLog());
                assertTrue(appended > 0 && appended < TOTAL, "killed while appending: " + appended);
                for (long s = appended; s < TOTAL; s += 20) {
                    append(node.ingressLog(), s, Math.min(TOTAL, s + 20));
                }
                awaitCommitted(node, TOTAL);
                egressFolder = node.egressLogs().folderOf(COUNTS);
            }
            assertExactlyOnceInOrder(egressFolder);
        }
    }

    private void runChildAndKill(Path data, String remoteBaseUrl) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RemoteBacklogCrashTest.class.getName());
        command.add(data.toString());
        command.add(remoteBaseUrl);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.contains(UP); ) {
                // the node's start-up log
            }
            Thread.sleep(1_000); // the backlog grows across ten snapshots
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child exits once killed");
        }
    }

    /** @return how many backlog files sit in a snapshot other than the one that wrote them */
    private static long carriedBacklogFiles(Path snapshots) throws IOException {
        long carried = 0;
        try (Stream<Path> files = Files.walk(snapshots)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = BACKLOG_FILE.matcher(file.getFileName().toString());
                if (m.matches() && !file.getParent().getParent().getFileName().toString().equals(m.group(1))) {
                    carried++;
                }
            }
        }
        return carried;
    }

    private static void assertExactlyOnceInOrder(Path egressFolder) {
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
        }
    }

    /** @return how many messages the killed child had appended (whole documents) */
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
        Set<String> distinct = new HashSet<>();
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
