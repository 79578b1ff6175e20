package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.state.RocksDbStateConfig;
import io.stator.state.SnapshotCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changelog segment's bounds: its parts bound what a replay holds in memory, and its total bound keeps recording
 * evictions from filling the disk when snapshots are rare or off.
 */
class ChangelogWriterTest {
    @TempDir
    Path dir;

    @Test
    void aSegmentPastItsBoundGivesItsBytesBackAndRefusesToFinish() throws IOException {
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-0"), 200_000, 200_000);
        ByteBuffer key = ByteBuffer.wrap(new byte[20]);
        ByteBuffer value = ByteBuffer.wrap(new byte[1_000]);
        for (int i = 0; i < 150; i++) { // ~153 KB: under the bound, partly still buffered
            segment.put(key, value);
        }
        assertNull(segment.failed());
        for (int i = 0; i < 150; i++) { // past it
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
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-1"), 1 << 20, 1 << 20);
        byte[] big = new byte[100_000]; // larger than the 64 KiB buffer: written straight through
        segment.put(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(big));
        segment.delete(new byte[] {3});
        segment.finish();
        assertEquals(2, segment.records());
        long expected = (1 + 4 + 2 + 4 + big.length) + (1 + 4 + 1);
        assertEquals(expected, segment.size());
        assertEquals(List.of(new ChangelogWriter.Part(segment.file(), expected, crc32c(segment.file()))),
                segment.parts());
        assertEquals(expected, Files.size(segment.file()));
    }

    @Test
    void aSegmentLargerThanOnePartGoesOnInTheNextAndReplaysInOrder() throws Exception {
        Path local = dir.resolve("changelog-2");
        ChangelogWriter segment = ChangelogWriter.create(local, 2_100, 100_000);
        Map<String, String> expected = new TreeMap<>();
        String filler = "v".repeat(988);
        for (int i = 0; i < 30; i++) { // 1,004 bytes a record: two to a part
            String key = "key-" + i % 7; // the same keys in every part: the last write must win
            String value = String.format("%02d", i) + filler;
            segment.put(ByteBuffer.wrap(bytes(key)), ByteBuffer.wrap(bytes(value)));
            expected.put(key, value);
        }
        segment.delete(bytes("key-3")); // 10 bytes: still in the last part
        expected.remove("key-3");
        assertNull(segment.failed());
        segment.finish();

        List<ChangelogWriter.Part> parts = segment.parts();
        assertEquals(15, parts.size());
        assertEquals(local, parts.get(0).file());
        assertEquals(dir.resolve("changelog-2.14"), parts.get(14).file());
        long total = 0;
        for (ChangelogWriter.Part part : parts) {
            assertTrue(part.size() <= 2_100, part + " is within a part's bound");
            assertEquals(part.size(), Files.size(part.file()));
            assertEquals(crc32c(part.file()), part.crc32c(), "the CRC of " + part.file());
            total += part.size();
        }
        assertEquals(30 * 1_004L + 10, total);
        assertEquals(total, segment.size());

        // As a snapshot stores them; a sort by name would replay part 10 before part 2.
        Path folder = dir.resolve("partition-0");
        Files.createDirectories(folder);
        for (int k = parts.size() - 1; k >= 0; k--) {
            Files.copy(parts.get(k).file(), folder.resolve(ChangelogReplay.fileName(12, k)),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            assertEquals(new ChangelogReplay.Applied(1, parts.size(), 31),
                    ChangelogReplay.applyAll(folder, resources, "snapshot 12 partition 0"));
            Map<String, String> found = ChangelogReplayTest.contents(resources, folder);
            assertEquals(heads(expected), heads(found), "which write of each key is left");
            assertEquals(expected, found);
        }
        segment.discard();
        for (ChangelogWriter.Part part : parts) {
            assertTrue(Files.notExists(part.file()), "discard deletes " + part.file());
        }
    }

    @Test
    void aRecordLargerThanAPartFailsTheSegmentByName() throws IOException {
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-3"), 1_000, 10_000);
        segment.put(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[10]));
        segment.put(ByteBuffer.wrap(new byte[] {2}), ByteBuffer.wrap(new byte[2_000]));
        assertNotNull(segment.failed());
        assertEquals("changelog segment " + dir.resolve("changelog-3") + ": a record of 2010 bytes is larger than"
                + " one of its files may be (1000)", segment.failed().getMessage());
        assertThrows(IOException.class, segment::finish);
        segment.discard();
    }

    @Test
    void aSegmentPastItsTotalBoundEmptiesEveryPart() throws IOException {
        ChangelogWriter segment = ChangelogWriter.create(dir.resolve("changelog-4"), 10_000, 25_000);
        ByteBuffer key = ByteBuffer.wrap(new byte[8]);
        ByteBuffer value = ByteBuffer.wrap(new byte[983]); // 1,000 bytes a record
        for (int i = 0; i < 25; i++) {
            segment.put(key, value);
        }
        assertNull(segment.failed(), "25,000 bytes fit");
        assertTrue(Files.exists(dir.resolve("changelog-4.2")));
        segment.put(key, value);
        assertNotNull(segment.failed());
        assertTrue(segment.failed().getMessage().endsWith("would pass 25000 bytes"), segment.failed().getMessage());
        for (String name : new String[] {"changelog-4", "changelog-4.1", "changelog-4.2"}) {
            assertEquals(0, Files.size(dir.resolve(name)), name + " is emptied");
        }
        segment.discard();
        assertTrue(Files.notExists(dir.resolve("changelog-4.1")));
    }

    @Test
    void aTruncatedSegmentIsRefusedByNameOnReplay() throws IOException {
        Path folder = dir.resolve("partition-0");
        ChangelogWriter segment = ChangelogWriter.create(folder.resolve(ChangelogReplay.fileName(7, 0)), 1 << 20,
                1 << 20);
        segment.put(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4, 5, 6}));
        segment.finish();
        byte[] whole = Files.readAllBytes(segment.file());
        Files.write(segment.file(), Arrays.copyOf(whole, whole.length - 2)); // cut inside the value
        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class,
                    () -> ChangelogReplay.applyAll(folder, resources, "snapshot 7 partition 0"));
            assertEquals("snapshot 7 partition 0 file stator-changelog-7 is truncated after 0 records", e.getMessage());
        }
    }

    @Test
    void aSegmentFileLargerThanASegmentCanBeIsRefusedByNameBeforeItIsRead() throws IOException {
        Path folder = dir.resolve("partition-1");
        Files.createDirectories(folder);
        Path file = folder.resolve(ChangelogReplay.fileName(9, 1));
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[1]), 2 * RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES); // sparse
        }
        try (RocksDbResources resources = new RocksDbResources(1 << 20, 1 << 20)) {
            SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class,
                    () -> ChangelogReplay.applyAll(folder, resources, "snapshot 9 partition 1"));
            long size = 2 * RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES + 1;
            assertEquals("snapshot 9 partition 1 file stator-changelog-9.1 is corrupt: " + size
                    + " bytes, more than a segment can hold", e.getMessage());
        }
    }

    /** @return each value's first two characters (the write's number), for a readable failure */
    private static Map<String, String> heads(Map<String, String> values) {
        Map<String, String> heads = new TreeMap<>();
        values.forEach((k, v) -> heads.put(k, v.substring(0, 2)));
        return heads;
    }

    private static int crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        return (int) crc.getValue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
