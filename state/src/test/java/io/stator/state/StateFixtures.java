package io.stator.state;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.nio.file.Path;
import java.time.Duration;

/** Specs, addresses and backends shared by the state tests. */
final class StateFixtures {
    static final int MAX_PARALLELISM = 128;
    static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    static final ValueSpec<Integer> COUNT_AS_INT = ValueSpec.named("count").withIntType();
    static final ValueSpec<Long> SEEN_AFTER_WRITE =
            ValueSpec.named("seen").thatExpireAfterWrite(Duration.ofMillis(100)).withLongType();
    static final ValueSpec<Long> SEEN_AFTER_CALL =
            ValueSpec.named("seen").thatExpireAfterCall(Duration.ofMillis(100)).withLongType();

    private StateFixtures() {
    }

    static Address counter(long i) {
        return new Address(COUNTER, "user-" + i);
    }

    static int keyGroup(Address address) {
        return KeyGroups.keyGroupFor(address, MAX_PARALLELISM);
    }

    static byte[] longValue(long v) {
        return Types.longType().serialize(v);
    }

    static long decodeLong(byte[] bytes) {
        return Types.longType().deserialize(bytes);
    }

    static RocksDbStateBackend.Builder backend(Path dataDir) {
        return RocksDbStateBackend.builder().dataDir(dataDir).maxParallelism(MAX_PARALLELISM)
                .blockCacheBytes(8L << 20).writeBufferBytes(8L << 20);
    }

    /** Opens a single store owning every key group. */
    static SnapshottableStateStore openWhole(RocksDbStateBackend backend) {
        return backend.openPartition(0, new KeyGroupRange(0, MAX_PARALLELISM - 1));
    }
}
