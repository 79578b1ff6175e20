package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * What one partition contributed to a snapshot: its key groups and the size and CRC32C of every checkpoint file.
 * It is written after the files, so its presence means the partition's part is whole.
 *
 * <p>Stored as {@code <snapshotId>/partition-<p>.manifest}, a short UTF-8 text, one record per line, fields
 * separated by single spaces:
 *
 * <pre>
 *   stator-partition-manifest 1          format marker and version: 2 if a changelog segment is listed
 *   snapshot 7                            snapshot id
 *   partition 2                           partition index when the snapshot was taken
 *   key-groups 64 95                      first and last key group (inclusive) the partition held
 *   max-parallelism 128                   total key groups
 *   created-at 1763745600000              epoch millis of the checkpoint
 *   file 000012.sst 48213 9a3c01f2        one line per file: name, size in bytes, CRC32C in hex; a file named
 *                                         stator-changelog-&lt;id&gt; is a changelog segment ({@link ChangelogReplay})
 *   crc32c 5be0e1d7                       CRC32C (hex) of every byte above this line
 * </pre>
 *
 * @param snapshotId      the snapshot
 * @param partition       the partition index at snapshot time
 * @param keyGroups       the key groups the partition held
 * @param maxParallelism  the total number of key groups
 * @param createdAtMillis when the checkpoint was taken
 * @param files           the checkpoint's files
 */
public record PartitionManifest(
        long snapshotId, int partition, KeyGroupRange keyGroups, int maxParallelism, long createdAtMillis,
        List<FileEntry> files) {

    private static final String MAGIC_PREFIX = "stator-partition-manifest ";
    /** Written when the manifest lists no changelog segment, so that such snapshots stay readable by older code. */
    private static final String MAGIC = MAGIC_PREFIX + "1";
    /** Written when it lists one: code that predates changelogs would restore without them, so it must refuse. */
    private static final String MAGIC_CHANGELOG = MAGIC_PREFIX + "2";

    /**
     * One checkpoint file.
     *
     * @param name   the file name, e.g. {@code 000012.sst}
     * @param size   its length in bytes
     * @param crc32c the CRC32C of its bytes
     */
    public record FileEntry(String name, long size, int crc32c) {
        /** @throws IllegalArgumentException naming the file if its name cannot be stored in a manifest */
        public FileEntry {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('/') >= 0 || name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("checkpoint file name '" + name + "' is empty or has a space, '/' or newline");
            }
        }
    }

    /** Copies {@code files} so the manifest is immutable. */
    public PartitionManifest {
        files = List.copyOf(files);
    }

    /** @return the snapshot-relative path of partition {@code partition}'s manifest */
    public static String manifestPath(int partition) {
        return "partition-" + partition + ".manifest";
    }

    /** @return the snapshot-relative folder of partition {@code partition}'s files */
    public static String folderPath(int partition) {
        return "partition-" + partition;
    }

    /** @return the snapshot-relative path of this manifest */
    public String manifestPath() {
        return manifestPath(partition);
    }

    /** @return the snapshot-relative path of one of this partition's files */
    public String filePath(FileEntry file) {
        return folderPath(partition) + "/" + file.name();
    }

    /** @return the sum of the file sizes */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** @return the manifest's bytes, in the format described above */
    public byte[] encode() {
        StringBuilder text = new StringBuilder(128 + 48 * files.size());
        boolean changelog = files.stream().anyMatch(f -> ChangelogReplay.isSegment(f.name()));
        text.append(changelog ? MAGIC_CHANGELOG : MAGIC).append('\n')
                .append("snapshot ").append(snapshotId).append('\n')
                .append("partition ").append(partition).append('\n')
                .append("key-groups ").append(keyGroups.first()).append(' ').append(keyGroups.last()).append('\n')
                .append("max-parallelism ").append(maxParallelism).append('\n')
                .append("created-at ").append(createdAtMillis).append('\n');
        for (FileEntry f : files) {
            text.append("file ").append(f.name()).append(' ').append(f.size()).append(' ')
                    .append(Integer.toHexString(f.crc32c())).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] trailer = ("crc32c " + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + trailer.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(trailer, 0, all, body.length, trailer.length);
        return all;
    }

    /**
     * Parses a manifest.
     *
     * @param where names the manifest in error messages, e.g. {@code snapshot 7 file partition-2.manifest}
     * @throws SnapshotCorruptedException naming {@code where} if the bytes are not a whole, valid manifest
     */
    public static PartitionManifest decode(byte[] bytes, String where) throws SnapshotCorruptedException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int trailerAt = text.lastIndexOf("crc32c ");
        boolean known = text.startsWith(MAGIC + "\n") || text.startsWith(MAGIC_CHANGELOG + "\n");
        if (!known || trailerAt < 0 || !text.endsWith("\n")) {
            throw new SnapshotCorruptedException(where + " is not a partition manifest or is truncated");
        }
        CRC32C crc = new CRC32C();
        byte[] body = text.substring(0, trailerAt).getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        String recorded = text.substring(trailerAt + "crc32c ".length(), text.length() - 1);
        if (!recorded.equals(Long.toHexString(crc.getValue()))) {
            throw new SnapshotCorruptedException(where + " is corrupt: its CRC32C is " + Long.toHexString(crc.getValue())
                    + " but it records " + recorded);
        }
        try {
            return parseBody(text.substring(0, trailerAt).split("\n"));
        } catch (RuntimeException e) {
            throw new SnapshotCorruptedException(where + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static PartitionManifest parseBody(String[] lines) {
        long snapshotId = Long.parseLong(field(lines, 1, "snapshot")[1]);
        int partition = Integer.parseInt(field(lines, 2, "partition")[1]);
        String[] range = field(lines, 3, "key-groups");
        KeyGroupRange keyGroups = new KeyGroupRange(Integer.parseInt(range[1]), Integer.parseInt(range[2]));
        int maxParallelism = Integer.parseInt(field(lines, 4, "max-parallelism")[1]);
        long createdAt = Long.parseLong(field(lines, 5, "created-at")[1]);
        List<FileEntry> files = new ArrayList<>();
        for (int i = 6; i < lines.length; i++) {
            String[] f = field(lines, i, "file");
            files.add(new FileEntry(f[1], Long.parseLong(f[2]), Integer.parseUnsignedInt(f[3], 16)));
        }
        return new PartitionManifest(snapshotId, partition, keyGroups, maxParallelism, createdAt, files);
    }

    private static String[] field(String[] lines, int index, String name) {
        if (index >= lines.length) {
            throw new IllegalArgumentException("line " + (index + 1) + " '" + name + "' is missing");
        }
        String[] parts = lines[index].split(" ");
        if (!parts[0].equals(name)) {
            throw new IllegalArgumentException("line " + (index + 1) + " should start with '" + name + "' but is '"
                    + lines[index] + "'");
        }
        int expected = name.equals("file") ? 4 : name.equals("key-groups") ? 3 : 2;
        if (parts.length != expected) {
            throw new IllegalArgumentException("line " + (index + 1) + " '" + lines[index] + "' should have "
                    + expected + " fields");
        }
        return parts;
    }
}
