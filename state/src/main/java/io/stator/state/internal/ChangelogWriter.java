package io.stator.state.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One changelog segment being written: every put and delete a partition gives RocksDB between two snapshots, in
 * the order given, appended to local files. A snapshot can then commit by forcing these files to disk instead of
 * waiting for RocksDB to ingest its entries and take a checkpoint; restore replays the segments on top of the
 * last checkpoint ({@link ChangelogReplay}).
 *
 * <p>Record layout, big-endian: {@code 1, keyLength:int, key, valueLength:int, value} for a put of a stored value
 * ({@link StateValueDescriptor}), {@code 2, keyLength:int, key} for a delete. The manifest, not the file, carries
 * the size and CRC32C of each file ({@link #parts()}).
 *
 * <p>A segment is one or more <b>parts</b>, files of at most {@code partBytes} each, cut between records: replay
 * reads a part whole, so a part bounds its memory, while one snapshot interval of a busy partition may write more
 * (at 1M keys, W1 wrote ~9 MB a second per partition; with one 8 MiB file, half its snapshots fell back to full
 * checkpoints). The first part is the file given to {@link #create}, part {@code k} that name plus {@code .k}.
 *
 * <p>A write error (a full disk), or a segment passing its total bound, is not thrown at the writer, which may be a
 * partition thread evicting cache entries: the segment is marked {@link #failed()}, later records are dropped, and
 * the snapshot that finds it failed takes a full checkpoint instead. Used by one thread at a time, handed over
 * with the snapshot.
 */
final class ChangelogWriter {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    private static final int BUFFER_BYTES = 64 << 10;

    /**
     * One finished file of a segment.
     *
     * @param file    the local file
     * @param size    its bytes
     * @param crc32c  the CRC32C of those bytes
     */
    record Part(Path file, long size, int crc32c) {
    }

    private final Path first;
    private final long partBytes;
    private final long maxBytes;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    /** Every part's file and channel, open until {@link #finish}: the parts are forced together there. */
    private final List<Path> files = new ArrayList<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private FileChannel channel;
    /** Bytes written to the current part's file. */
    private long partSize;
    /** Bytes written to all parts' files. */
    private long size;
    private long records;
    private IOException failure;

    private ChangelogWriter(Path first, long partBytes, long maxBytes) {
        this.first = first;
        this.partBytes = partBytes;
        this.maxBytes = maxBytes;
    }

    /**
     * Creates a segment with an empty first part.
     *
     * @param partBytes the most bytes of one part; a record larger than this fails the segment
     * @param maxBytes  past this size, over all parts, the segment gives up (as on a write error) and empties its
     *                  files: with snapshots rare or off, recording every eviction would otherwise fill the disk
     * @throws IOException if the file cannot be created (it must not exist)
     */
    static ChangelogWriter create(Path file, long partBytes, long maxBytes) throws IOException {
        if (partBytes < 1 || maxBytes < partBytes) {
            throw new IllegalArgumentException("a segment needs 0 < partBytes <= maxBytes, got " + partBytes
                    + " and " + maxBytes);
        }
        Files.createDirectories(file.getParent());
        ChangelogWriter segment = new ChangelogWriter(file, partBytes, maxBytes);
        segment.openPart(file, true);
        if (segment.failure != null) {
            throw segment.failure;
        }
        return segment;
    }

    /** Appends a put; reads {@code key} and {@code value} from position to limit without moving them. */
    void put(ByteBuffer key, ByteBuffer value) {
        int keyLength = key.remaining();
        int valueLength = value.remaining();
        if (!startRecord(1L + 4 + keyLength + 4 + valueLength)) {
            return;
        }
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
        if (!startRecord(1L + 4 + key.length)) {
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
     * Makes room for a record of {@code bytes}: starts the next part if the current one would pass its bound.
     *
     * @return whether the record may be written; false once the segment has failed
     */
    private boolean startRecord(long bytes) {
        if (failure != null) {
            return false;
        }
        long buffered = buffer.position();
        if (size + buffered + bytes > maxBytes) {
            fail(new IOException("changelog segment " + first + " would pass " + maxBytes + " bytes"));
            return false;
        }
        if (partSize + buffered + bytes > partBytes) {
            if (bytes > partBytes) {
                fail(new IOException("changelog segment " + first + ": a record of " + bytes
                        + " bytes is larger than one of its files may be (" + partBytes + ")"));
                return false;
            }
            drain();
            parts.add(currentPart());
            crc.reset();
            partSize = 0;
            openPart(first.resolveSibling(first.getFileName() + "." + files.size()), false);
        }
        return failure == null;
    }

    /** Opens a new, empty part file; a failure fails the segment. */
    private void openPart(Path file, boolean mustBeNew) {
        try {
            if (!mustBeNew) {
                Files.deleteIfExists(file); // left by a run that crashed: this segment's parts are its own
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            files.add(file);
            channels.add(channel);
        } catch (IOException e) {
            fail(e);
        }
    }

    /**
     * Writes what is buffered and forces every part to disk; the segment takes no more records.
     *
     * @throws IOException the first write error, if any, or a force's
     */
    void finish() throws IOException {
        if (failure == null) {
            drain();
        }
        if (failure != null) {
            throw failure;
        }
        parts.add(currentPart());
        for (FileChannel c : channels) {
            c.force(false);
            c.close();
        }
    }

    /** @return the part being written, as it stands */
    private Part currentPart() {
        return new Part(files.get(files.size() - 1), partSize, (int) crc.getValue());
    }

    /** Closes and deletes every part, ignoring errors: the segment is not needed (or is replaced by a checkpoint). */
    void discard() {
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // deleted next anyway
            }
        }
        for (Path f : files) {
            FileTrees.deleteQuietly(f);
        }
    }

    /** @return the files of the segment, first to last, once {@link #finish()} returned */
    List<Part> parts() {
        return List.copyOf(parts);
    }

    /** @return the local file of the first part */
    Path file() {
        return first;
    }

    /** @return the bytes written to all parts once {@link #finish()} returned */
    long size() {
        return size;
    }

    /** @return how many records were appended */
    long records() {
        return records;
    }

    /** @return the first write error, or null */
    IOException failed() {
        return failure;
    }

    /** Gives up: later records are dropped, and the parts are emptied to give the disk back now. */
    private void fail(IOException why) {
        failure = why;
        for (FileChannel c : channels) {
            try {
                c.truncate(0);
            } catch (IOException ignored) {
                // the snapshot that finds the segment failed deletes it
            }
        }
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

    /** Writes {@code bytes} out to the current part, after what is buffered; on an error remembers it. */
    private void writeThrough(ByteBuffer bytes) {
        if (bytes != buffer && buffer.position() > 0) {
            drain();
        }
        if (failure != null) {
            return;
        }
        crc.update(bytes.duplicate());
        try {
            while (bytes.hasRemaining()) {
                int n = channel.write(bytes);
                partSize += n;
                size += n;
            }
        } catch (IOException e) {
            failure = e;
        }
    }
}
