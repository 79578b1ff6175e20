package io.stator.egress;

import static io.stator.support.EgressRecords.drain;
import static io.stator.support.EgressRecords.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.logs.LogContext;
import io.stator.logs.RollPeriod;
import io.stator.sdk.TypeName;
import io.stator.support.EgressRecords.Record;
import io.stator.support.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records written in batches (several per Chronicle document) keep their own offsets and epochs for readers. */
@Timeout(60)
class EgressBatchTest {
    private static final TypeName GREETS = TypeName.typeNameOf("example", "greets");
    private static final TypeName BLOB = TypeName.typeNameOf("example", "blob");

    @TempDir
    Path dir;

    private EgressLog open() {
        return EgressLog.open(GREETS, dir, new LogContext());
    }

    private static void add(EgressBatch batch, long epoch, int... labels) {
        for (int label : labels) {
            batch.add(epoch, BLOB, new byte[] {(byte) label});
        }
    }

    private static List<Long> offsets(List<Record> records) {
        return records.stream().map(Record::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        return IntStream.range((int) from, (int) to).mapToObj(i -> (long) i).toList();
    }

    @Test
    void batchedRecordsReadBackInOrderWithOneOffsetEach() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            add(batch, 1, 10, 11, 12);
            assertEquals(0, log.endOffset(), "nothing is in the log before the flush");
            assertEquals(3, batch.flush());
            assertEquals(0, batch.flush(), "an empty batch writes nothing");
            long single = log.append(1, BLOB, new byte[] {13});
            add(batch, 1, 14, 15);
            batch.flush();
            log.commit(1);
            assertEquals(3, single, "a single append takes the next offset after the batch");
            assertEquals(6, log.endOffset());
            try (EgressReader committed = EgressReader.open(log, 0, true)) {
                List<Record> records = drain(committed);
                assertEquals(List.of(10, 11, 12, 13, 14, 15), labels(records));
                assertEquals(range(0, 6), offsets(records));
                assertEquals(6, committed.nextOffset());
            }
        }
    }

    @Test
    void aReaderStartsAndResumesInTheMiddleOfABatch() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            add(batch, 1, 0, 1, 2, 3, 4, 5, 6, 7);
            batch.flush();
            log.commit(1);
            List<Integer> seen = new ArrayList<>();
            long next;
            try (EgressReader reader = EgressReader.open(log, 2, true)) {
                assertEquals(3, reader.poll((o, e, t, v) -> seen.add((int) v[0]), 3), "stops inside the batch");
                assertEquals(5, reader.nextOffset());
                assertEquals(1, reader.poll((o, e, t, v) -> seen.add((int) v[0]), 1), "goes on inside the batch");
                next = reader.nextOffset();
            }
            assertEquals(6, next);
            try (EgressReader resumed = EgressReader.open(log, next, true)) {
                List<Record> rest = drain(resumed);
                assertEquals(List.of(6L, 7L), offsets(rest));
                rest.forEach(r -> seen.add(r.label()));
            }
            assertEquals(List.of(2, 3, 4, 5, 6, 7), seen);
        }
    }

    @Test
    void pollingOneRecordAtATimeWalksABatchInOrder() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            for (int i = 0; i < 500; i++) {
                batch.add(1, BLOB, ByteBuffer.allocate(4).putInt(i).array());
            }
            batch.flush();
            log.commit(1);
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                List<Long> offsets = new ArrayList<>();
                List<Integer> values = new ArrayList<>();
                for (int polls = 0; polls < 1000 && reader.poll((o, e, t, v) -> {
                    offsets.add(o);
                    values.add(ByteBuffer.wrap(v).getInt());
                }, 1) == 1; polls++) {
                    assertEquals(offsets.size(), reader.nextOffset());
                }
                assertEquals(range(0, 500), offsets);
                assertEquals(IntStream.range(0, 500).boxed().toList(), values);
            }
        }
    }

    @Test
    void aRefusedRecordInsideABatchIsDeliveredAgainByTheNextPoll() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            add(batch, 1, 0, 1, 2);
            batch.flush();
            log.commit(1);
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                List<Integer> seen = new ArrayList<>();
                assertThrows(IllegalStateException.class, () -> reader.poll((o, e, t, v) -> {
                    if (o == 1) {
                        throw new IllegalStateException("refused");
                    }
                    seen.add((int) v[0]);
                }, 10));
                assertEquals(1, reader.nextOffset(), "stays before the refused record");
                reader.poll((o, e, t, v) -> seen.add((int) v[0]), 10);
                assertEquals(List.of(0, 1, 2), seen);
            }
        }
    }

    @Test
    void readCommittedHidesTheBatchesOfAnAbortedEpochAndWaitsForOpenOnes() {
        try (EgressLog log = open();
             EgressReader committed = EgressReader.open(log, 0, true);
             EgressReader uncommitted = EgressReader.open(log, 0, false)) {
            EgressBatch batch = log.newBatch();
            add(batch, 1, 10, 11);
            add(batch, 2, 20, 21, 22); // another epoch: the epoch-1 records go first, as their own document
            batch.flush();
            log.abort(2);
            add(batch, 3, 30, 31);
            batch.flush();
            assertEquals(List.of(), drain(committed), "epoch 1 is still open");
            log.commit(1);
            List<Record> firstEpoch = drain(committed);
            assertEquals(List.of(10, 11), labels(firstEpoch));
            assertEquals(5, committed.nextOffset(), "past the aborted batch, waiting before epoch 3's");
            log.commit(3);
            List<Record> rest = drain(committed);
            assertEquals(List.of(30, 31), labels(rest));
            assertEquals(List.of(5L, 6L), offsets(rest), "the aborted records keep their offsets");
            assertEquals(List.of(3L, 3L), rest.stream().map(Record::epoch).toList());
            assertEquals(List.of(10, 11, 20, 21, 22, 30, 31), labels(drain(uncommitted)));
        }
    }

    @Test
    void aBatchFlushesItselfWhenFullAndRefusesADecidedEpoch() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            for (int i = 0; i < EgressBatch.MAX_RECORDS + 5; i++) {
                batch.add(1, BLOB, ByteBuffer.allocate(4).putInt(i).array());
            }
            assertEquals(5, batch.size(), "the first MAX_RECORDS went to the log on their own");
            assertEquals(EgressBatch.MAX_RECORDS, log.endOffset());
            byte[] big = ByteBuffer.allocate(EgressBatch.MAX_BYTES).putInt(EgressBatch.MAX_RECORDS + 5).array();
            batch.add(1, BLOB, big); // too big to share a document: the 5 go first, then it alone
            assertEquals(0, batch.size());
            assertEquals(EgressBatch.MAX_RECORDS + 6L, log.endOffset());
            log.commit(1);
            batch.add(1, BLOB, new byte[] {1});
            IllegalStateException late = assertThrows(IllegalStateException.class, batch::flush);
            assertTrue(late.getMessage().contains("epoch 1"), late.getMessage());
            assertEquals(1, batch.size(), "a refused record stays buffered: output is never dropped");
            assertThrows(IllegalStateException.class, batch::flush, "and is refused again");
            assertEquals(EgressBatch.MAX_RECORDS + 6L, log.endOffset(), "and took no offsets");
            try (EgressReader reader = EgressReader.open(log, 0, true)) {
                List<Record> records = drain(reader);
                assertEquals(EgressBatch.MAX_RECORDS + 6, records.size());
                for (int i = 0; i < records.size(); i++) {
                    assertEquals(i, records.get(i).offset());
                    assertEquals(i, ByteBuffer.wrap(records.get(i).value()).getInt());
                }
            }
        }
    }

    @Test
    void theNextOffsetIsRecoveredOnReopen() {
        try (EgressLog log = open()) {
            EgressBatch batch = log.newBatch();
            add(batch, 1, 0, 1, 2);
            batch.flush();
            log.commit(1);
        }
        try (EgressLog reopened = open()) {
            assertEquals(3, reopened.endOffset());
            assertEquals(3, reopened.append(2, BLOB, new byte[] {3}));
            reopened.commit(2);
            try (EgressReader reader = EgressReader.open(reopened, 3, true)) {
                assertEquals(List.of(3), labels(drain(reader)));
            }
        }
    }

    /** Every start offset finds its record, whichever file and document it is in, also from another process. */
    @Test
    void everyStartOffsetFindsItsRecordAcrossFilesAndBatches() {
        ManualClock clock = new ManualClock();
        LogContext secondly = new LogContext().rollPeriod(RollPeriod.SECONDLY).clock(clock);
        int records = 0;
        long aborted = -1;
        try (EgressLog log = EgressLog.open(GREETS, dir, secondly)) {
            EgressBatch batch = log.newBatch();
            long epoch = 1;
            for (int file = 0; file < 5; file++) {
                for (int document = 0; document < 1 + file; document++) { // batches of 1, 2, 3 ... records
                    for (int i = 0; i <= document; i++) {
                        batch.add(epoch, BLOB, ByteBuffer.allocate(4).putInt(records++).array());
                    }
                    batch.flush();
                }
                if (file == 2) { // markers between batches, and a single append
                    log.commit(epoch);
                    epoch++;
                    aborted = log.append(epoch, BLOB, ByteBuffer.allocate(4).putInt(records++).array());
                    log.abort(epoch);
                    epoch++;
                    clock.advanceSeconds(2); // a second without a file
                } else {
                    clock.advanceSeconds(1);
                }
            }
            log.commit(epoch);
        }
        for (int start = 0; start <= records; start++) {
            try (EgressReader reader = EgressReader.open(dir, start, false)) {
                List<Record> read = new ArrayList<>();
                reader.poll((o, e, t, v) -> read.add(new Record(o, e, t, v)), 1);
                if (start == records) {
                    assertEquals(List.of(), read, "nothing at the end");
                    assertEquals(records, reader.nextOffset());
                } else {
                    assertEquals(start, read.get(0).offset(), "start " + start);
                    assertEquals(start, ByteBuffer.wrap(read.get(0).value()).getInt(), "start " + start);
                }
            }
        }
        try (EgressReader committed = EgressReader.open(dir, 0, true)) {
            List<Record> all = drain(committed);
            assertEquals(records - 1, all.size(), "all but the aborted single append");
            long abortedOffset = aborted;
            assertEquals(range(0, records).stream().filter(o -> o != abortedOffset).toList(), offsets(all));
        }
    }
}
