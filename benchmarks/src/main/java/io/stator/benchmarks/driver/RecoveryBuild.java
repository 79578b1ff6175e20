package io.stator.benchmarks.driver;

import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.sdk.Address;
import io.stator.state.KeyGroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * W5's first life, in a child JVM that {@link RecoveryRun} kills with SIGKILL: builds the counters on a data
 * folder, waits for a periodic snapshot that holds all of them, prints {@link #BUILT_LINE} and waits to be killed.
 * Nothing stops it cleanly, so the restart restores what a crash leaves: the last periodic snapshot.
 *
 * <p>Arguments: data folder, keys, partitions, snapshot interval in ms, seconds to live (it exits by itself
 * after them, should its parent be gone).
 */
final class RecoveryBuild {
    /** Printed once the counters are in a completed snapshot, followed by the build's seconds. */
    static final String BUILT_LINE = "w5-built ";

    private RecoveryBuild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KeySpace keys = new KeySpace(Integer.parseInt(args[1]));
        int partitions = Integer.parseInt(args[2]);
        long snapshotMillis = Long.parseLong(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        long start = System.nanoTime();
        StatorNode node = StatorNode.start(config(partitions, snapshotMillis), dir, "127.0.0.1", 0);
        byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH];
        for (int k = 0; k < keys.size(); k++) {
            ProbeDescriptor.writeIngress(probe, k, System.nanoTime());
            append(node, keys, k, probe.clone());
        }
        while (node.stator().callsCompleted() < keys.size() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        // The snapshot running now may have started before the last call; the one after it cannot have.
        long needed = node.stator().snapshotStatus().completed() + 2;
        while (node.stator().snapshotStatus().completed() < needed && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        System.out.println(BUILT_LINE + (System.nanoTime() - start) / 1e9);
        System.out.flush();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.exit(1); // never stopped cleanly: that would take a last snapshot
    }

    static StatorConfig config(int partitions, long snapshotMillis) {
        return Stator.builder().partitions(partitions).snapshotInterval(Duration.ofMillis(snapshotMillis))
                .withFunction(BenchFunctions.counter(BenchFunctions.COUNTER));
    }

    static void append(StatorNode node, KeySpace keys, int key, byte[] probe) {
        Address target = new Address(BenchFunctions.COUNTER, keys.id(key));
        node.ingressLog().append(KeyGroups.keyGroupFor(target, node.stator().config().maxParallelism()), target,
                ProbeDescriptor.TYPE, probe, null);
    }
}
