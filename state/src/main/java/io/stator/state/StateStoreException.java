package io.stator.state;

/**
 * The state store could not read or write its underlying storage (a RocksDB or I/O error, or a stored value
 * that does not decode). The partition cannot trust its state after this: treat it as fatal for the partition.
 */
public final class StateStoreException extends RuntimeException {
    /** @param message what failed, naming the partition and the key or file */
    public StateStoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the partition and the key or file
     * @param cause   the underlying error
     */
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
