package io.stator.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading the output file of a child JVM (the crash test's node, W5's build) while it may still be writing it: its
 * lines, to look for a ready line, and its last lines, for a one-line error.
 */
public final class ChildJvmLog {
    private ChildJvmLog() {
    }

    /** @return the file's lines; none if it does not exist yet or cannot be read right now (read it again later) */
    public static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of(); // being written, or a half-written character: the next poll reads it again
        }
    }

    /** @return the last {@code n} lines of the file joined by {@code " / "}, or {@code (empty)} */
    public static String tail(Path file, int n) {
        List<String> lines = lines(file);
        List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
        return last.isEmpty() ? "(empty)" : String.join(" / ", last);
    }
}
