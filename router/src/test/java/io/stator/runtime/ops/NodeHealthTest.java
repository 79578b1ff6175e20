package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteCounter;
import io.stator.runtime.ops.RuntimeSample.PartitionSample;
import io.stator.runtime.snapshot.SnapshotStatus;
import io.stator.state.KeyGroupRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@code GET /v1/health}, on made-up samples: when a node is failing, degraded or ok, and why. */
class NodeHealthTest {
    private static final long START = 1_000_000;
    private static final SnapshotStatus RECENT = SnapshotStatus.NONE.withCompleted(5, 4, 20_000_000, 0, 0,
            START + 5_000, 0);

    @Test
    void aNodeWhoseSnapshotsCompleteIsOk() {
        NodeHealth h = NodeHealth.assess(RECENT, 1_000, -1, START, START + 6_000, List.of(partition(0, false, 0)), 0);
        assertEquals("ok", h.status());
        assertEquals(List.of(), h.problems());
        assertEquals("{\"status\":\"ok\",\"problems\":[]}", h.json());
    }

    @Test
    void noSnapshotForTenIntervalsIsFailingButNotBeforeTenSeconds() {
        List<PartitionSample> one = List.of(partition(0, false, 0));
        long last = START + 5_000;
        assertEquals("ok", NodeHealth.assess(RECENT, 1_000, -1, START, last + 10_000, one, 0).status());
        NodeHealth stale = NodeHealth.assess(RECENT, 1_000, -1, START, last + 10_001, one, 0);
        assertTrue(stale.failing());
        assertTrue(stale.problems().get(0).startsWith("no snapshot has completed for 10.0 s (interval 1000 ms)"),
                stale.problems().toString());
        assertEquals("ok", NodeHealth.assess(RECENT, 100, -1, START, last + 9_999, one, 0).status(),
                "at least 10 s, whatever the interval");
        assertTrue(NodeHealth.assess(RECENT, 5_000, -1, START, last + 50_001, one, 0).failing(), "ten intervals");
        assertEquals("ok", NodeHealth.assess(RECENT, 5_000, -1, START, last + 49_000, one, 0).status());
        assertTrue(NodeHealth.assess(RECENT, 1_000, 2_000, START, last + 2_001, one, 0).failing(), "a set age");
        assertEquals("ok", NodeHealth.assess(RECENT, 0, -1, START, last + 3_600_000, one, 0).status(),
                "snapshots only on request: their age says nothing");
        assertEquals("ok", NodeHealth.assess(SnapshotStatus.NONE, 1_000, -1, START, START + 9_000, one, 0).status(),
                "before the first snapshot the node's age counts");
        assertTrue(NodeHealth.assess(SnapshotStatus.NONE, 1_000, -1, START, START + 10_001, one, 0).failing());
    }

    @Test
    void failedSnapshotsAreDegradedAndNamedAndCountAgainstTheAge() {
        SnapshotStatus failed = RECENT.withFailure(6, "cannot write the manifest: No space left on device")
                .withFailure(7, "cannot write the manifest: No space left on device");
        List<PartitionSample> one = List.of(partition(0, false, 0));
        NodeHealth h = NodeHealth.assess(failed, 1_000, -1, START, START + 7_500, one, 0);
        assertEquals("degraded", h.status());
        assertEquals(List.of("the last 2 snapshots failed; the last one: snapshot 7: cannot write the manifest: No"
                + " space left on device"), h.problems());
        NodeHealth later = NodeHealth.assess(failed, 1_000, -1, START, START + 16_000, one, 0);
        assertTrue(later.failing());
        assertEquals(1, later.problems().size(), "one problem, naming the failure: " + later.problems());
        assertTrue(later.problems().get(0).endsWith("; the last 2 snapshots failed; the last one: snapshot 7: cannot"
                + " write the manifest: No space left on device"), later.problems().toString());
        assertEquals("ok", NodeHealth.assess(failed.withCompleted(8, 7, 1, 0, 0, START + 8_000, 0), 1_000, -1, START,
                START + 8_500, one, 0).status(), "a completed snapshot ends the run of failures");
    }

    @Test
    void aPartitionWaitingForRocksDbIsFailingAndAnIngressRefusingIsDegraded() {
        NodeHealth stopped = NodeHealth.assess(RECENT, 1_000, -1, START, START + 6_000,
                List.of(partition(0, false, 0), partition(1, true, 0)), 0);
        assertTrue(stopped.failing());
        assertEquals(List.of("partition 1 has stopped until RocksDB takes its writes again (a full disk?); it goes on"
                + " by itself once they are taken"), stopped.problems());

        List<PartitionSample> behind = List.of(partition(0, false, 10), partition(1, false, 1_000_001));
        NodeHealth refusing = NodeHealth.assess(RECENT, 1_000, -1, START, START + 6_000, behind, 1_000_000);
        assertEquals("degraded", refusing.status());
        assertEquals(List.of("the HTTP ingress refuses records (503) until partition 1 catches up: it is 1000001 log"
                + " documents behind, more than 1000000"), refusing.problems());
        assertEquals("ok", NodeHealth.assess(RECENT, 1_000, -1, START, START + 6_000, behind, 0).status(),
                "no bound, no refusal");
    }

    private static PartitionSample partition(int id, boolean waitingForWrites, long ingressLag) {
        return new PartitionSample(id, new KeyGroupRange(0, 127), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 5, 0, 0,
                new long[RemoteCounter.values().length], null, 0, ingressLag, waitingForWrites);
    }
}
