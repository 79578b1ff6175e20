package io.stator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderSnapshotStoreTest {
    @TempDir
    Path dir;

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesAreStoredUnderTheirSnapshotIdAndListedSorted() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        assertEquals(5, store.write(12, "partition-1/b.sst", text("hello")));
        store.write(12, "partition-1.manifest", text("m"));
        store.write(3, "partition-0/a", text("x"));
        assertEquals(List.of(3L, 12L), store.snapshotIds());
        assertEquals(List.of("partition-1.manifest", "partition-1/b.sst"), store.list(12));
        assertEquals("hello", Files.readString(dir.resolve("12/partition-1/b.sst")));
        try (InputStream in = store.open(12, "partition-1/b.sst")) {
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        store.delete(12);
        assertEquals(List.of(3L), store.snapshotIds());
        assertEquals(List.of(), store.list(12));
        assertThrows(NoSuchFileException.class, () -> store.open(12, "partition-1/b.sst"));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingBehind() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 100) {
                    throw new IOException("No space left on device");
                }
                return 'a';
            }
        };
        assertThrows(IOException.class, () -> store.write(1, "partition-0/big.sst", failing));
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no partial or temporary file");
        }
    }

    @Test
    void aLinkedFileIsStoredWithoutACopyAndOutlivesItsSource() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("store"));
        Path source = Files.writeString(dir.resolve("MANIFEST-000005"), "manifest");

        assertTrue(store.link(4, "partition-0/MANIFEST-000005", source));
        assertTrue(Files.isSameFile(source, store.pathOf(4, "partition-0/MANIFEST-000005")), "a hard link");
        Files.delete(source);
        assertEquals(List.of("partition-0/MANIFEST-000005"), store.list(4));
        try (InputStream in = store.open(4, "partition-0/MANIFEST-000005")) {
            assertArrayEquals("manifest".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertThrows(NoSuchFileException.class, () -> store.link(4, "partition-0/CURRENT", dir.resolve("CURRENT")),
                "a missing source is an error, not a reason to copy");
    }

    @Test
    void pathsThatEscapeTheSnapshotAreRefused() {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.write(1, "../x", text("")));
        assertEquals("snapshot file path '../x' has an empty, '.' or '..' segment", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.write(1, "/etc/x", text("")));
        assertThrows(IllegalArgumentException.class, () -> store.write(-1, "x", text("")));
    }

    @Test
    void copyWithinSharesAFileUnderAnotherPathReplacingWhatIsThere() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("store"));
        store.write(1, "partition-0.checkpoint/000007.sst", text("sst"));
        assertTrue(store.copyWithin(1, "partition-0.checkpoint/000007.sst", 2, "partition-0/000007.sst"),
                "into a folder that does not exist yet");
        store.write(3, "partition-0/000007.sst", text("stale"));
        assertTrue(store.copyWithin(2, 3, "partition-0/000007.sst"), "over a file that is there");
        assertEquals("sst", Files.readString(store.pathOf(3, "partition-0/000007.sst")));
        assertTrue(Files.isSameFile(store.pathOf(1, "partition-0.checkpoint/000007.sst"),
                store.pathOf(3, "partition-0/000007.sst")));

        store.delete(1);
        store.delete(2);
        assertEquals(false, store.copyWithin(2, 4, "partition-0/000007.sst"), "the source is gone");
        assertEquals(List.of(3L), store.snapshotIds(), "and nothing was made for it");
    }
}
