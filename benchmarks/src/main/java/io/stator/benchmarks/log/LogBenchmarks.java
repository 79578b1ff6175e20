package io.stator.benchmarks.log;

import io.stator.egress.EgressLog;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-record cost of the durable logs on local disk (Chronicle Queue in a temp folder): appending an ingress
 * record (a 16-byte value for a 5-character id), reading one back through a partition's reader (half the records
 * belong to another partition and are skipped), and appending an egress record. One thread each.
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

    /** A fresh ingress log in a temp folder. */
    @State(Scope.Benchmark)
    public static class Ingress {
        Path folder;
        IngressLog log;

        @Setup(Level.Trial)
        public void open() throws IOException {
            folder = Files.createTempDirectory("stator-bench-ingress-");
            log = IngressLog.open(folder, new LogContext());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
    }

    /** An ingress log holding {@value #READ_RECORDS} records over two key groups, and a reader of one of them. */
    @State(Scope.Benchmark)
    public static class IngressRead {
        Path folder;
        IngressLog log;
        IngressReader reader;
        long lastPosition;
        final IngressRecordHandler handler = (position, keyGroup, target, valueType, value) -> lastPosition = position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            folder = Files.createTempDirectory("stator-bench-ingress-read-");
            log = IngressLog.open(folder, new LogContext());
            for (int i = 0; i < READ_RECORDS; i++) {
                log.append(i & 1, TARGET, Types.STRING_TYPENAME, VALUE, null);
            }
            reader = log.newReader(keyGroup -> keyGroup == 0, IngressLog.START);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            reader.close();
            log.close();
            io.stator.runtime.Folders.deleteTree(folder);
        }
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

    /** Appends one ingress record; returns when it is in the memory-mapped file. */
    @Benchmark
    public long ingressAppend(Ingress state) {
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
}
