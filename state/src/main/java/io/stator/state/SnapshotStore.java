package io.stator.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where snapshot files live once they leave the machine's data folder: a local folder
 * ({@link LocalFolderSnapshotStore}) or, later, an object store. Files are addressed by a snapshot id and a
 * relative path with {@code /} separators, e.g. {@code (7, "partition-2/000012.sst")}.
 *
 * <p>Layout written by the state backend for snapshot {@code id} of partition {@code p}:
 *
 * <pre>
 *   &lt;id&gt;/partition-&lt;p&gt;/&lt;file&gt;          every file of the partition's last RocksDB checkpoint, and the
 *                                       changelog segments written since ({@code stator-changelog-<id>})
 *   &lt;id&gt;/partition-&lt;p&gt;.manifest        written last: key groups, and size and CRC32C of every file
 *   &lt;id&gt;/partition-&lt;p&gt;.checkpoint/     a checkpoint of snapshot id - 1 taken in the background, which a
 *                                       later snapshot of the partition takes over; no manifest lists it
 * </pre>
 *
 * Every snapshot holds all the files it needs (files shared with another snapshot are taken over with
 * {@link #copyWithin}), so deleting one snapshot never damages another. A partition's snapshot counts only once
 * its manifest exists, and a snapshot is complete once the manifests
 * of its partitions cover every key group. Other files in a snapshot's folder (for example the runtime's own
 * manifest of ingress positions) are ignored by restore and deleted with the snapshot by retention.
 *
 * <p>Implementations must be safe for use by several threads at once (upload threads and a restorer).
 */
public interface SnapshotStore {
    /**
     * Stores a file, replacing any file at that path. The file appears whole or not at all: if reading
     * {@code content} or writing fails, nothing is left at {@code path}.
     *
     * @param snapshotId the snapshot, not negative
     * @param path       a relative path with {@code /} separators and no {@code .} or {@code ..} segments
     * @param content    the bytes; read to its end but not closed
     * @return how many bytes were stored
     * @throws IOException if the file could not be stored
     */
    long write(long snapshotId, String path, InputStream content) throws IOException;

    /**
     * Opens a stored file for reading; the caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IOException                       if the store cannot be read
     */
    InputStream open(long snapshotId, String path) throws IOException;

    /**
     * Gives snapshot {@code toSnapshotId} the file {@code path} of snapshot {@code fromSnapshotId} without moving
     * its bytes through this process, if the store can: a hard link in a local folder, a server-side copy in an
     * object store. The state backend uses it for RocksDB's immutable SST files that an earlier snapshot of the
     * same database already holds, so a snapshot only copies what changed. The two snapshots then share the
     * stored bytes: a file damaged in one is damaged in both.
     *
     * @return whether the file is now in {@code toSnapshotId}; false if this store cannot do it (the default) or
     *         the source is gone, and the caller then writes the file itself
     * @throws IOException if the store failed otherwise
     */
    default boolean copyWithin(long fromSnapshotId, long toSnapshotId, String path) throws IOException {
        return copyWithin(fromSnapshotId, path, toSnapshotId, path);
    }

    /**
     * As {@link #copyWithin(long, long, String)}, to another path: gives snapshot {@code toSnapshotId} the file
     * {@code fromPath} of snapshot {@code fromSnapshotId} as {@code toPath}.
     *
     * @return whether the file is now stored; false if this store cannot do it (the default) or the source is gone
     * @throws IOException if the store failed otherwise
     */
    default boolean copyWithin(long fromSnapshotId, String fromPath, long toSnapshotId, String toPath)
            throws IOException {
        return false;
    }

    /**
     * Stores a local file by linking it instead of copying its bytes, if the store can: a hard link when the store
     * is a folder on the same file system. The state backend uses it for the files of a RocksDB checkpoint, which
     * RocksDB has forced to disk and never changes again, so that a snapshot neither copies nor forces them a second
     * time. The file and the stored copy then share their bytes: a file damaged in one is damaged in both.
     *
     * @param file a local file already forced to disk, which nobody modifies afterwards (it may be deleted)
     * @return whether the file is now stored at {@code path}; false if this store cannot do it (the default), and
     *         the caller then writes the file with {@link #write}
     * @throws IOException if the store failed otherwise
     */
    default boolean link(long snapshotId, String path, Path file) throws IOException {
        return false;
    }

    /** @return the ids of the snapshots that have at least one file, ascending */
    List<Long> snapshotIds() throws IOException;

    /** @return the relative paths of the files of a snapshot, sorted; empty if it has none */
    List<String> list(long snapshotId) throws IOException;

    /** Deletes every file of a snapshot; does nothing if it has none. */
    void delete(long snapshotId) throws IOException;

    /** @return where the store keeps its files, for log and error messages */
    String describe();

    /**
     * Checks a relative path for {@link #write} and {@link #open}.
     *
     * @throws IllegalArgumentException naming the path if it is absolute, empty or escapes its snapshot
     */
    static String checkPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("snapshot file path must be relative with '/' separators, was '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("snapshot file path '" + path + "' has an empty, '.' or '..' segment");
            }
        }
        return path;
    }

    /**
     * Checks a snapshot id.
     *
     * @throws IllegalArgumentException naming the id if it is negative
     */
    static long checkSnapshotId(long snapshotId) {
        if (snapshotId < 0) {
            throw new IllegalArgumentException("snapshot id must not be negative, was " + snapshotId);
        }
        return snapshotId;
    }
}
