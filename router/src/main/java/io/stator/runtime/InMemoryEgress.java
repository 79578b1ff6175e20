package io.stator.runtime;

import io.stator.sdk.EgressMessage;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An egress that keeps records in memory, for tests and embedded use: {@link #records} reads them and
 * {@link #await} waits for a number of them. Thread-safe.
 */
public final class InMemoryEgress implements EgressSink {
    /** A record and the epoch it was emitted in. */
    public record Record(long epoch, EgressMessage message) {
    }

    private final Map<TypeName, List<Record>> byEgress = new HashMap<>();

    @Override
    public synchronized void emit(long epoch, EgressMessage message) {
        byEgress.computeIfAbsent(message.egressId(), k -> new ArrayList<>()).add(new Record(epoch, message));
        notifyAll();
    }

    /** @return a copy of the records emitted to {@code egress} so far, in emission order per partition */
    public synchronized List<Record> records(TypeName egress) {
        return new ArrayList<>(byEgress.getOrDefault(egress, List.of()));
    }

    /** @return how many records {@code egress} has */
    public synchronized int count(TypeName egress) {
        return byEgress.getOrDefault(egress, List.of()).size();
    }

    /**
     * Waits until {@code egress} holds at least {@code count} records.
     *
     * @return the records
     * @throws AssertionError if the timeout passes first, saying how many arrived
     */
    public synchronized List<Record> await(TypeName egress, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(egress) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("egress " + egress + " has " + count(egress) + " records after " + timeout
                        + ", expected " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return records(egress);
    }
}
