package io.stator.state.internal;

import io.stator.state.SnapshotCorruptedException;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/** Copies one partition's snapshot files to a local folder, checking each file's size and CRC32C. */
final class SnapshotDownloader {
    private final SnapshotStore store;

    SnapshotDownloader(SnapshotStore store) {
        this.store = store;
    }

    /**
     * Downloads every file of {@code manifest} into {@code target} (created if missing).
     *
     * @return the bytes downloaded
     * @throws SnapshotCorruptedException naming the file if one is missing or differs from the manifest
     * @throws IOException                if the store or the local disk fails
     */
    long download(PartitionManifest manifest, Path target) throws IOException, SnapshotCorruptedException {
        Files.createDirectories(target);
        long total = 0;
        for (PartitionManifest.FileEntry file : manifest.files()) {
            total += downloadFile(manifest, file, target.resolve(file.name()));
        }
        return total;
    }

    private long downloadFile(PartitionManifest manifest, PartitionManifest.FileEntry file, Path local)
            throws IOException, SnapshotCorruptedException {
        String where = "snapshot " + manifest.snapshotId() + " file " + manifest.filePath(file);
        CRC32C crc = new CRC32C();
        long size;
        try (InputStream in = new CheckedInputStream(store.open(manifest.snapshotId(), manifest.filePath(file)), crc);
             OutputStream out = Files.newOutputStream(local)) {
            size = in.transferTo(out);
        } catch (NoSuchFileException e) {
            throw new SnapshotCorruptedException(where + " is missing from " + store.describe(), e);
        }
        if (size != file.size()) {
            throw new SnapshotCorruptedException(where + " is corrupt: it has " + size + " bytes but its manifest"
                    + " records " + file.size());
        }
        if ((int) crc.getValue() != file.crc32c()) {
            throw new SnapshotCorruptedException(where + " is corrupt: its CRC32C is "
                    + Long.toHexString(crc.getValue()) + " but its manifest records "
                    + Integer.toHexString(file.crc32c()));
        }
        return size;
    }
}
