package io.stator.state;

/**
 * A snapshot cannot be restored: a file is missing, a file's checksum or size differs from its manifest, a
 * manifest is damaged, or the partition manifests do not cover every key group. The message names the file.
 */
public final class SnapshotCorruptedException extends Exception {
    /** @param message what is wrong, naming the snapshot and the file */
    public SnapshotCorruptedException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the snapshot and the file
     * @param cause   the underlying error
     */
    public SnapshotCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
