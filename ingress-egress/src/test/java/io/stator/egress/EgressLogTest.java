package io.stator.egress;

import static io.stator.support.EgressRecords.drain;
import static io.stator.support.EgressRecords.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.internal.EgressRecordDescriptor;
import io.stator.logs.LogContext;
import io.stator.logs.RollPeriod;
import io.stator.sdk.TypeName;
import io.stator.support.EgressRecords.Record;
import io.stator.support.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EgressLogTest {
    private static final TypeName GREETS = TypeName.typeNameOf("example", "greets");
    private static final TypeName BLOB = TypeName.typeNameOf("example", "blob");

    @TempDir
    Path dir;

    private EgressLog open() {
        return EgressLog.open(GREETS, dir, new LogContext());
    }

    private static long append(EgressLog log, long epoch, int label) {
        return log.append(epoch, BLOB, new byte[] {(byte) label});
    }

    @Test
    void aReadCommittedReaderNeverSeesAnAbortedEpochAndAnUncommittedReaderDoes() {
        try (EgressLog log = open()) {
            append(log, 1, 10);
            append(log, 1, 11);
            log.commit(1);
            append(log, 2, 20);
            log.abort(2);
            append(log, 3, 30);
            log.commit(3);
            try (EgressReader committed = EgressReader.open(log, 0, true);
                 EgressReader uncommitted = EgressReader.open(log, 0, false)) {
                assertEquals(List.of(10, 11, 30), labels(drain(committed)));
                assertEquals(List.of(10, 11, 20, 30), labels(drain(uncommitted)));
            }
        }
    }

    /**
     * A document that fails half-written (a memory-mapped file faulting on a full disk delivers an
     * {@code InternalError} mid-write) leaves nothing: readers, the next append's offset and a reopened log all see
     * the records around it only.
     */
    @Test
    void aDocumentThatFailsHalfWrittenWithAJvmErrorLeavesNoRecordAndNoOffset() {
        InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        try (EgressLog log = open()) {
            assertEquals(0, append(log, 1, 1));
            InternalError thrown = assertThrows(InternalError.class, () -> log.appendDocument(1, 2, out -> {
                io.stator.egress.internal.EgressRecordCodec.writeRecord(out, BLOB, new byte[] {2});
                out.write(new byte[100]); // part of the second record
                throw fault;
            }));
            assertEquals(fault, thrown);
            assertEquals(1, append(log, 1, 3), "the failed document took no offsets");
            log.commit(1);
            try (EgressReader committed = EgressReader.open(log, 0, true)) {
                List<Record> read = drain(committed);
                assertEquals(List.of(1, 3), labels(read));
                assertEquals(List.of(0L, 1L), read.stream().map(Record::offset).toList());
            }
        }
        try (EgressLog reopened = open(); EgressReader again = EgressReader.open(reopened, 0, true)) {
            assertEquals(List.of(1, 3), labels(drain(again)), "after a restart too");
            assertEquals(2, append(reopened, 2, 4), "and offsets go on from there");
        }
    }

    @Test
    void aRecordIsDeliveredOnlyOnceItsEpochCommits() {
        try (EgressLog log = open();
             EgressReader committed = EgressReader.open(log, 0, true);
             EgressReader uncommitted = EgressReader.open(log, 0, false)) {
            long offset = append(log, 1, 7);
            assertEquals(List.of(), drain(committed));
            assertEquals(0, committed.nextOffset(), "nothing passed yet");
            List<Record> early = drain(uncommitted);
            assertEquals(List.of(7), labels(early));
            assertEquals(offset, early.get(0).offset());
            assertEquals(1, early.get(0).epoch());

            log.commit(1);
            List<Record> late = drain(committed);
            assertEquals(List.of(7), labels(late));
            assertEquals(offset, late.get(0).offset());
            assertEquals(BLOB, late.get(0).valueType());
        }
    }

    @Test
    void interleavedEpochsAreDeliveredInOffsetOrder() {
        try (EgressLog log = open();
             EgressReader committed = EgressReader.open(log, 0, true)) {
            append(log, 1, 1);
            append(log, 2, 2); // a faster partition already in epoch 2
            append(log, 1, 3);
            log.commit(1);
            assertEquals(List.of(1), labels(drain(committed)), "3 waits behind the open record 2");
            log.commit(2);
            assertEquals(List.of(2, 3), labels(drain(committed)));
        }
    }

    @Test
    void nextOffsetResumesWithoutGapOrRepeat() {
        try (EgressLog log = open()) {
            for (int i = 0; i < 10; i++) {
                append(log, 1, i);
            }
            log.commit(1);
            long next;
            List<Integer> seen = new ArrayList<>();
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                reader.poll((o, e, t, v) -> seen.add((int) v[0]), 4);
                next = reader.nextOffset();
            }
            try (EgressReader resumed = EgressReader.open(log, next, true)) {
                List<Record> rest = drain(resumed);
                assertEquals(next, rest.get(0).offset(), "--from N delivers the record at offset N");
                rest.forEach(r -> seen.add(r.label()));
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
            try (EgressReader atEnd = EgressReader.open(log, log.endOffset(), true)) {
                assertEquals(List.of(), drain(atEnd));
                assertEquals(log.endOffset(), atEnd.nextOffset());
            }
        }
    }

    @Test
    void lastCommittedEpochIsRecoveredOnReopenAndRecoveryAbortsTheRest() {
        try (EgressLog log = open()) {
            append(log, 1, 1);
            log.commit(1);
            append(log, 2, 2);
            append(log, 3, 3);
            assertArrayEquals(new long[] {2, 3}, log.openEpochs());
        } // a crash: epochs 2 and 3 are undecided
        try (EgressLog reopened = open()) {
            assertEquals(1, reopened.lastCommittedEpoch());
            assertEquals(3, reopened.highestEpoch());
            assertArrayEquals(new long[] {2, 3}, reopened.openEpochs());
            reopened.recover(1);
            assertArrayEquals(new long[0], reopened.openEpochs());
            assertThrows(IllegalStateException.class, () -> append(reopened, 2, 99));
            append(reopened, 4, 4);
            reopened.commit(4);
        }
        try (EgressLog again = open();
             EgressReader committed = EgressReader.open(again, 0, true)) {
            assertEquals(4, again.lastCommittedEpoch());
            assertEquals(List.of(1, 4), labels(drain(committed)));
        }
    }

    @Test
    void recoveryCommitsACompletedSnapshotWhoseMarkerWasLost() {
        try (EgressLog log = open()) {
            append(log, 5, 1);
            append(log, 6, 2);
        } // snapshot 5 completed, but the process died before commit(5) reached this log
        try (EgressLog reopened = open()) {
            assertEquals(EgressLog.NO_EPOCH, reopened.lastCommittedEpoch());
            reopened.recover(5);
            assertEquals(5, reopened.lastCommittedEpoch());
            try (EgressReader committed = EgressReader.open(reopened, 0, true)) {
                assertEquals(List.of(1), labels(drain(committed)));
            }
        }
    }

    @Test
    void decidedEpochsRefuseAppendsAndContradictions() {
        try (EgressLog log = open()) {
            append(log, 1, 1);
            log.commit(1);
            log.commit(1); // again: nothing happens
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> append(log, 1, 2));
            assertTrue(late.getMessage().contains("epoch 1"), late.getMessage());
            assertThrows(IllegalStateException.class, () -> log.abort(1));
            log.abort(2);
            log.abort(2);
            assertThrows(IllegalStateException.class, () -> log.commit(2));
            assertThrows(IllegalStateException.class, () -> append(log, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> append(log, -1, 3));
            log.commit(3); // commits 3 (and would commit anything below that was not aborted)
            assertEquals(3, log.lastCommittedEpoch());
        }
    }

    @Test
    void concurrentAppendersKeepTheirOrderAndAllCommitTogether() throws Exception {
        int producers = 4;
        int perProducer = 300;
        try (EgressLog log = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    tasks.add(() -> {
                        for (int seq = 0; seq < perProducer; seq++) {
                            log.append(1, BLOB, ByteBuffer.allocate(8).putInt(producer).putInt(seq).array());
                        }
                        return null;
                    });
                }
                for (Future<Void> done : pool.invokeAll(tasks)) {
                    done.get();
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            log.commit(1);
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                List<Record> records = drain(reader);
                assertEquals(producers * perProducer, records.size());
                int[] next = new int[producers];
                for (Record record : records) {
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    int producer = value.getInt();
                    assertEquals(next[producer]++, value.getInt());
                }
            }
        }
    }

    @Test
    void aReaderOnTheFolderSeesWhatAnotherQueueInstanceAppends() {
        try (EgressLog log = open()) {
            append(log, 1, 1);
            try (EgressReader committed = EgressReader.open(dir, 0, true);
                 EgressReader uncommitted = EgressReader.open(dir, 0, false)) {
                assertEquals(List.of(), drain(committed));
                assertEquals(List.of(1), labels(drain(uncommitted)));
                append(log, 1, 2);
                log.commit(1);
                assertEquals(List.of(1, 2), labels(drain(committed)));
                assertEquals(List.of(2), labels(drain(uncommitted)));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> EgressReader.open(dir.resolve("missing"), 0, true));
    }

    @Test
    void readersFollowTheLogAcrossFiles() {
        ManualClock clock = new ManualClock();
        LogContext secondly = new LogContext().rollPeriod(RollPeriod.SECONDLY).clock(clock);
        try (EgressLog log = EgressLog.open(GREETS, dir, secondly);
             EgressReader committed = EgressReader.open(log, 0, true)) {
            append(log, 1, 1);
            clock.advanceSeconds(1);
            append(log, 1, 2);
            clock.advanceSeconds(1);
            log.commit(1);
            assertEquals(List.of(1, 2), labels(drain(committed)));
            clock.advanceSeconds(1);
            append(log, 2, 3);
            log.commit(2);
            assertEquals(List.of(3), labels(drain(committed)));
        }
    }

    @Test
    void egressLogsOpenOneFolderPerEgressOnFirstUse() {
        Path root = dir.resolve("egress");
        TypeName nested = TypeName.parse("com/example/greets");
        try (EgressLogs logs = new EgressLogs(root, new LogContext())) {
            assertTrue(logs.find(GREETS).isEmpty());
            EgressLog log = logs.get(GREETS);
            assertEquals(root.resolve("example").resolve("greets"), log.folder());
            assertTrue(logs.get(GREETS) == log);
            logs.get(nested).append(1, BLOB, new byte[] {1});
            assertTrue(Files.isDirectory(root.resolve("com/example/greets")));
            assertThrows(IllegalArgumentException.class, () -> logs.get(TypeName.parse("../escape")));
            assertThrows(IllegalArgumentException.class, () -> logs.get(TypeName.parse("a//b")));
        }
        try (EgressLogs reopened = new EgressLogs(root, new LogContext())) {
            assertTrue(reopened.find(nested).isPresent());
            assertArrayEquals(new long[] {1}, reopened.find(nested).get().openEpochs());
            assertFalse(reopened.find(TypeName.parse("example/never")).isPresent());
        }
    }

    @Test
    void recoverAllReachesEveryLogOnDiskAndTellsTheHighestEpoch() {
        Path root = dir.resolve("egress");
        TypeName other = TypeName.parse("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/audit"); // a deep namespace too
        try (EgressLogs logs = new EgressLogs(root, new LogContext())) {
            logs.get(GREETS).append(3, BLOB, new byte[] {1});
            logs.commitAll(3);
            logs.get(GREETS).append(4, BLOB, new byte[] {2});
            logs.get(other).append(5, BLOB, new byte[] {3});
        } // a crash after snapshot 3
        try (EgressLogs restarted = new EgressLogs(root, new LogContext())) {
            assertEquals(5, restarted.recoverAll(3));
            assertEquals(2, restarted.openLogs().size());
            assertArrayEquals(new long[0], restarted.get(GREETS).openEpochs());
            assertArrayEquals(new long[0], restarted.get(other).openEpochs());
            assertEquals(3, restarted.get(other).lastCommittedEpoch(), "commit(3) reached it at recovery");
            try (EgressReader greets = EgressReader.open(restarted.get(GREETS), 0, true);
                 EgressReader audit = EgressReader.open(restarted.get(other), 0, true)) {
                assertEquals(List.of(1), labels(drain(greets)));
                assertEquals(List.of(), labels(drain(audit)));
            }
        }
    }

    @Test
    void recoveryFindsTheLogsOfAnEgressFolderThatIsALinkToAnotherFolder() throws Exception {
        Path elsewhere = java.nio.file.Files.createDirectories(dir.resolve("other-disk/egress"));
        Path root = java.nio.file.Files.createSymbolicLink(dir.resolve("egress"), elsewhere);
        try (EgressLogs logs = new EgressLogs(root, new LogContext())) {
            logs.get(GREETS).append(3, BLOB, new byte[] {1});
            logs.commitAll(3);
            logs.get(GREETS).append(4, BLOB, new byte[] {2});
        } // a crash after snapshot 3
        try (EgressLogs restarted = new EgressLogs(root, new LogContext())) {
            assertEquals(4, restarted.recoverAll(3), "the log behind the link was found");
            try (EgressReader greets = EgressReader.open(restarted.get(GREETS), 0, true)) {
                restarted.get(GREETS).append(5, BLOB, new byte[] {3}); // the re-run of what epoch 4 held
                restarted.commitAll(5);
                assertEquals(List.of(1, 3), labels(drain(greets)), "epoch 4 was aborted, not committed with 5");
            }
        }
    }

    /** Writes raw bytes as one document, as a write torn by a crash or a full disk leaves them. */
    private static void writeRaw(EgressLog log, byte[] bytes) {
        try (var appender = log.queue().createAppender(); var dc = appender.writingDocument()) {
            dc.wire().bytes().write(bytes);
        }
    }

    @Test
    void aDamagedDocumentIsSkippedByTheLogsOpenByReadersAndBySeeks() {
        long second;
        try (EgressLog log = open()) {
            append(log, 1, 10);
            log.commit(1);
            writeRaw(log, new byte[] {1, 2, 0, 0, 7}); // a data header cut short
        }
        try (EgressLog log = open()) { // before, the open failed on it
            assertEquals(1, log.lastCommittedEpoch());
            second = append(log, 2, 20);
            log.commit(2);
            try (EgressReader all = EgressReader.open(log, 0, true);
                 EgressReader fromSecond = EgressReader.open(log, second, true)) {
                assertEquals(List.of(10, 20), labels(drain(all)));
                assertEquals(List.of(20), labels(drain(fromSecond)));
            }
        }
    }

    @Test
    void aDocumentWhoseRecordsAreDamagedLosesOnlyItsOwnRecords() {
        try (EgressLog log = open()) {
            append(log, 1, 10);
            byte[] torn = new byte[EgressRecordDescriptor.HEADER_LENGTH + 3];
            torn[EgressRecordDescriptor.KIND_OFFSET] = (byte) EgressRecordDescriptor.KIND_DATA;
            torn[EgressRecordDescriptor.VERSION_OFFSET] = (byte) EgressRecordDescriptor.VERSION;
            torn[EgressRecordDescriptor.COUNT_OFFSET] = 2; // two records promised, three bytes of them written
            torn[EgressRecordDescriptor.EPOCH_OFFSET] = 1;
            torn[EgressRecordDescriptor.BASE_OFFSET_OFFSET] = 1;
            torn[EgressRecordDescriptor.HEADER_LENGTH] = 100; // a field length past the end
            writeRaw(log, torn);
        }
        try (EgressLog log = open()) {
            append(log, 1, 30);
            log.commit(1);
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                assertEquals(List.of(10, 30), labels(drain(reader)), "the reader reads past it");
            }
        }
    }

    @Test
    void aLogOfTheOlderLayoutIsStillRefusedOnOpen() {
        try (EgressLog log = open()) {
            writeRaw(log, new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        }
        assertEquals("layout version 1 is not 2", assertThrows(io.stator.logs.CorruptRecordException.class,
                this::open).getMessage().replaceAll(".*: ", ""));
    }

    @Test
    void retentionDeletesOnlyOldFilesWhoseEpochsAreDecided() {
        ManualClock clock = new ManualClock(); // on a whole second: each second is a file
        LogContext secondly = new LogContext().rollPeriod(RollPeriod.SECONDLY).clock(clock);
        long start = clock.getAsLong();
        try (EgressLog log = EgressLog.open(GREETS, dir, secondly)) {
            append(log, 1, 1);
            log.commit(1);
            clock.advanceSeconds(1);
            append(log, 2, 2); // epoch 2 is not decided yet
            clock.advanceSeconds(1);
            append(log, 2, 3);
            clock.advanceSeconds(2); // a second without a file before the newest
            append(log, 3, 4); // the newest file
            long now = clock.getAsLong();
            assertEquals(0, log.releaseOlderThan(start + 999), "the first file's second has not ended by then");
            assertEquals(1, log.releaseOlderThan(now), "only the first file: the second holds undecided epoch 2");
            log.commit(2);
            assertEquals(2, log.releaseOlderThan(now), "the second and third; never the newest");
            log.commit(3);
            try (EgressReader all = EgressReader.open(log, 0, true)) {
                assertEquals(List.of(4), labels(drain(all)), "a reader from 0 starts at the oldest record kept");
            }
        }
        try (EgressLog reopened = EgressLog.open(GREETS, dir, secondly)) {
            assertEquals(3, reopened.lastCommittedEpoch());
            assertEquals(4, reopened.endOffset(), "offsets go on where they were");
        }
    }

    @Test
    void aReaderInsideADeletedFileGoesOnAtTheOldestRecordKept() {
        ManualClock clock = new ManualClock();
        LogContext secondly = new LogContext().rollPeriod(RollPeriod.SECONDLY).clock(clock);
        try (EgressLog log = EgressLog.open(GREETS, dir, secondly);
             EgressReader slow = EgressReader.open(log, 0, false)) {
            append(log, 1, 1);
            append(log, 1, 2);
            clock.advanceSeconds(1);
            append(log, 1, 3);
            clock.advanceSeconds(1);
            append(log, 2, 4);
            log.commit(1);
            List<Integer> first = new ArrayList<>();
            slow.poll((offset, epoch, type, value) -> first.add((int) value[0]), 1);
            assertEquals(List.of(1), first, "a consumer one record in");
            assertEquals(2, log.releaseOlderThan(clock.getAsLong()));
            assertEquals(List.of(2, 4), labels(drain(slow)),
                    "the rest of the file it had open, then the oldest record kept");
        }
    }

    /** A record of the largest size a log takes is written and read back; one byte more is refused at once. */
    @Test
    void theLargestRecordIsWrittenAndALargerOneIsRefusedBeforeItIsBuffered() {
        int largest = EgressLog.MAX_RECORD_BYTES - 2 * Integer.BYTES - BLOB.asUtf8Bytes().length;
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            batch.add(1, BLOB, new byte[largest]); // over the batch's byte bound: written at once, alone
            assertEquals(0, batch.size());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> batch.add(1, BLOB, new byte[largest + 1]));
            assertTrue(e.getMessage().startsWith("a record of " + (largest + 1) + " bytes (type example/blob) is too"
                    + " large for egress example/greets"), e.getMessage());
            assertEquals(0, batch.size(), "nothing was buffered: later flushes are not blocked");
            batch.add(1, BLOB, new byte[] {7});
            assertEquals(1, batch.flush());
            log.commit(1);
            long[] lengths = new long[3];
            int[] n = {0};
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                reader.poll((offset, epoch, type, value) -> lengths[n[0]++] = value.length, 10);
            }
            assertEquals(2, n[0]);
            assertEquals(largest, lengths[0]);
            assertEquals(1, lengths[1]);
        }
    }
}
