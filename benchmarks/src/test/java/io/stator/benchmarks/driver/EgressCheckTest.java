package io.stator.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check behind {@code ok=}: it must pass exactly-once output and catch every kind of wrong output. */
class EgressCheckTest {
    private static final long MSGS = 6;
    private final KeySpace keys = new KeySpace(2);
    private final EgressCheck check = new EgressCheck(MSGS, keys, keys::keyOf);

    @Test
    void exactlyOneRecordPerMessageWithCountsInSequencePasses() {
        for (long i = 0; i < MSGS; i++) {
            check.onRecord(ProbeDescriptor.TYPE, counted(i, i / 2 + 1));
        }

        assertEquals(List.of(), check.problems(true));
        assertEquals(MSGS, check.distinct());
    }

    @Test
    void uncountedRecordsAreCountedPerKey() {
        for (long i = 0; i < MSGS; i++) {
            check.onRecord(ProbeDescriptor.TYPE, ingress(i));
        }

        assertEquals(List.of(), check.problems(true));
    }

    @Test
    void aMissingMessageFailsTheCheck() {
        for (long i = 0; i < MSGS - 1; i++) {
            check.onRecord(ProbeDescriptor.TYPE, counted(i, i / 2 + 1));
        }

        List<String> problems = check.problems(true);
        assertTrue(problems.contains("1 of 6 messages produced no egress record"), problems::toString);
        assertTrue(problems.contains("final per-key counts sum to 5, expected 6"), problems::toString);
    }

    @Test
    void aRunCutShortReportsOnlyWhatIsWrongBesidesTheMissingRecords() {
        check.onRecord(ProbeDescriptor.TYPE, counted(0, 1));
        check.onRecord(ProbeDescriptor.TYPE, counted(0, 1));

        assertEquals(List.of("1 duplicate egress records", "1 counts out of sequence (each must be its key's previous"
                + " count + 1)"), check.problems(false));
    }

    @Test
    void aDuplicateRecordFailsTheCheck() {
        for (long i = 0; i < MSGS; i++) {
            check.onRecord(ProbeDescriptor.TYPE, counted(i, i / 2 + 1));
        }
        check.onRecord(ProbeDescriptor.TYPE, counted(5, 4));

        assertTrue(check.problems(true).contains("1 duplicate egress records"), check.problems(true)::toString);
    }

    @Test
    void aCountOutOfSequenceFailsTheCheck() {
        check.onRecord(ProbeDescriptor.TYPE, counted(0, 1));
        check.onRecord(ProbeDescriptor.TYPE, counted(2, 3)); // key 0 skipped count 2

        assertTrue(check.problems(true).stream().anyMatch(p -> p.startsWith("1 counts out of sequence")),
                check.problems(true)::toString);
    }

    @Test
    void aRecordThatIsNoProbeOfThisRunFailsTheCheck() {
        assertNull(check.onRecord(Types.STRING_TYPENAME, new byte[16]));
        assertNull(check.onRecord(ProbeDescriptor.TYPE, counted(MSGS, 1)));

        assertTrue(check.problems(true).contains("2 egress records that are not probes of this run"),
                check.problems(true)::toString);
    }

    @Test
    void aProbeKeepsItsFieldsThroughBothLayouts() {
        byte[] in = ingress(-7);
        byte[] out = ProbeDescriptor.egressWithCount(in, Long.MAX_VALUE);

        assertEquals(-7, ProbeDescriptor.index(out));
        assertEquals(1234567890123L, ProbeDescriptor.appendNanos(out));
        assertEquals(Long.MAX_VALUE, ProbeDescriptor.count(out));
        assertEquals(ProbeDescriptor.NO_COUNT, ProbeDescriptor.count(in));
    }

    private static byte[] ingress(long index) {
        byte[] probe = new byte[ProbeDescriptor.INGRESS_LENGTH];
        ProbeDescriptor.writeIngress(probe, index, 1234567890123L);
        return probe;
    }

    private static byte[] counted(long index, long count) {
        return ProbeDescriptor.egressWithCount(ingress(index), count);
    }
}
