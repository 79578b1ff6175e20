package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changelog segment's bound: with snapshots rare or off, recording evictions must not fill the disk. */
class ChangelogWriterTest {
    @TempDir
    Path dir;

    @Test
    void aSegmentPastItsBoundGivesItsBytesBackAndRefusesToFinish() throws IOException {
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-0"), 200_000);
        ByteBuffer key = ByteBuffer.wrap(new byte[20]);
        ByteBuffer value = ByteBuffer.wrap(new byte[1_000]);
        for (int i = 0; i < 150; i++) { // ~153 KB: under the bound, partly still buffered
            segment.put(key, value);
        }
        assertNull(segment.failed());
        for (int i = 0; i < 150; i++) { // past it, at the next drain of the 64 KiB buffer
            segment.put(key, value);
        }
        assertNotNull(segment.failed(), "the segment gave up");
        assertTrue(segment.failed().getMessage().contains("200000 bytes"), segment.failed().getMessage());
        assertEquals(0, Files.size(segment.file()), "and emptied its file");
        assertThrows(IOException.class, segment::finish, "a snapshot cannot use it: it must take a checkpoint");
        segment.discard();
        assertTrue(Files.notExists(segment.file()));
    }

    @Test
    void aSegmentUnderItsBoundKeepsEveryRecord() throws IOException {
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-1"), 1 << 20);
        byte[] big = new byte[100_000]; // larger than the 64 KiB buffer: written straight through
        segment.put(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(big));
        segment.delete(new byte[] {3});
        segment.finish();
        assertEquals(2, segment.records());
        long expected = (1 + 4 + 2 + 4 + big.length) + (1 + 4 + 1);
        assertEquals(expected, segment.size());
        assertEquals(expected, Files.size(segment.file()));
    }

    @Test
    void aTruncatedSegmentIsRefusedByNameOnReplay() throws IOException {
        Path folder = dir.resolve("partition-0");
        ChangelogWriter segment = ChangelogWriter.create(folder.resolve(ChangelogReplay.fileName(7)), 1 << 20);
        segment.put(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4, 5, 6}));
        segment.finish();
        byte[] whole = Files.readAllBytes(segment.file());
        Files.write(segment.file(), java.util.Arrays.copyOf(whole, whole.length - 2)); // cut inside the value
        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            io.stator.state.SnapshotCorruptedException e = assertThrows(io.stator.state.SnapshotCorruptedException.class,
                    () -> ChangelogReplay.applyAll(folder, resources, "snapshot 7 partition 0"));
            assertEquals("snapshot 7 partition 0 file stator-changelog-7 is truncated after 0 records", e.getMessage());
        }
    }

    @Test
    void aSegmentFileLargerThanASegmentCanBeIsRefusedByNameBeforeItIsRead() throws IOException {
        Path folder = dir.resolve("partition-1");
        Files.createDirectories(folder);
        Path file = folder.resolve(ChangelogReplay.fileName(9));
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1]), 2 * SnapshotWriter.MAX_CHANGELOG_BYTES); // sparse
        }
        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            io.stator.state.SnapshotCorruptedException e = assertThrows(io.stator.state.SnapshotCorruptedException.class,
                    () -> ChangelogReplay.applyAll(folder, resources, "snapshot 9 partition 1"));
            long size = 2 * SnapshotWriter.MAX_CHANGELOG_BYTES + 1;
            assertEquals("snapshot 9 partition 1 file stator-changelog-9 is corrupt: " + size
                    + " bytes, more than a segment can hold", e.getMessage());
        }
    }
}
