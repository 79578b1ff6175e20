package io.stator.state;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SnapshotStore} decorator that behaves like a disk filling up: once {@code remaining} bytes have been
 * written through it, every further write fails with {@code IOException("No space left on device")}.
 */
final class FullDiskSnapshotStore extends ForwardingSnapshotStore {
    private final AtomicLong remaining;

    FullDiskSnapshotStore(SnapshotStore delegate, long capacityBytes) {
        super(delegate);
        this.remaining = new AtomicLong(capacityBytes);
    }

    /** Frees the disk: writes succeed again, up to {@code capacityBytes} more. */
    void free(long capacityBytes) {
        remaining.set(capacityBytes);
    }

    @Override
    public long write(long snapshotId, String path, InputStream content) throws IOException {
        return delegate.write(snapshotId, path, new FilterInputStream(content) {
            @Override
            public int read() throws IOException {
                consume(1);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    consume(n);
                }
                return n;
            }
        });
    }

    private void consume(int bytes) throws IOException {
        if (remaining.addAndGet(-bytes) < 0) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public String describe() {
        return "full-disk simulation over " + delegate.describe();
    }
}
