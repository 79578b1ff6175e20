package io.stator.state.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One changelog segment being written: every put and delete a partition gives RocksDB between two snapshots, in
 * the order given, appended to a local file. A snapshot can then commit by forcing this one file to disk instead of
 * waiting for RocksDB to ingest its entries and take a checkpoint; restore replays the segments on top of the
 * last checkpoint ({@link ChangelogReplay}).
 *
 * <p>Record layout, big-endian: {@code 1, keyLength:int, key, valueLength:int, value} for a put of a stored value
 * ({@link StateValueDescriptor}), {@code 2, keyLength:int, key} for a delete. The manifest, not the file, carries
 * the size and CRC32C that {@link #crc32c()} returns.
 *
 * <p>A write error (a full disk), or a segment passing its size bound, is not thrown at the writer, which may be a partition thread evicting cache
 * entries: the segment is marked {@link #failed()}, later records are dropped, and the snapshot that finds it
 * failed takes a full checkpoint instead. Used by one thread at a time, handed over with the snapshot.
 */
final class ChangelogWriter {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    private static final int BUFFER_BYTES = 64 << 10;

    private final Path file;
    private final FileChannel channel;
    private final long maxBytes;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    private long size;
    private long records;
    private IOException failure;

    private ChangelogWriter(Path file, FileChannel channel, long maxBytes) {
        this.file = file;
        this.channel = channel;
        this.maxBytes = maxBytes;
    }

    /**
     * Creates an empty segment file.
     *
     * @param maxBytes past this size the segment gives up (as on a write error) and empties its file: with
     *                 snapshots rare or off, recording every eviction would otherwise fill the disk
     * @throws IOException if the file cannot be created (it must not exist)
     */
    static ChangelogWriter create(Path file, long maxBytes) throws IOException {
        Files.createDirectories(file.getParent());
        return new ChangelogWriter(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), maxBytes);
    }

    /** Appends a put; reads {@code key} and {@code value} from position to limit without moving them. */
    void put(ByteBuffer key, ByteBuffer value) {
        if (failure != null) {
            return;
        }
        int keyLength = key.remaining();
        int valueLength = value.remaining();
        if (room(1 + 4 + keyLength + 4 + valueLength)) {
            buffer.put(PUT).putInt(keyLength).put(key.duplicate()).putInt(valueLength).put(value.duplicate());
        } else { // larger than the buffer: header, then the bytes straight from the caller's buffers
            buffer.put(PUT).putInt(keyLength);
            writeThrough(key.duplicate());
            room(4);
            buffer.putInt(valueLength);
            writeThrough(value.duplicate());
        }
        records++;
    }

    /** Appends a delete of {@code key}. */
    void delete(byte[] key) {
        if (failure != null) {
            return;
        }
        if (room(1 + 4 + key.length)) {
            buffer.put(DELETE).putInt(key.length).put(key);
        } else {
            buffer.put(DELETE).putInt(key.length);
            writeThrough(ByteBuffer.wrap(key));
        }
        records++;
    }

    /**
     * Writes what is buffered and forces the file to disk; the segment takes no more records.
     *
     * @throws IOException the first write error, if any, or the force's
     */
    void finish() throws IOException {
        drain();
        if (failure != null) {
            throw failure;
        }
        channel.force(false);
        channel.close();
    }

    /** Closes and deletes the file, ignoring errors: the segment is not needed (or is replaced by a checkpoint). */
    void discard() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // deleted next anyway
        }
        FileTrees.deleteQuietly(file);
    }

    /** @return the local file */
    Path file() {
        return file;
    }

    /** @return the bytes written once {@link #finish()} returned */
    long size() {
        return size;
    }

    /** @return the CRC32C of the bytes written once {@link #finish()} returned */
    int crc32c() {
        return (int) crc.getValue();
    }

    /** @return how many records were appended */
    long records() {
        return records;
    }

    /** @return the first write error, or null */
    IOException failed() {
        return failure;
    }

    /** @return whether {@code bytes} more fit in the buffer, after draining it if needed */
    private boolean room(int bytes) {
        if (buffer.remaining() < bytes) {
            drain();
        }
        return buffer.remaining() >= bytes;
    }

    private void drain() {
        buffer.flip();
        writeThrough(buffer);
        buffer.clear();
    }

    /** Writes {@code bytes} out, after what is buffered; on an error remembers it and drops the rest. */
    private void writeThrough(ByteBuffer bytes) {
        if (bytes != buffer && buffer.position() > 0) {
            drain();
        }
        if (failure != null) {
            return;
        }
        if (size + bytes.remaining() > maxBytes) {
            failure = new IOException("changelog segment " + file + " would pass " + maxBytes + " bytes");
            try {
                channel.truncate(0); // give the disk back now, not at the next snapshot
            } catch (IOException ignored) {
                // the snapshot that finds the segment failed deletes it
            }
            return;
        }
        crc.update(bytes.duplicate());
        try {
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
        } catch (IOException e) {
            failure = e;
        }
    }
}
