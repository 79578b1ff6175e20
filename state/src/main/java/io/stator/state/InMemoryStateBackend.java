package io.stator.state;

import io.stator.sdk.Address;
import io.stator.sdk.Expiration;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps state in heap hash maps: fast, honours expiry, and lost when the process ends. For tests and for
 * workloads that need no durability.
 */
public final class InMemoryStateBackend implements StateBackend {
    @Override
    public KeyedStateStore openPartition(int partition, KeyGroupRange keyGroups) {
        return new Store();
    }

    @Override
    public void close() {
    }

    private record Key(Address address, String state) {
    }

    private static final class Entry {
        final TypeName type;
        final byte[] value;
        long touchedAt;

        Entry(TypeName type, byte[] value, long touchedAt) {
            this.type = type;
            this.value = value;
            this.touchedAt = touchedAt;
        }
    }

    private static final class Store implements KeyedStateStore {
        private final Map<Key, Entry> entries = new HashMap<>();

        @Override
        public byte[] get(int keyGroup, Address address, ValueSpec<?> spec, long nowMillis) {
            Key key = new Key(address, spec.name());
            Entry e = entries.get(key);
            if (e == null) {
                return null;
            }
            Expiration exp = spec.expiration();
            if (exp.mode() != Expiration.Mode.NONE && nowMillis - e.touchedAt >= exp.durationMillis()) {
                entries.remove(key);
                return null;
            }
            if (!e.type.equals(spec.typeName())) {
                throw new StateTypeMismatchException("holds a value of type " + e.type + ", but its ValueSpec declares "
                        + spec.typeName());
            }
            if (exp.mode() == Expiration.Mode.AFTER_CALL) {
                e.touchedAt = nowMillis;
            }
            return e.value;
        }

        @Override
        public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value, long nowMillis) {
            entries.put(new Key(address, spec.name()), new Entry(spec.typeName(), value, nowMillis));
        }

        @Override
        public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
            entries.remove(new Key(address, spec.name()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            entries.clear();
        }
    }
}
