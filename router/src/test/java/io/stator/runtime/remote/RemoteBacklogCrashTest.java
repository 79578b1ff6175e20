package io.stator.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.CrashTests;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** Appends messages {@code from .. to-1} as one document, message {@code s} to key {@code s % KEYS}. */
    private static void append(IngressLog log, long from, long to) {
        CrashTests.append(log, COUNTER, MAX_PARALLELISM, KEYS, from, to, IngressBatch.MAX_RECORDS);
    }

    @Test
    void everyHeldInvocationRunsOnceAfterASigkill() throws Exception {
        Path data = dir.resolve("data");
        try (RemoteFunctionServer server = RemoteFunctionServer.builder()
                .withFunction(CrashTests.counter(COUNTER, COUNTS, MILLIS_PER_MESSAGE))
                .bind("127.0.0.1", 0).start()) {
            // the backlog grows across ten snapshots
            CrashTests.runChildAndKill(RemoteBacklogCrashTest.class, UP, 1_000, data.toString(), server.baseUrl());
            assertTrue(carriedBacklogFiles(data.resolve("snapshots")) > 0,
                    "some snapshot carried an earlier snapshot's backlog file instead of writing it again");

            Path egressFolder;
            try (StatorNode node = StatorNode.start(config(server.baseUrl()), data, "127.0.0.1", 0)) {
                long appended = CrashTests.appendedBefore(node.ingressLog());
                assertTrue(appended > 0 && appended < TOTAL, "killed while appending: " + appended);
                for (long s = appended; s < TOTAL; s += 20) {
                    append(node.ingressLog(), s, Math.min(TOTAL, s + 20));
                }
                CrashTests.awaitCommitted(node, COUNTS, TOTAL);
                egressFolder = node.egressLogs().folderOf(COUNTS);
            }
            CrashTests.assertEachMessageOnceInOrder(egressFolder, TOTAL, KEYS);
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
}
