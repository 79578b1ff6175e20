package io.stator.state.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library from one extracted copy per library build, under {@code ~/.cache/stator}.
 *
 * <p>Why not RocksDB's own loader: it copies the 17 MB library out of its jar into a new temporary file at every
 * start (~0.2 s) and deletes the copy only when the JVM exits cleanly. A JVM killed with SIGKILL (a crash, the
 * crash test, {@code bench W5}) leaves its copy in the temporary folder for good: this machine had collected 25 GB
 * of them. If the cache cannot be used (no jar, no writable home), RocksDB's loader runs as before.
 */
final class RocksDbLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbLibrary.class);
    /**
     * The file name {@link RocksDB#loadLibrary(List)} loads from each folder it is given. It differs from the jar
     * entry's name ({@code librocksdbjni-linux64.so} there, {@code librocksdbjnijni-linux64.so} here).
     */
    static final String FILE_NAME = Environment.getJniLibraryFileName("rocksdbjni");

    private RocksDbLibrary() {
    }

    /** Loads the library once per JVM; later calls return at once. */
    static void load() {
        try {
            Path dir = extract(Path.of(System.getProperty("user.home"), ".cache", "stator"));
            if (dir != null) {
                RocksDB.loadLibrary(List.of(dir.toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debug("cannot load RocksDB's library from the cache ({}); extracting it as RocksDB does", e.toString());
        }
        RocksDB.loadLibrary();
    }

    /**
     * Makes sure {@code cacheRoot} holds a copy of the JNI library of the rocksdbjni jar on the classpath, in a
     * folder named after the jar entry's CRC-32 and size (so another RocksDB build gets a folder of its own), and
     * copies it only if that folder does not hold it whole. The copy is renamed into place, so a JVM never loads a
     * half-written library, even with others starting at once.
     *
     * @return the folder holding the library, or null if the library is not in a jar
     */
    static Path extract(Path cacheRoot) throws IOException {
        URL url = RocksDB.class.getResource("/" + Environment.getJniLibraryFileName("rocksdb"));
        if (url == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        if (entry.getSize() < 0 || entry.getCrc() < 0) {
            return null;
        }
        Path dir = cacheRoot.resolve(String.format("rocksdbjni-%08x-%d", entry.getCrc(), entry.getSize()));
        Path library = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
            return dir;
        }
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, FILE_NAME, ".part");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return dir;
    }
}
