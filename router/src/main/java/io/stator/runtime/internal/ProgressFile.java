package io.stator.runtime.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data folder's record of the last committed epoch and, per partition, where ingress reading resumes after
 * it. Written atomically (temporary file, fsync, rename) before the egress commit of the same epoch, so that
 * after a stop the runtime resumes input exactly after what committed output covers.
 *
 * <p>A small text file, readable by a person:
 * <pre>
 * version=1
 * epoch=42
 * partitions=2
 * maxParallelism=128
 * positions=81604378624,81604378630
 * </pre>
 */
public final class ProgressFile {
    /** A recorded progress. */
    public record Progress(long epoch, int partitions, int maxParallelism, long[] positions) {
    }

    private final Path file;

    public ProgressFile(Path file) {
        this.file = file;
    }

    /** @return the recorded progress, or null if none was recorded yet */
    public Progress read() {
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            if (!"1".equals(kv.get("version"))) {
                throw new IllegalStateException(file + ": unknown progress file version " + kv.get("version"));
            }
            long[] positions = Arrays.stream(kv.get("positions").split(",")).mapToLong(Long::parseLong).toArray();
            return new Progress(Long.parseLong(kv.get("epoch")), Integer.parseInt(kv.get("partitions")),
                    Integer.parseInt(kv.get("maxParallelism")), positions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Records a committed epoch and the positions after it; durable when this returns. */
    public void write(long epoch, int maxParallelism, long[] positions) {
        StringBuilder text = new StringBuilder(128);
        text.append("version=1\nepoch=").append(epoch).append("\npartitions=").append(positions.length)
                .append("\nmaxParallelism=").append(maxParallelism).append("\npositions=");
        for (int i = 0; i < positions.length; i++) {
            text.append(i == 0 ? "" : ",").append(positions[i]);
        }
        text.append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record progress in " + file, e);
        }
    }
}
