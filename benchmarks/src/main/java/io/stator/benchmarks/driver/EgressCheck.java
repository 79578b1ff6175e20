package io.stator.benchmarks.driver;

import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongToIntFunction;

/**
 * Checks a run's egress records against what exactly-once processing must produce: every message index exactly
 * once, each key's counts in sequence ({@code 1, 2, 3, ...}: a key's records come from one address, whose calls run
 * in order), and final per-key counts that add up to the number of messages. Single-threaded: one reader feeds it.
 */
final class EgressCheck {
    private final long msgs;
    private final KeySpace keys;
    private final LongToIntFunction egressKeyOf;
    private final BitSet seen;
    /** Per key: the last count seen, or for records without a count the records seen. */
    private final long[] counts;
    private long records;
    private long duplicates;
    private long foreign;
    private long outOfSequence;

    /**
     * @param msgs        the messages the producer was asked to append
     * @param keys        the run's keys
     * @param egressKeyOf the key whose function emits message {@code index}'s record
     */
    EgressCheck(long msgs, KeySpace keys, LongToIntFunction egressKeyOf) {
        this.msgs = msgs;
        this.keys = keys;
        this.egressKeyOf = egressKeyOf;
        this.seen = new BitSet((int) msgs);
        this.counts = new long[keys.size()];
    }

    /**
     * Takes one egress record.
     *
     * @return the record's probe if it is one of this run's, else null
     */
    byte[] onRecord(TypeName valueType, byte[] value) {
        records++;
        if (!ProbeDescriptor.TYPE.equals(valueType) || !ProbeDescriptor.isProbe(value)) {
            foreign++;
            return null;
        }
        long index = ProbeDescriptor.index(value);
        if (index < 0 || index >= msgs) {
            foreign++;
            return null;
        }
        if (seen.get((int) index)) {
            duplicates++;
        }
        seen.set((int) index);
        int key = egressKeyOf.applyAsInt(index);
        long count = ProbeDescriptor.count(value);
        if (count == ProbeDescriptor.NO_COUNT) {
            counts[key]++;
        } else {
            if (count != counts[key] + 1) {
                outOfSequence++;
            }
            counts[key] = count;
        }
        return value;
    }

    /** @return egress records taken so far, including duplicates and foreign ones */
    long records() {
        return records;
    }

    /** @return distinct messages that produced a record so far */
    long distinct() {
        return seen.cardinality();
    }

    /**
     * @param complete false when the run was cut short: records that are missing then need no clauses of their own
     * @return what is wrong, one clause per problem; empty when the output is exactly right
     */
    List<String> problems(boolean complete) {
        List<String> problems = new ArrayList<>();
        long missing = msgs - seen.cardinality();
        if (missing > 0 && complete) {
            problems.add(missing + " of " + msgs + " messages produced no egress record");
        }
        if (duplicates > 0) {
            problems.add(duplicates + " duplicate egress records");
        }
        if (foreign > 0) {
            problems.add(foreign + " egress records that are not probes of this run");
        }
        if (outOfSequence > 0) {
            problems.add(outOfSequence + " counts out of sequence (each must be its key's previous count + 1)");
        }
        if (complete) {
            problems.addAll(countProblems());
        }
        return problems;
    }

    private List<String> countProblems() {
        List<String> problems = new ArrayList<>();
        long sum = 0;
        int wrongKeys = 0;
        for (int k = 0; k < counts.length; k++) {
            sum += counts[k];
            if (counts[k] != keys.messagesFor(k, msgs)) {
                wrongKeys++;
            }
        }
        if (sum != msgs) {
            problems.add("final per-key counts sum to " + sum + ", expected " + msgs);
        }
        if (wrongKeys > 0) {
            problems.add(wrongKeys + " keys end with a wrong count");
        }
        return problems;
    }
}
