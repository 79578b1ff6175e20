package io.stator.benchmarks.snapshot;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import io.stator.runtime.JvmFlags;
import io.stator.runtime.snapshot.BacklogFiles;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one partition's whole remote backlog into a backlog file, as a snapshot does when it lists the backlog
 * in full (the first, one after a failure, and one every so often; the others write only what arrived since the
 * previous snapshot): the queued invocations of {@code addresses} counters, {@code perAddress} each (W2 peaks at
 * ~450k per partition over 5,000 addresses), encoded and written to nowhere. Invocations are made in arrival order
 * (round robin over the addresses) and read address by address, as the dispatcher's capture lists them, so the
 * walk strides over the heap as it does in the runtime. Until session 12 every snapshot did this, as part of the
 * partition's metadata.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class BacklogSnapshotBenchmark {
    @Param({"5000"})
    int addresses;

    @Param({"10", "90"})
    int perAddress;

    private List<PendingRemoteInvocation> backlog;

    @Setup
    public void setUp() {
        TypeName counter = TypeName.typeNameOf("bench", "remote-counter");
        TypeName argType = TypeName.typeNameOf("io.statefun.types", "long");
        Address[] targets = new Address[addresses];
        List<List<PendingRemoteInvocation>> byAddress = new ArrayList<>();
        for (int a = 0; a < addresses; a++) {
            targets[a] = new Address(counter, "k" + a);
            byAddress.add(new ArrayList<>(perAddress));
        }
        for (int i = 0; i < perAddress; i++) {
            for (int a = 0; a < addresses; a++) {
                byte[] value = ByteBuffer.allocate(8).putLong(i).array();
                byAddress.get(a).add(new PendingRemoteInvocation(KeyGroups.keyGroupFor(targets[a], 128),
                        new RemoteInvocation(targets[a], null, argType, value, (long) i * addresses + a)));
            }
        }
        backlog = new ArrayList<>(addresses * perAddress);
        for (List<PendingRemoteInvocation> invocations : byAddress) {
            backlog.addAll(invocations);
        }
    }

    /** @return the bytes written, so the encoding is not optimised away */
    @Benchmark
    public long encodeBacklog() throws IOException {
        return BacklogFiles.encoding(0, 7, backlog).transferTo(OutputStream.nullOutputStream());
    }
}
