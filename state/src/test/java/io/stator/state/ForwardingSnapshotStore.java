package io.stator.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A test decorator of a {@link SnapshotStore}: forwards reads, writes, listing and deletes, and shares no files
 * ({@link #copyWithin} and {@link #link} keep their "cannot" defaults) unless a subclass says otherwise.
 */
abstract class ForwardingSnapshotStore implements SnapshotStore {
    protected final SnapshotStore delegate;

    ForwardingSnapshotStore(SnapshotStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long write(long snapshotId, String path, InputStream content) throws IOException {
        return delegate.write(snapshotId, path, content);
    }

    @Override
    public InputStream open(long snapshotId, String path) throws IOException {
        return delegate.open(snapshotId, path);
    }

    @Override
    public List<Long> snapshotIds() throws IOException {
        return delegate.snapshotIds();
    }

    @Override
    public List<String> list(long snapshotId) throws IOException {
        return delegate.list(snapshotId);
    }

    @Override
    public void delete(long snapshotId) throws IOException {
        delegate.delete(snapshotId);
    }
}
