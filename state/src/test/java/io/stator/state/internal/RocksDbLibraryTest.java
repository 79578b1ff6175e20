package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB's JNI library is copied out of its jar once per library build and reused by every later start. */
class RocksDbLibraryTest {

    @TempDir
    Path cache;

    @Test
    void theLibraryIsCopiedOnceAndACopyThatIsNotWholeIsReplaced() throws Exception {
        Path dir = RocksDbLibrary.extract(cache);
        assertNotNull(dir, "rocksdbjni is a jar on the test classpath");
        Path library = dir.resolve(RocksDbLibrary.FILE_NAME);
        long size = Files.size(library);
        assertTrue(size > 1 << 20, "the whole library: " + size + " bytes");
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, written);

        assertEquals(dir, RocksDbLibrary.extract(cache));
        assertEquals(written, Files.getLastModifiedTime(library), "a second start reuses the copy");

        Files.write(library, new byte[] {1, 2, 3}); // as a copy cut short would be, had it not been renamed whole
        assertEquals(dir, RocksDbLibrary.extract(cache));
        assertEquals(size, Files.size(library), "a copy of the wrong size is replaced");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(library), files.toList(), "no partial copy is left behind");
        }
    }

    /** What the state backend's JVMs map: the cached copy, not a new file in the temporary folder. */
    @Test
    void theBackendLoadsTheCachedCopy() throws Exception {
        new RocksDbResources(1 << 20, 1 << 20).close(); // loads the library, as every backend and restore does
        List<String> mapped;
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            mapped = maps.filter(line -> line.contains("librocksdbjni")).map(line -> line.substring(line.indexOf('/')))
                    .distinct().toList();
        }
        Path cacheRoot = Path.of(System.getProperty("user.home"), ".cache", "stator");
        assertEquals(1, mapped.size(), "one copy of the library: " + mapped);
        assertTrue(Path.of(mapped.get(0)).startsWith(cacheRoot), mapped.get(0) + " is under " + cacheRoot);
    }
}
