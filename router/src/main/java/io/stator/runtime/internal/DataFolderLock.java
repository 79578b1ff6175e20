package io.stator.runtime.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim of one runtime on a data folder: an exclusive lock on {@code DATA/stator.lock}, which holds the
 * owner's process id. Two runtimes on one folder would restore into each other's state and append to the same
 * logs; the second one is refused instead. The operating system drops the lock when its process dies, so a
 * killed runtime leaves nothing to clean up.
 *
 * <p>Folders held in this JVM are also kept in a set, checked before the file is opened: on Linux, closing any
 * channel of a locked file drops the process's lock on it, so a refused second runtime in the same JVM must not
 * open the file at all.
 */
public final class DataFolderLock implements AutoCloseable {
    /** The lock file's name inside the data folder. */
    public static final String FILE_NAME = "stator.lock";

    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dataDir}, which must exist, and writes this process's id into the lock file.
     *
     * @throws IllegalStateException if another runtime (in this process or another) holds the folder
     * @throws UncheckedIOException  if the lock file cannot be opened or written
     */
    public static DataFolderLock acquire(Path dataDir) {
        Path folder;
        try {
            folder = dataDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the data folder " + dataDir, e);
        }
        if (!HELD_IN_THIS_JVM.add(folder)) {
            throw inUse(dataDir, "in this process");
        }
        Path file = folder.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // not expected past the set above, but a lock of this JVM all the same
            }
            if (lock == null) {
                throw inUse(dataDir, owner(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new DataFolderLock(folder, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(folder);
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(folder);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dataDir, String owner) {
        return new IllegalStateException("the data folder " + dataDir + " is in use by another Stator runtime ("
                + owner + "); stop it first, or give this one another data folder");
    }

    /** Releases the folder; the lock file stays, and says who held it last. Idempotent. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the data folder lock", e);
        } finally {
            HELD_IN_THIS_JVM.remove(folder);
        }
    }

    /** @return what the lock file says of its holder, e.g. "pid 4242" */
    private static String owner(FileChannel channel) {
        try {
            ByteBuffer content = ByteBuffer.allocate(64);
            channel.read(content, 0);
            String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "its process id is not known yet" : text;
        } catch (IOException e) {
            return "its lock file is unreadable: " + e.getMessage();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock was not taken: nothing to release
        }
    }
}
