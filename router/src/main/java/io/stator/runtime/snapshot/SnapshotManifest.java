package io.stator.runtime.snapshot;

import io.stator.state.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last file of a complete snapshot: {@code <id>/runtime/MANIFEST}. A snapshot without it is partial (the
 * runtime stopped in the middle) and is ignored by recovery and deleted by retention. Plain text:
 *
 * <pre>
 * version=1
 * id=42
 * partitions=2
 * maxParallelism=128
 * completedAtMillis=1790000000000
 * ingressLogId=6f1c0e9e-...
 * </pre>
 *
 * @param id                the snapshot id, also the epoch the runtime entered with it
 * @param partitions        the partition count it was taken with
 * @param maxParallelism    the key-group count
 * @param completedAtMillis when it completed
 * @param ingressLogId      the identity of the ingress log its positions refer to ("" if none)
 */
public record SnapshotManifest(long id, int partitions, int maxParallelism, long completedAtMillis, String ingressLogId) {
    /** The manifest's path in the snapshot store. */
    public static final String PATH = "runtime/MANIFEST";

    /** Writes the manifest; the store writes files whole or not at all. */
    public static void write(SnapshotStore store, SnapshotManifest m) throws IOException {
        String text = "version=1\nid=" + m.id + "\npartitions=" + m.partitions + "\nmaxParallelism=" + m.maxParallelism
                + "\ncompletedAtMillis=" + m.completedAtMillis + "\ningressLogId=" + m.ingressLogId + "\n";
        store.write(m.id, PATH, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return whether snapshot {@code id} is complete */
    public static boolean exists(SnapshotStore store, long id) throws IOException {
        return store.list(id).contains(PATH);
    }

    /**
     * @return the manifest of snapshot {@code id}
     * @throws IOException              if it is missing or unreadable
     * @throws IllegalArgumentException if it is damaged
     */
    public static SnapshotManifest read(SnapshotStore store, long id) throws IOException {
        String text;
        try (InputStream in = store.open(id, PATH)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("snapshot " + id + " has no manifest (" + store.describe() + ")");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        try {
            return new SnapshotManifest(Long.parseLong(kv.get("id")), Integer.parseInt(kv.get("partitions")),
                    Integer.parseInt(kv.get("maxParallelism")), Long.parseLong(kv.get("completedAtMillis")),
                    kv.getOrDefault("ingressLogId", ""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the manifest of snapshot " + id + " is damaged: " + text.strip(), e);
        }
    }
}
