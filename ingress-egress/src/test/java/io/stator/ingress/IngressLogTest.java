package io.stator.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.logs.CorruptRecordException;
import io.stator.logs.LogContext;
import io.stator.logs.RollPeriod;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.support.IngressRecords;
import io.stator.support.IngressRecords.Record;
import io.stator.support.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class IngressLogTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final TypeName BLOB = TypeName.typeNameOf("example", "blob");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    private LogContext secondly() {
        return new LogContext().rollPeriod(RollPeriod.SECONDLY).clock(clock);
    }

    @Test
    void appendsSurviveClosingAndReopeningTheLog() {
        List<Long> positions = new ArrayList<>();
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            positions.add(log.append(3, new Address(GREETER, "alice"), Types.STRING_TYPENAME,
                    Types.stringType().serialize("hello"), null));
            positions.add(log.append(7, new Address(GREETER, "bob/ü"), BLOB, new byte[] {1, 2, 3}, null));
            positions.add(log.append(0, new Address(GREETER, "carol"), BLOB, new byte[0], "key-1"));
        }
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            List<Record> records = IngressRecords.readAll(reopened);
            assertEquals(3, records.size());
            assertEquals(positions, records.stream().map(Record::position).toList());
            assertEquals(new Address(GREETER, "alice"), records.get(0).target());
            assertEquals(3, records.get(0).keyGroup());
            assertEquals("hello", Types.stringType().deserialize(records.get(0).value()));
            assertEquals(new Address(GREETER, "bob/ü"), records.get(1).target());
            assertEquals(BLOB, records.get(1).valueType());
            assertArrayEquals(new byte[] {1, 2, 3}, records.get(1).value());
            assertEquals(0, records.get(2).value().length);
            assertEquals(positions.get(2) + 1, reopened.endPosition());
        }
    }

    @Test
    void concurrentProducersKeepTheirOwnOrder() throws Exception {
        int producers = 4;
        int perProducer = 500;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    tasks.add(() -> {
                        for (int seq = 0; seq < perProducer; seq++) {
                            log.append(producer, new Address(GREETER, "p" + producer), BLOB,
                                    ByteBuffer.allocate(8).putInt(producer).putInt(seq).array(), null);
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
            List<Record> records = IngressRecords.readAll(log);
            assertEquals(producers * perProducer, records.size());
            int[] nextSeq = new int[producers];
            long previous = -1;
            for (Record record : records) {
                ByteBuffer value = ByteBuffer.wrap(record.value());
                int producer = value.getInt();
                assertEquals(nextSeq[producer]++, value.getInt(), "order of producer " + producer);
                assertEquals(producer, record.keyGroup());
                assertTrue(record.position() > previous, "positions grow");
                previous = record.position();
            }
        }
    }

    @Test
    void readerWithAKeyGroupFilterSeesOnlyItsRecordsAndResumesAtItsPosition() {
        long resumeAt;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            for (int i = 0; i < 40; i++) {
                log.append(i % 4, new Address(GREETER, "id" + i), BLOB, new byte[] {(byte) i}, null);
            }
            try (IngressReader reader = log.newReader(kg -> kg % 2 == 0, IngressLog.START)) {
                List<Record> first = IngressRecords.drain(reader, 5);
                assertEquals(List.of(0, 2, 4, 6, 8), values(first));
                resumeAt = reader.position();
                assertEquals(first.get(4).position() + 1, resumeAt);
            }
        }
        try (IngressLog restarted = IngressLog.open(dir, new LogContext())) {
            List<Record> rest = IngressRecords.readAll(restarted, kg -> kg % 2 == 0, resumeAt);
            List<Integer> expected = new ArrayList<>();
            for (int i = 10; i < 40; i += 2) {
                expected.add(i);
            }
            assertEquals(expected, values(rest));
            assertTrue(rest.stream().allMatch(r -> r.keyGroup() % 2 == 0));
        }
    }

    @Test
    void openingCreatesTheCycleFileAheadOfTheFirstAppendWithNothingReadersSee() throws IOException {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.anyMatch(f -> f.toString().endsWith(".cq4")), "the cycle file exists before any append");
            }
            assertEquals(0, IngressRecords.readAll(log).size());
        }
        try (IngressLog log = IngressLog.open(dir, new LogContext())) { // a second open, a second metadata excerpt
            log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {7}, null);
            List<Record> records = IngressRecords.readAll(log);
            assertEquals(List.of(7), values(records));
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                assertEquals(List.of(records.get(0).position()),
                        IngressRecords.drain(reader, 10).stream().map(Record::position).toList());
            }
        }
    }

    @Test
    void aReaderStartedBeforeAnyAppendSeesLaterRecords() {
        try (IngressLog log = IngressLog.open(dir, new LogContext());
             IngressReader reader = log.newReader(kg -> true, log.endPosition())) {
            assertEquals(0, IngressRecords.drain(reader, 10).size());
            log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {42}, null);
            List<Record> records = IngressRecords.drain(reader, 10);
            assertEquals(List.of(42), values(records));
            assertEquals(records.get(0).position() + 1, reader.position());
        }
    }

    @Test
    void aReaderResumesExactlyWhenTheLogRolledToANewFile() {
        try (IngressLog log = IngressLog.open(dir, secondly())) {
            appendValues(log, 1, 2);
            long afterFirstFile;
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                assertEquals(List.of(1, 2), values(IngressRecords.drain(reader, 10)));
                afterFirstFile = reader.position();
            }
            clock.advanceSeconds(1);
            appendValues(log, 3, 4);
            assertEquals(List.of(3, 4), values(IngressRecords.readAll(log, kg -> true, afterFirstFile)));
            assertEquals(List.of(1, 2, 3, 4), values(IngressRecords.readAll(log)));
        }
    }

    @Test
    void documentsFromCountsWhatAReaderHasLeftAcrossFileRolls() {
        try (IngressLog log = IngressLog.open(dir, secondly())) {
            assertEquals(0, log.documentsFrom(IngressLog.START), "an empty log");
            appendValues(log, 1, 2, 3);
            clock.advanceSeconds(1);
            appendValues(log, 4);
            clock.advanceSeconds(3); // seconds without a record leave no file
            log.append(new IngressBatch().add(0, new Address(GREETER, "a"), BLOB, new byte[] {5})
                    .add(1, new Address(GREETER, "b"), BLOB, new byte[] {6}));
            appendValues(log, 7);
            List<Record> all = IngressRecords.readAll(log);
            assertEquals(7, all.size());

            assertEquals(6, log.documentsFrom(IngressLog.START), "3 + 1 + the batch + 1");
            assertEquals(5, log.documentsFrom(all.get(1).position()));
            assertEquals(3, log.documentsFrom(all.get(3).position()), "from the second file's only record");
            assertEquals(2, log.documentsFrom(all.get(4).position()), "the batch's records share one position");
            assertEquals(1, log.documentsFrom(all.get(6).position()));
            assertEquals(0, log.documentsFrom(log.endPosition()));
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                IngressRecords.drain(reader, 4);
                assertEquals(2, log.documentsFrom(reader.position()), "a reader that read the first two files");
                assertEquals(2, log.documentsFromCheaply(reader.position()));
            }
            for (Record r : all) { // the cheap count subtracts in the newest file and counts elsewhere: the same
                assertEquals(log.documentsFrom(r.position()), log.documentsFromCheaply(r.position()));
            }
            assertEquals(6, log.documentsFromCheaply(IngressLog.START));
            assertEquals(0, log.documentsFromCheaply(log.endPosition()));

            log.releaseBefore(all.get(3).position());
            assertEquals(3, log.documentsFrom(IngressLog.START), "counted from the oldest kept record");
        }
        try (IngressLog reopened = IngressLog.open(dir, secondly())) {
            List<Record> all = IngressRecords.readAll(reopened);
            assertEquals(2, reopened.documentsFromCheaply(all.get(all.size() - 2).position()), "the newest as found");
        }
    }

    @Test
    void seekMovesTheReaderBackAndForth() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            appendValues(log, 1, 2, 3);
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                List<Record> all = IngressRecords.drain(reader, 10);
                reader.seek(all.get(1).position());
                assertEquals(List.of(2, 3), values(IngressRecords.drain(reader, 10)));
                reader.seek(IngressLog.START);
                assertEquals(List.of(1, 2, 3), values(IngressRecords.drain(reader, 10)));
            }
        }
    }

    @Test
    void aRecordTheHandlerRefusesIsDeliveredAgainFirstAndNothingTwice() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            appendValues(log, 1, 2);
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                assertThrows(IllegalStateException.class, () -> reader.poll((p, kg, t, type, v) -> {
                    throw new IllegalStateException("refused");
                }, 10));
                assertEquals(List.of(1), values(undelivered(reader)), "the refused record is kept");
                assertEquals(List.of(1, 2), values(IngressRecords.drain(reader, 10)));
                assertTrue(reader.undelivered().isEmpty());
            }
        }
    }

    @Test
    void aBatchIsOneDocumentWhoseRecordsEachReaderGetsInOrder() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            appendValues(log, 1);
            IngressBatch batch = new IngressBatch();
            for (int value = 2; value <= 9; value++) {
                batch.add(value % 3, new Address(GREETER, "id" + value), BLOB, new byte[] {(byte) value});
            }
            long position = log.append(batch);
            appendValues(log, 10);
            List<Record> all = IngressRecords.readAll(log);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), values(all));
            assertEquals(8, all.stream().filter(r -> r.position() == position).count(), "one position for the batch");
            assertEquals(new Address(GREETER, "id5"), all.get(4).target());
            assertEquals(2, all.get(4).keyGroup());

            assertEquals(List.of(2, 5, 8), values(IngressRecords.readAll(log, kg -> kg == 2, IngressLog.START)),
                    "a reader of some key groups gets only theirs, from inside the batch too");
            assertEquals(List.of(10), values(IngressRecords.readAll(log, kg -> true, position + 1)),
                    "resuming after the batch's position skips the whole batch");
        }
    }

    @Test
    void aRefusedRecordInsideABatchKeepsTheRestOfTheBatchUndeliveredAndDeliversNothingTwice() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressBatch batch = new IngressBatch();
            for (int value = 1; value <= 6; value++) {
                batch.add(value % 2, new Address(GREETER, "id" + value), BLOB, new byte[] {(byte) value});
            }
            long position = log.append(batch);
            appendValues(log, 7);
            try (IngressReader reader = log.newReader(kg -> kg == 1, IngressLog.START)) {
                List<Integer> accepted = new ArrayList<>();
                assertThrows(IllegalStateException.class, () -> reader.poll((p, kg, t, type, v) -> {
                    if (v[0] == 3) {
                        throw new IllegalStateException("refused");
                    }
                    accepted.add((int) v[0]);
                }, 10));
                assertEquals(List.of(1), accepted);
                assertEquals(List.of(3, 5), values(undelivered(reader)), "the refused record, then the batch's rest");
                assertEquals(position + 1, reader.position(), "the batch is taken: its rest is in undelivered()");
                assertEquals(List.of(3, 5, 7), values(IngressRecords.drain(reader, 10)));
            }
        }
    }

    @Test
    void aDamagedBatchIsRefusedWholeAndTheReaderStaysBeforeIt() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressBatch batch = new IngressBatch();
            for (int value = 1; value <= 3; value++) {
                batch.add(0, new Address(GREETER, "id" + value), BLOB, new byte[] {(byte) value});
            }
            var records = batch.encoded();
            try (var appender = log.queue().createAppender();
                 var dc = appender.writingDocument()) {
                dc.wire().bytes().write(records.buffer(), 0, records.length() - 1); // the last value cut short
            }
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                long start = reader.position();
                List<Integer> delivered = new ArrayList<>();
                for (int attempt = 0; attempt < 2; attempt++) {
                    assertThrows(CorruptRecordException.class,
                            () -> reader.poll((p, kg, t, type, v) -> delivered.add((int) v[0]), 10));
                }
                assertEquals(List.of(), delivered, "no record of a damaged document is delivered");
                assertEquals(start, reader.position());
            }
        }
    }

    @Test
    void aHandlerThatAcceptsADamagedDocumentIsToldOnceAndTheReaderMovesPastIt() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            appendValues(log, 1);
            byte[] torn = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // a header promising more than follows
            long damagedAt;
            try (var appender = log.queue().createAppender()) {
                try (var dc = appender.writingDocument()) {
                    dc.wire().bytes().write(torn);
                }
                damagedAt = appender.lastIndexAppended();
            }
            appendValues(log, 2);
            List<Long> damaged = new ArrayList<>();
            List<Integer> delivered = new ArrayList<>();
            IngressRecordHandler handler = new IngressRecordHandler() {
                @Override
                public void onRecord(long position, int keyGroup, Address target, TypeName valueType, byte[] value) {
                    delivered.add((int) value[0]);
                }

                @Override
                public void onDamaged(long position, byte[] document, int length, RuntimeException error) {
                    assertArrayEquals(torn, document);
                    assertEquals(torn.length, length);
                    assertTrue(error instanceof CorruptRecordException, error.toString());
                    damaged.add(position);
                }
            };
            try (IngressReader reader = log.newReader(kg -> true, IngressLog.START)) {
                for (int polls = 0; polls < 3; polls++) {
                    reader.poll(handler, 10);
                }
                assertEquals(List.of(1, 2), delivered, "the records around it");
                assertEquals(List.of(damagedAt), damaged, "told once");
            }
        }
    }

    @Test
    void keyedAppendsStillWorkAfterADamagedDocumentAmongTheNewestRecords() {
        long first;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            first = log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "k1");
            try (var appender = log.queue().createAppender(); var dc = appender.writingDocument()) {
                dc.wire().bytes().write(new byte[] {1, 0, 0}); // torn by a crash
            }
        }
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            assertEquals(first, reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "k1"),
                    "k1 was read back past the damaged document, and not appended again");
            reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "k2");
        }
    }

    @Test
    void aBatchRefusesAnEmptyAppendAndTooManyRecords() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressBatch batch = new IngressBatch();
            assertEquals("an empty ingress batch has nothing to append",
                    assertThrows(IllegalArgumentException.class, () -> log.append(batch)).getMessage());
            for (int i = 0; i < IngressBatch.MAX_RECORDS; i++) {
                batch.add(0, new Address(GREETER, "id"), BLOB, new byte[0]);
            }
            assertEquals("an ingress batch holds at most 1024 records", assertThrows(IllegalStateException.class,
                    () -> batch.add(0, new Address(GREETER, "id"), BLOB, new byte[0])).getMessage());
            IngressBatch big = new IngressBatch();
            big.add(0, new Address(GREETER, "a"), BLOB, new byte[IngressBatch.MAX_BYTES / 2]);
            assertThrows(IllegalStateException.class,
                    () -> big.add(0, new Address(GREETER, "b"), BLOB, new byte[IngressBatch.MAX_BYTES / 2]));
            assertEquals(1, big.size(), "a record that does not fit is not added");
            log.append(big);
            assertEquals(1, IngressRecords.readAll(log).size());
        }
    }

    private static List<Record> undelivered(IngressReader reader) {
        return reader.undelivered().stream()
                .map(r -> new Record(r.position(), r.keyGroup(), r.target(), r.valueType(), r.value())).toList();
    }

    @Test
    void retentionDeletesOnlyTheFilesBeforeThePosition() throws IOException {
        try (IngressLog log = IngressLog.open(dir, secondly())) {
            appendValues(log, 1, 2);
            clock.advanceSeconds(1);
            appendValues(log, 3, 4);
            clock.advanceSeconds(1);
            appendValues(log, 5, 6);
            assertEquals(3, queueFiles());
            List<Record> all = IngressRecords.readAll(log);
            long secondFileSecondRecord = all.get(3).position();

            assertEquals(0, log.releaseBefore(IngressLog.START));
            assertEquals(0, log.releaseBefore(all.get(1).position()));
            assertEquals(3, queueFiles());

            assertEquals(1, log.releaseBefore(secondFileSecondRecord));
            assertEquals(2, queueFiles());
            assertEquals(List.of(3, 4, 5, 6), values(IngressRecords.readAll(log)));
            assertEquals(List.of(4, 5, 6), values(IngressRecords.readAll(log, kg -> true, secondFileSecondRecord)));
            assertEquals(all.get(2).position(), log.firstPosition());

            assertEquals(1, log.releaseBefore(log.endPosition()));
            assertEquals(1, queueFiles(), "the newest file is kept");
            appendValues(log, 7);
            assertEquals(List.of(5, 6, 7), values(IngressRecords.readAll(log)));
        }
        try (IngressLog reopened = IngressLog.open(dir, secondly())) {
            assertEquals(List.of(5, 6, 7), values(IngressRecords.readAll(reopened)));
        }
    }

    @Test
    void anIdempotencyKeyAppendsOnceAlsoAfterReopening() {
        long first;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            first = log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {1}, "order-17");
            assertEquals(first, log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {1}, "order-17"));
            log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {2}, null);
            assertEquals(2, IngressRecords.readAll(log).size());
        }
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            assertEquals(first, reopened.append(1, new Address(GREETER, "a"), BLOB, new byte[] {1}, "order-17"));
            assertEquals(2, IngressRecords.readAll(reopened).size());
            long other = reopened.append(1, new Address(GREETER, "a"), BLOB, new byte[] {3}, "order-18");
            assertTrue(other > first);
            assertEquals(3, IngressRecords.readAll(reopened).size());
        }
    }

    /**
     * The keys are read back on a thread of their own; a keyed append right after the open must wait for them, or
     * the key of the newest record (read last) would be appended a second time.
     */
    @Test
    void aKeyedAppendRightAfterOpeningWaitsForTheKeysToBeReadBack() {
        long keyed;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            for (int i = 0; i < 100_000; i++) {
                log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {1}, null);
            }
            keyed = log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {2}, "newest");
        }
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            assertEquals(keyed, reopened.append(1, new Address(GREETER, "a"), BLOB, new byte[] {2}, "newest"));
            assertEquals(100_001, IngressRecords.readAll(reopened).size());
        }
        IngressLog closedAtOnce = IngressLog.open(dir, new LogContext());
        closedAtOnce.close(); // while the keys are still being read back
        assertThrows(IllegalStateException.class,
                () -> closedAtOnce.append(1, new Address(GREETER, "a"), BLOB, new byte[] {3}, "late"));
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            assertEquals(keyed, reopened.append(1, new Address(GREETER, "a"), BLOB, new byte[] {2}, "newest"));
        }
    }

    @Test
    void concurrentRetriesWithTheSameKeyAppendOnce() throws Exception {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Long>> retries = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    retries.add(() -> log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {9}, "same"));
                }
                Set<Long> positions = new HashSet<>();
                for (Future<Long> position : pool.invokeAll(retries)) {
                    positions.add(position.get());
                }
                assertEquals(1, positions.size());
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(1, IngressRecords.readAll(log).size());
        }
    }

    /**
     * {@link IngressLog#appendUnlessWaiting} (what an HTTP IO thread calls): where {@code append} would wait (the
     * keys still being read back after the open, an earlier append of the key in progress) it appends nothing and
     * says so; otherwise it is {@code append}, duplicates refused as before. Without a key it never waits.
     */
    @Test
    void appendUnlessWaitingNeverWaitsAndNeverAppendsAKeyTwice() throws Exception {
        long keyed;
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            keyed = log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {2}, "newest");
            for (int i = 0; i < 150_000; i++) { // a read-back that takes a while after the reopen
                log.append(1, new Address(GREETER, "a"), BLOB, new byte[] {1}, null);
            }
        }
        try (IngressLog reopened = IngressLog.open(dir, new LogContext())) {
            long unkeyed = reopened.appendUnlessWaiting(1, new Address(GREETER, "a"), BLOB, new byte[] {3}, null);
            assertTrue(unkeyed > keyed, "appended at once, read-back or not: " + unkeyed);
            long retried;
            int wouldWait = 0;
            while ((retried = reopened.appendUnlessWaiting(1, new Address(GREETER, "a"), BLOB, new byte[] {2},
                    "newest")) == IngressLog.WOULD_WAIT) {
                wouldWait++;
                Thread.onSpinWait();
            }
            assertEquals(keyed, retried, "remembered, after " + wouldWait + " refusals to wait");
            assertEquals(150_002, IngressRecords.readAll(reopened).size());

            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Long>> retries = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    retries.add(() -> reopened.appendUnlessWaiting(1, new Address(GREETER, "b"), BLOB, new byte[] {9},
                            "same"));
                }
                Set<Long> positions = new HashSet<>();
                for (Future<Long> position : pool.invokeAll(retries)) {
                    positions.add(position.get());
                }
                positions.remove(IngressLog.WOULD_WAIT);
                assertEquals(1, positions.size(), "one position for the key: " + positions);
                assertEquals(positions.iterator().next(), reopened.append(1, new Address(GREETER, "b"), BLOB,
                        new byte[] {9}, "same"));
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(150_003, IngressRecords.readAll(reopened).size());
        }
    }

    @Test
    void onlyTheNewestKeysAreRemembered() {
        LogContext twoKeys = new LogContext().idempotencyKeys(2);
        long c;
        try (IngressLog log = IngressLog.open(dir, twoKeys)) {
            long a = log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "a");
            log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "b");
            c = log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "c");
            assertTrue(log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "a") > a, "a was forgotten");
            assertEquals(c, log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "c"));
        }
        try (IngressLog reopened = IngressLog.open(dir, twoKeys)) {
            // The newest two keyed records are c and a (again); b is not read back.
            assertEquals(c, reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "c"));
            long countBefore = IngressRecords.readAll(reopened).size();
            reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "b");
            assertEquals(countBefore + 1, IngressRecords.readAll(reopened).size());
        }
    }

    @Test
    void reopeningReadsBackTheKeysOfTheNewestRecordsAcrossFiles() {
        // Three files of 4, 3 and 2 keyed records; reading back the newest 6 starts in the middle of the first.
        List<Long> positions = new ArrayList<>();
        try (IngressLog log = IngressLog.open(dir, secondly())) {
            int key = 1;
            for (int records : new int[] {4, 3, 2}) {
                for (int i = 0; i < records; i++, key++) {
                    positions.add(log.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "k" + key));
                }
                clock.advanceSeconds(1);
            }
        }
        // A reopen in a later second starts a file with no record in it; the scan must look past it.
        try (IngressLog reopened = IngressLog.open(dir, secondly().idempotencyScanLimit(6))) {
            for (int key = 9; key >= 4; key--) {
                assertEquals(positions.get(key - 1), reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0],
                        "k" + key), "k" + key + " is among the newest 6 records");
            }
            long before = IngressRecords.readAll(reopened).size();
            assertTrue(reopened.append(1, new Address(GREETER, "x"), BLOB, new byte[0], "k3") > positions.get(8),
                    "k3 lies before the newest 6 records, so it was not read back");
            assertEquals(before + 1, IngressRecords.readAll(reopened).size());
        }
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            Address target = new Address(GREETER, "a");
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> log.append(-1, target, BLOB, new byte[0], null));
            assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
            String longKey = "k".repeat(IngressLog.MAX_IDEMPOTENCY_KEY_BYTES + 1);
            assertThrows(IllegalArgumentException.class, () -> log.append(1, target, BLOB, new byte[0], longKey));
            assertEquals(0, IngressRecords.readAll(log).size());
            IngressReader reader = log.newReader(kg -> true, IngressLog.START);
            assertThrows(IllegalArgumentException.class, () -> reader.poll((p, kg, t, type, v) -> { }, 0));
            reader.close();
        }
        assertThrows(IllegalArgumentException.class,
                () -> IngressLog.open(dir, new LogContext().idempotencyKeys(0)));
    }

    @Test
    void aClosedLogRefusesAppends() {
        IngressLog log = IngressLog.open(dir, new LogContext());
        log.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> log.append(1, new Address(GREETER, "a"), BLOB, new byte[0], null));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    private static void appendValues(IngressLog log, int... values) {
        for (int value : values) {
            log.append(value % 3, new Address(GREETER, "id" + value), BLOB, new byte[] {(byte) value}, null);
        }
    }

    private static List<Integer> values(List<Record> records) {
        return records.stream().map(r -> (int) r.value()[0]).toList();
    }

    private long queueFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
