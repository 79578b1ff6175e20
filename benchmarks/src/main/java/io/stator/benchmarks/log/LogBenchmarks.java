package io.stator.benchmarks.log;

import io.stator.egress.EgressBatch;
import io.stator.egress.EgressLog;
import io.stator.egress.EgressReader;
import io.stator.egress.EgressRecordHandler;
import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressLog;
import io.stator.ingress.IngressReader;
import io.stator.ingress.IngressRecordHandler;
import io.stator.logs.LogContext;
import io.stator.runtime.JvmFlags;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-record cost of the durable logs on local disk (Chronicle Queue in a temp folder): appending an ingress
 * record (a 16-byte value for a 5-character id), reading one back through a partition's reader (half the records
 * belong to another partition and are skipped), and appending an egress record: one thread, and two threads on
 * one log as W1's two partitions do; each record a document of its own, or added to a batch (one document per 256
 * records) as partitions do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.CHRONICLE_REF, JvmFlags.CHRONICLE_NIO, JvmFlags.CHRONICLE_MISC,
    JvmFlags.CHRONICLE_JAVAC_FILE, JvmFlags.CHRONICLE_JAVAC, JvmFlags.CHRONICLE_LANG, JvmFlags.CHRONICLE_REFLECT,
    JvmFlags.CHRONICLE_IO, JvmFlags.CHRONICLE_UTIL, JvmFlags.AGRONA, JvmFlags.NO_ANALYTICS})
public class LogBenchmarks {
    private static final Address TARGET = Address.of("bench", "greeter", "alice");
    private static final TypeName VALUE_TYPE = TypeName.typeNameOf("bench", "payload");
    private static final byte[] VALUE = new byte[16];
    /** Records the read benchmark's log holds; the reader starts over at the end. */
    private static final int READ_RECORDS = 200_000;

    /** An ingress log in a temp folder of its own; the states below decide when it is opened. */
    abstract static class IngressInTempFolder {
        Path folder;
        IngressLog log;

        void openLog() throws IOException {
            folder = Files.createTempDirectory("stator-bench-ingress-");
            log = IngressLog.open(folder, new LogContext());
        }

        void closeLog() throws IOException {
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
    }

    /** A fresh ingress log for the whole trial. */
    @State(Scope.Benchmark)
    public static class Ingress extends IngressInTempFolder {
        @Setup(Level.Trial)
        public void open() throws IOException {
            openLog();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            closeLog();
        }
    }

    /** A new ingress log for every iteration: what a freshly started node's first record finds. */
    @State(Scope.Thread)
    public static class FreshIngress extends IngressInTempFolder {
        @Setup(Level.Iteration)
        public void open() throws IOException {
            openLog();
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            closeLog();
        }
    }

    /** An ingress log filled once per trial, and a reader of key group 0 from its start. */
    abstract static class IngressReadState {
        Path folder;
        IngressLog log;
        IngressReader reader;
        long lastPosition;
        final IngressRecordHandler handler = (position, keyGroup, target, valueType, value) -> lastPosition = position;

        /** Appends the records the benchmark reads. */
        abstract void fill(IngressLog log);

        @Setup(Level.Trial)
        public void open() throws IOException {
            folder = Files.createTempDirectory("stator-bench-ingress-read-");
            log = IngressLog.open(folder, new LogContext());
            fill(log);
            reader = log.newReader(keyGroup -> keyGroup == 0, IngressLog.START);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            reader.close();
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
    }

    /** {@value #READ_RECORDS} records, one per document, alternating over two key groups. */
    @State(Scope.Benchmark)
    public static class IngressRead extends IngressReadState {
        @Override
        void fill(IngressLog log) {
            for (int i = 0; i < READ_RECORDS; i++) {
                log.append(i & 1, TARGET, Types.STRING_TYPENAME, VALUE, null);
            }
        }
    }

    /**
     * {@value #READ_RECORDS} records in documents of {@value #BATCH_RECORDS} (as W1's producer appends them),
     * alternating over two key groups and 10,000 ids.
     */
    @State(Scope.Benchmark)
    public static class IngressBatchRead extends IngressReadState {
        @Override
        void fill(IngressLog log) {
            TypeName counter = TypeName.typeNameOf("bench", "counter");
            IngressBatch batch = new IngressBatch();
            for (int i = 0; i < READ_RECORDS; i++) {
                batch.add(i & 1, new Address(counter, "k" + i % 10_000), VALUE_TYPE, VALUE);
                if (batch.size() == BATCH_RECORDS) {
                    log.append(batch);
                    batch.clear();
                }
            }
        }
    }

    /** Records per document in {@link IngressBatchRead}'s log. */
    static final int BATCH_RECORDS = 64;

