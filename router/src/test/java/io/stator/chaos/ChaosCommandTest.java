package io.stator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of {@code ./stator chaos} as CI runs it: a child JVM killed three times with SIGKILL while 2000
 * commands flow, then state and the committed egress checked. A functional test: it asserts what the run found,
 * never how long it took (the timeout only stops a hung run).
 */
@Timeout(600)
class ChaosCommandTest {
    @Test
    void threeKillsLoseNothingAndDuplicateNothing(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChaosCommand.run(new String[] {"--kills", "3", "--msgs", "2000", "--seed", "42",
                "--dir", dir.resolve("work").toString()}, print(out), print(err));
        String details = err.toString(StandardCharsets.UTF_8);
        assertEquals("chaos seed=42 kills=3 msgs=2000 lost=0 duplicated=0 state_mismatches=0 ok=true",
                out.toString(StandardCharsets.UTF_8).trim(), details);
        assertEquals(0, status, details);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertUsageError("--kills must be a number, was 'many'", "--kills", "many");
        assertUsageError("--msgs must be between 1 and 10000000, was 0", "--msgs", "0");
        assertUsageError("--inbox must be a power of two, was 3000", "--inbox", "3000");
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
