package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.ingress.IngressLog;
import io.stator.sdk.TypeName;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 50;
    private static final int BATCH = 64;
    private static final long TOTAL = 60_000;
    private static final String UP = "batched-node-up";

    @TempDir
    Path dir;

    private static StatorConfig config() {
        return Stator.builder().partitions(2).maxParallelism(MAX_PARALLELISM).snapshotInterval(Duration.ofMillis(100))
                .withFunction(CrashTests.counter(COUNTER, COUNTS, 0));
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
        CrashTests.append(log, COUNTER, MAX_PARALLELISM, KEYS, from, to, BATCH);
    }

    @Test
    void everyMessageOfEveryBatchCountsOnceThroughASigkill() throws Exception {
        Path data = dir.resolve("data");
        // batches flow and snapshots complete every 100 ms
        CrashTests.runChildAndKill(BatchedIngressCrashTest.class, UP, 700, data.toString());

        Path egressFolder;
        try (StatorNode node = StatorNode.start(config(), data, "127.0.0.1", 0)) {
            long appended = CrashTests.appendedBefore(node.ingressLog());
            assertTrue(appended > 0, "the child appended before it was killed");
            assertTrue(appended % BATCH == 0 || appended == TOTAL, "whole batches only: " + appended);
            System.out.println("killed after " + appended + " of " + TOTAL + " messages were appended");
            append(node.ingressLog(), appended, TOTAL);
            CrashTests.awaitCommitted(node, COUNTS, TOTAL);
            egressFolder = node.egressLogs().folderOf(COUNTS);
        }
        CrashTests.assertEachMessageOnceInOrder(egressFolder, TOTAL, KEYS);
    }
}
