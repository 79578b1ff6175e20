package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.logs.LogContext;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition's input from the ingress log when dispatching a record of a batch fails: the batch's document is
 * taken (the position is past it), so what was not dispatched must come back from {@code undelivered()}, which a
 * snapshot records with the position; nothing may come twice.
 */
class IngressLogSourceTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");
    private static final TypeName BYTES = TypeName.typeNameOf("test", "bytes");

    @TempDir
    Path dir;

    @Test
    void aFailedDispatchInsideABatchLeavesTheRestUndeliveredForTheSnapshotAndTheNextPoll() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressBatch batch = new IngressBatch();
            for (int i = 0; i < 5; i++) {
                batch.add(i, new Address(FN, "id" + i), BYTES, new byte[] {(byte) i});
            }
            long position = log.append(batch);
            try (IngressLogSource source = new IngressLogSource(log.newReader(kg -> true, IngressLog.START), null, true)) {
                List<Integer> dispatched = new ArrayList<>();
                assertThrows(IllegalStateException.class, () -> source.poll(e -> {
                    if (e.rawValue()[0] == 2) {
                        throw new IllegalStateException("the state store failed");
                    }
                    dispatched.add((int) e.rawValue()[0]);
                }, 1));
                assertEquals(List.of(0, 1), dispatched);
                assertEquals(position + 1, source.position());
                assertEquals(List.of(2, 3, 4), values(source.undelivered()), "what a snapshot now records");

                source.poll(e -> dispatched.add((int) e.rawValue()[0]), 1);
                assertEquals(List.of(0, 1, 2, 3, 4), dispatched, "each record once, in order");
                assertTrue(source.undelivered().isEmpty());
            }
        }
    }

    @Test
    void undeliveredRecordsThatAnEarlierOwnerHadProcessedAreLeftOut() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressBatch batch = new IngressBatch();
            batch.add(0, new Address(FN, "a"), BYTES, new byte[] {0});
            batch.add(1, new Address(FN, "b"), BYTES, new byte[] {1});
            batch.add(0, new Address(FN, "c"), BYTES, new byte[] {2});
            long position = log.append(batch);
            // Restored from a snapshot taken with another partition count: key group 1's owner then had
            // processed this document already, key group 0's had not.
            long[] startByKeyGroup = {position, position + 1};
            try (IngressLogSource source = new IngressLogSource(log.newReader(kg -> kg <= 1, IngressLog.START),
                    startByKeyGroup, true)) {
                assertThrows(IllegalStateException.class, () -> source.poll(e -> {
                    throw new IllegalStateException("refused");
                }, 1));
                assertEquals(List.of(0, 2), values(source.undelivered()));
            }
        }
    }

    private static List<Integer> values(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> (int) e.rawValue()[0]).toList();
    }
}
