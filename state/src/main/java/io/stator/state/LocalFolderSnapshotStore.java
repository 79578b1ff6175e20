package io.stator.state;

import io.stator.state.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SnapshotStore} in a local (or mounted) folder: snapshot {@code id}'s file {@code path} is
 * {@code <root>/<id>/<path>}.
 *
 * <p>A file is written to a hidden {@code .<name>.<n>.part} sibling, forced to disk, and renamed into place
 * atomically, so a reader never sees half a file and a failed write leaves nothing behind. Thread-safe.
 */
public final class LocalFolderSnapshotStore implements SnapshotStore {
    private static final String PART_SUFFIX = ".part";

    private final Path root;
    private final AtomicLong tempCounter = new AtomicLong();

    /**
     * @param root the folder that holds one sub-folder per snapshot id; created if missing
     * @throws UncheckedIOException if the folder cannot be created
     */
    public LocalFolderSnapshotStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot folder " + this.root, e);
        }
    }

    /** @return the folder holding the snapshots */
    public Path root() {
        return root;
    }

    /** @return the local path of a snapshot file (which may not exist) */
    public Path pathOf(long snapshotId, String path) {
        return snapshotDir(snapshotId).resolve(SnapshotStore.checkPath(path));
    }

    @Override
    public long write(long snapshotId, String path, InputStream content) throws IOException {
        Path target = pathOf(snapshotId, path);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + target.getFileName() + "." + tempCounter.incrementAndGet() + PART_SUFFIX);
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                written = content.transferTo(out);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return written;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Hard-links the file; the two snapshots share its bytes, which this store never modifies in place. The common
     * case (folder there, no file yet) costs one system call: a changelog snapshot takes a dozen files over on the
     * path of its commit.
     */
    @Override
    public boolean copyWithin(long fromSnapshotId, String fromPath, long toSnapshotId, String toPath)
            throws IOException {
        Path source = pathOf(fromSnapshotId, fromPath);
        Path target = pathOf(toSnapshotId, toPath);
        try {
            try {
                Files.createLink(target, source);
            } catch (FileAlreadyExistsException e) {
                Files.delete(target);
                Files.createLink(target, source);
            } catch (NoSuchFileException e) {
                if (!Files.exists(source)) {
                    return false; // the source went with retention: copy instead
                }
                Files.createDirectories(target.getParent());
                Files.createLink(target, source);
            }
            return true;
        } catch (NoSuchFileException | UnsupportedOperationException e) {
            return false; // the source went meanwhile, or links are not supported here: copy instead
        }
    }

    /**
     * Hard-links the file; false if the store's folder is on another file system (or does not support links), so
     * that the caller copies it instead.
     */
    @Override
    public boolean link(long snapshotId, String path, Path file) throws IOException {
        Path target = pathOf(snapshotId, path);
        Files.createDirectories(target.getParent());
        try {
            Files.deleteIfExists(target);
            Files.createLink(target, file);
            return true;
        } catch (NoSuchFileException e) {
            throw e; // a missing source is the caller's problem, not a reason to copy
        } catch (UnsupportedOperationException | FileSystemException e) {
            return false; // EXDEV (another file system), EPERM (no links here): copying will do
        }
    }

    @Override
    public InputStream open(long snapshotId, String path) throws IOException {
        return Files.newInputStream(pathOf(snapshotId, path));
    }

    @Override
    public List<Long> snapshotIds() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.length() <= 18 && name.chars().allMatch(Character::isDigit)) {
                    ids.add(Long.parseLong(name));
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public List<String> list(long snapshotId) throws IOException {
        Path dir = snapshotDir(snapshotId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        // Another thread may be writing this snapshot: its temporary files vanish (renamed) while we walk.
        List<String> names = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !f.getFileName().toString().endsWith(PART_SUFFIX)) {
                    names.add(dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        names.sort(null);
        return names;
    }

    @Override
    public void delete(long snapshotId) throws IOException {
        FileTrees.deleteRecursively(snapshotDir(snapshotId));
    }

    @Override
    public String describe() {
        return "local folder " + root;
    }

    @Override
    public String toString() {
        return describe();
    }

    private Path snapshotDir(long snapshotId) {
        return root.resolve(Long.toString(SnapshotStore.checkSnapshotId(snapshotId)));
    }
}
