package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressLogs;
import io.stator.logs.LogContext;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with an egress retention deletes an egress log's files that are older than it and whose output is
 * all committed, and keeps the rest: here a file written three hours ago, and the current hour's file.
 */
@Timeout(60)
class EgressRetentionTest {
    private static final TypeName OUT = TypeName.typeNameOf("test", "retained");

    @TempDir
    Path dir;

    @Test
    void aNodeDeletesCommittedEgressFilesOlderThanItsRetention() throws Exception {
        Path data = dir.resolve("data");
        long threeHoursAgo = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        Path folder;
        try (EgressLogs logs = new EgressLogs(data.resolve("egress"), new LogContext().clock(() -> threeHoursAgo))) {
            logs.get(OUT).append(1, Types.STRING_TYPENAME, Types.stringType().serialize("old"));
            logs.commitAll(1);
            folder = logs.folderOf(OUT);
        }
        List<Path> old = files(folder);
        assertEquals(1, old.size(), old.toString());

        StatorConfig keepsAll = Stator.builder().partitions(1).maxParallelism(8);
        try (StatorNode node = StatorNode.start(keepsAll, data, "127.0.0.1", 0)) {
            assertTrue(files(folder).containsAll(old), "without a retention, output is kept");
        }
        StatorConfig retains = Stator.builder().partitions(1).maxParallelism(8).egressRetention(Duration.ofHours(1));
        try (StatorNode node = StatorNode.start(retains, data, "127.0.0.1", 0)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (files(folder).contains(old.get(0)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Path> now = files(folder);
            assertTrue(!now.contains(old.get(0)), "the three-hour-old file was deleted: " + now);
            assertEquals(1, now.size(), "the current hour's file stays: " + now);
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
