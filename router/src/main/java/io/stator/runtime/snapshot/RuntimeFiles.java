package io.stator.runtime.snapshot;

import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the readers of a partition's backlog and timer files share: reading one whole, and the checks before its
 * records are read (length, checksum, kind and version, partition). Such a file starts with int32 magic, int32
 * version, int32 partition, little-endian, and ends with the CRC32C of every byte before it.
 */
final class RuntimeFiles {
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private RuntimeFiles() {
    }

    /** @throws IllegalArgumentException if the snapshot has no such file */
    static byte[] read(SnapshotStore store, long id, String path) throws IOException {
        try (InputStream in = store.open(id, path)) {
            return in.readAllBytes();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("snapshot " + id + " is missing " + path);
        }
    }

    /**
     * @param what       a name for the bytes (the file), used in error messages
     * @param kind       what the file should be ("backlog file"), used in error messages
     * @param minLength  the fewest bytes such a file has, checksum included
     * @return the bytes, to read the records from
     * @throws IllegalArgumentException naming {@code what} if the bytes are damaged, or another file
     */
    static UnsafeBuffer checked(byte[] bytes, String what, String kind, int magic, int version, int partition,
            int minLength) {
        if (bytes.length < minLength) {
            throw new IllegalArgumentException(what + " is too short to be a " + kind + " (" + bytes.length + " bytes)");
        }
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4, ORDER)) {
            throw new IllegalArgumentException(what + " fails its checksum");
        }
        if (b.getInt(0, ORDER) != magic || b.getInt(4, ORDER) != version) {
            throw new IllegalArgumentException(what + " is not a version " + version + " " + kind);
        }
        if (b.getInt(8, ORDER) != partition) {
            throw new IllegalArgumentException(what + " belongs to partition " + b.getInt(8, ORDER));
        }
        return b;
    }
}
