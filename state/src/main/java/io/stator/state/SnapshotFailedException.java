package io.stator.state;

/**
 * One partition's snapshot could not be taken or copied (a RocksDB error, a full disk, an unreachable store).
 * It fails only that snapshot: the state store stays usable and a later snapshot may succeed.
 */
public final class SnapshotFailedException extends RuntimeException {
    /**
     * @param message what failed, naming the snapshot, the partition and the file
     * @param cause   the underlying error
     */
    public SnapshotFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