    /**
     * Takes one document of {@value #BATCH_RECORDS} records and delivers the half of its records that are the
     * reader's key group (decoding them; skipping the others): the time per delivered record.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH_RECORDS / 2)
    public long ingressBatchRead(IngressBatchRead state) {
        if (state.reader.poll(state.handler, 1) == 0) {
            state.reader.seek(IngressLog.START); // at the end: start over
            state.reader.poll(state.handler, 1);
        }
        return state.lastPosition;
    }

    /**
     * An egress log holding {@value #READ_RECORDS} records of one committed epoch, in documents of
     * {@value #RECORDS_PER_FLUSH} (as a partition's duty cycle writes them), and a read-committed reader.
     */
    @State(Scope.Benchmark)
    public static class EgressRead {
        Path folder;
        EgressLog log;
        EgressReader reader;
        long lastOffset;
        final EgressRecordHandler handler = (offset, epoch, valueType, value) -> lastOffset = offset;

        @Setup(Level.Trial)
        public void open() throws IOException {
            folder = Files.createTempDirectory("stator-bench-egress-read-");
            log = EgressLog.open(TypeName.typeNameOf("bench", "out"), folder, new LogContext());
            EgressBatch batch = log.newBatch();
            for (int i = 0; i < READ_RECORDS; i++) {
                batch.add(1, VALUE_TYPE, VALUE);
                if (batch.size() == RECORDS_PER_FLUSH) {
                    batch.flush();
                }
            }
            batch.flush();
            log.commit(1);
            reader = EgressReader.open(log, 0, true);
        }

        /** At the end of the log: a new reader from the start. */
        void startOver() {
            reader.close();
            reader = EgressReader.open(log, 0, true);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            reader.close();
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
    }

    /** Delivers one document's {@value #RECORDS_PER_FLUSH} records, read-committed: the time per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_FLUSH)
    public long egressBatchRead(EgressRead state) {
        if (state.reader.poll(state.handler, RECORDS_PER_FLUSH) == 0) {
            state.startOver();
            state.reader.poll(state.handler, RECORDS_PER_FLUSH);
        }
        return state.lastOffset;
    }

    /** A fresh egress log in a temp folder; every record goes to epoch 1. */
    @State(Scope.Benchmark)
    public static class Egress {
        Path folder;
        EgressLog log;

        @Setup(Level.Trial)
        public void open() throws IOException {
            folder = Files.createTempDirectory("stator-bench-egress-");
            log = EgressLog.open(TypeName.typeNameOf("bench", "out"), folder, new LogContext());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
    }

    /**
     * A thread's batch on the shared egress log, flushed every {@value #RECORDS_PER_FLUSH} records as a partition
     * flushes its duty cycle's records (a W1 duty cycle reads up to 256 ingress records).
     */
    @State(Scope.Thread)
    public static class EgressThreadBatch {
        EgressBatch batch;
        int added;

        @Setup(Level.Trial)
        public void open(Egress egress) {
            batch = egress.log.newBatch();
        }

        @TearDown(Level.Trial)
        public void flush() {
            batch.flush();
        }
    }

    /** Records a batch holds before the egress batch benchmarks flush it. */
    static final int RECORDS_PER_FLUSH = 256;

    /** Appends one ingress record; returns when it is in the memory-mapped file. */
    @Benchmark
    public long ingressAppend(Ingress state) {
        return state.log.append(7, TARGET, VALUE_TYPE, VALUE, null);
    }

    /** The first append to a log opened just before: one call per iteration, timed alone. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 10)
    @Measurement(iterations = 30)
    public long firstIngressAppend(FreshIngress state) {
        return state.log.append(7, TARGET, VALUE_TYPE, VALUE, null);
    }

    /** Delivers one record of the reader's key group (skipping the other group's record in between). */
    @Benchmark
    public long ingressRead(IngressRead state, Blackhole blackhole) {
        if (state.reader.poll(state.handler, 1) == 0) {
            state.reader.seek(IngressLog.START); // at the end: start over
            blackhole.consume(state.reader.poll(state.handler, 1));
        }
        return state.lastPosition;
    }

    /** Appends one egress record to an open epoch. */
    @Benchmark
    public long egressAppend(Egress state) {
        return state.log.append(1, VALUE_TYPE, VALUE);
    }

    /**
     * Two threads append to one egress log at once, as W1's two partitions do: the time per record of each thread,
     * with the contention on the log's locks included.
     */
    @Benchmark
    @Threads(2)
    public long egressAppendTwoThreads(Egress state) {
        return state.log.append(1, VALUE_TYPE, VALUE);
    }

    /** Adds one egress record to a batch, flushing the batch (one document) every 256 records. */
    @Benchmark
    public int egressBatchAppend(EgressThreadBatch state) {
        return addToBatch(state);
    }

    /** {@link #egressBatchAppend} by two threads on one log, each with its own batch. */
    @Benchmark
    @Threads(2)
    public int egressBatchAppendTwoThreads(EgressThreadBatch state) {
        return addToBatch(state);
    }

    private static int addToBatch(EgressThreadBatch state) {
        state.batch.add(1, VALUE_TYPE, VALUE);
        if (++state.added == RECORDS_PER_FLUSH) {
            state.added = 0;
            return state.batch.flush();
        }
        return 0;
    }
}
