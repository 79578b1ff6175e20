package io.stator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.examples.greeter.Greeter;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.StatorNode;
import io.stator.runtime.config.ModuleFile;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * State moves between partition counts: a run with 2 partitions, then 3, then 1 on the same data folder, and a
 * savepoint restored into a fresh folder with another count. Every greeting counts on from where it was.
 */
@Timeout(120)
class GreeterRescaleTest {
    @TempDir
    Path data;
    @TempDir
    Path otherData;

    private static StatorNode start(Path dir, int partitions, Path from) {
        StatorConfig config = Stator.builder().partitions(partitions);
        ModuleFile.load(Path.of("greeter/module.yaml")).embeddedFunctions().values().forEach(config::withFunction);
        return StatorNode.start(config, dir, "127.0.0.1", 0, from);
    }

    private static void greet(StatorNode node, int users) {
        for (int u = 0; u < users; u++) {
            node.stator().send(MessageBuilder.forAddress(Greeter.TYPE, "user" + u).withValue("").build());
        }
    }

    /** Waits until this run's partitions have completed {@code calls} calls. */
    private static void awaitCalls(StatorNode node, long calls) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (node.stator().callsCompleted() < calls) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("fewer than " + calls + " calls completed in 60 s");
            }
            Thread.onSpinWait();
        }
    }

    /** @return the committed greetings in a data folder, as text (read from the files, after the node stopped) */
    private static List<String> greetings(Path dir) {
        List<String> out = new ArrayList<>();
        try (EgressReader reader = EgressReader.open(dir.resolve("egress/example/greets"), 0, true)) {
            while (reader.poll((offset, epoch, type, value) -> out.add(Types.stringType().deserialize(value)), 1000) > 0) {
                // drain
            }
        }
        return out;
    }

    private static Path newestSnapshot(Path snapshots) throws IOException {
        try (Stream<Path> ids = Files.list(snapshots)) {
            return ids.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))).orElseThrow();
        }
    }

    /**
     * A snapshot restored at the next start (or from a savepoint) holds RocksDB checkpoints, not changelogs that a
     * restore would replay (the store opened empty, so without asking for checkpoints these would be changelogs).
     */
    private static void assertStateIsCheckpointsOnly(Path snapshot, String what) throws IOException {
        try (Stream<Path> files = Files.walk(snapshot)) {
            List<String> names = files.map(f -> snapshot.relativize(f).toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.matches("partition-0/MANIFEST-.*")), what + ": " + names);
            assertTrue(names.stream().noneMatch(n -> n.contains("stator-changelog-")), what + ": " + names);
        }
    }

    @Test
    void countsGoOnAcrossPartitionCountsAndFromASavepoint() throws IOException {
        int users = 200;
        Path savepoint;
        try (StatorNode node = start(data, 2, null)) {
            greet(node, users);
            greet(node, users);
        }
        assertStateIsCheckpointsOnly(newestSnapshot(data.resolve("snapshots")), "the last snapshot before a stop");
        try (StatorNode node = start(data, 3, null)) {
            greet(node, users);
            awaitCalls(node, users); // the savepoint must hold all three visits
            savepoint = node.savepoint("after-three");
            greet(node, users);
        }
        assertStateIsCheckpointsOnly(newestSnapshot(savepoint), "a savepoint");
        try (StatorNode node = start(data, 1, null)) {
            greet(node, users);
        }
        List<String> all = greetings(data);
        java.util.Map<String, Long> byVisit = new java.util.TreeMap<>();
        for (String g : all) {
            byVisit.merge(g.replaceAll("user\\d+", "U"), 1L, Long::sum);
        }
        assertEquals(5 * users, all.size(), byVisit.toString());
        for (int u = 0; u < users; u++) {
            assertTrue(all.contains("Hello user" + u + ", this is visit number 5."), "user" + u + " reached 5");
        }
        try (StatorNode node = start(otherData, 2, savepoint)) {
            greet(node, users);
        }
        List<String> fromSavepoint = greetings(otherData);
        assertEquals(users, fromSavepoint.size(), "a fresh folder holds only the output after the savepoint");
        for (int u = 0; u < users; u++) {
            assertTrue(fromSavepoint.contains("Hello user" + u + ", this is visit number 4."),
                    "user" + u + " counts on from the savepoint (3 visits)");
        }
    }
}
