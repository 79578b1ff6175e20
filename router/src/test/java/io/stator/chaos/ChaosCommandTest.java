package io.stator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of {@code ./stator chaos} as CI runs it: a child JVM killed three times with SIGKILL while 2000
 * commands flow, then state and the committed egress checked. The node's state cache is small (the default 16
 * entries), so state is evicted to RocksDB between snapshots and the snapshots' changelogs carry those writes; its
 * changelog files are small (the default 4 KiB), so those changelogs come in parts that the restores replay. A
 * functional test: it asserts what the run found, never how long it took (the timeout only stops a hung run).
 */
@Timeout(600)
class ChaosCommandTest {
    @Test
    void threeKillsLoseNothingAndDuplicateNothing(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChaosCommand.run(new String[] {"--kills", "3", "--msgs", "2000", "--seed", "42",
                "--dir", dir.resolve("work").toString()}, print(out), print(err));
        String details = err.toString(StandardCharsets.UTF_8);
        assertEquals("chaos seed=42 kills=3 msgs=2000 lost=0 duplicated=0 state_mismatches=0 ok=true",
                out.toString(StandardCharsets.UTF_8).trim(), details);
        assertEquals(0, status, details);
        assertTrue(mostEvictionsLogged(dir.resolve("work")) > 0,
                "the node's small state cache evicted, so snapshots carried evictions in their changelogs");
        assertTrue(restoresReplayedParts(dir.resolve("work")),
                "a restore after a kill replayed changelogs that came in parts");
    }

    /**
     * With {@code --rescale} every life of the node starts with another partition count, so every restore after a
     * kill also moves key groups between partitions (and rewrites the state of the partitions that changed).
     */
    @Test
    void threeKillsWithRescalingLoseNothingAndDuplicateNothing(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChaosCommand.run(new String[] {"--kills", "3", "--msgs", "2000", "--seed", "43", "--rescale",
                "--dir", dir.resolve("work").toString()}, print(out), print(err));
        String details = err.toString(StandardCharsets.UTF_8);
        assertEquals("chaos seed=43 kills=3 msgs=2000 lost=0 duplicated=0 state_mismatches=0 ok=true",
                out.toString(StandardCharsets.UTF_8).trim(), details);
        assertEquals(0, status, details);
        assertTrue(restoresRescaled(dir.resolve("work")), "a restore went into another partition count");
    }

    /** @return whether a restore logged a partition count other than its snapshot's */
    private static boolean restoresRescaled(Path work) throws IOException {
        Pattern line = Pattern.compile("restored snapshot \\d+ \\((\\d+) partitions\\) into (\\d+) partitions");
        for (String log : nodeLogs(work)) {
            Matcher m = line.matcher(log);
            while (m.find()) {
                if (!m.group(1).equals(m.group(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return whether a restore logged more changelog files replayed than segments: some came in parts */
    private static boolean restoresReplayedParts(Path work) throws IOException {
        Pattern line = Pattern.compile("(\\d+) changelog segments in (\\d+) files replayed");
        for (String log : nodeLogs(work)) {
            Matcher m = line.matcher(log);
            while (m.find()) {
                if (Long.parseLong(m.group(2)) > Long.parseLong(m.group(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> nodeLogs(Path work) throws IOException {
        List<String> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path log : files.filter(f -> f.getFileName().toString().matches("node-\\d+\\.log")).toList()) {
                logs.add(Files.readString(log));
            }
        }
        return logs;
    }

    /** @return the largest "state evictions N" the node's lives logged (ChaosNode's counters line) */
    private static long mostEvictionsLogged(Path work) throws IOException {
        Pattern line = Pattern.compile("state evictions (\\d+)");
        long most = 0;
        for (String log : nodeLogs(work)) {
            Matcher m = line.matcher(log);
            while (m.find()) {
                most = Math.max(most, Long.parseLong(m.group(1)));
            }
        }
        return most;
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertUsageError("--kills must be a number, was 'many'", "--kills", "many");
        assertUsageError("--msgs must be between 1 and 10000000, was 0", "--msgs", "0");
        assertUsageError("--inbox must be a power of two, was 3000", "--inbox", "3000");
        assertUsageError("--cache-entries must be between 1 and 10000000, was 0", "--cache-entries", "0");
        assertUsageError("--changelog-part must be between 4096 and 8388608, was 100", "--changelog-part", "100");
        assertUsageError("--seed needs a value", "--seed");
        assertTrue(run("--frobnicate", "1").contains("unknown flag --frobnicate"));
    }

    private static void assertUsageError(String message, String... args) {
        assertEquals("stator chaos: " + message, run(args).trim());
    }

    /** @return the error output of a run that must end with status 2 and print nothing */
    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, ChaosCommand.run(args, print(out), print(err)));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
