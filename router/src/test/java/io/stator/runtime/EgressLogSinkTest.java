package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressLogs;
import io.stator.egress.EgressReader;
import io.stator.logs.LogContext;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress log sink buffers each thread's records until that thread flushes, and loses none to a snapshot; a lone
 * record commits soon after output goes quiet.
 */
@Timeout(120)
class EgressLogSinkTest {
    private static final TypeName OUT = TypeName.typeNameOf("test", "out");
    private static final TypeName AUDIT = TypeName.typeNameOf("test", "audit");
    private static final TypeName ECHO = TypeName.typeNameOf("test", "echo");

    @TempDir
    Path dir;

    private static EgressMessage message(TypeName egress, String text) {
        return EgressMessageBuilder.forEgress(egress).withValue(text).build();
    }

    private static List<String> committed(EgressLogs logs, TypeName egress) {
        List<String> texts = new ArrayList<>();
        try (EgressReader reader = EgressReader.open(logs.get(egress), 0, true)) {
            for (int polls = 0; polls < 10_000; polls++) {
                if (reader.poll((o, e, t, v) -> texts.add(Types.stringType().deserialize(v)), 1000) == 0) {
                    break;
                }
            }
        }
        return texts;
    }

    @Test
    void aThreadsRecordsReachTheLogsWhenThatThreadFlushes() throws Exception {
        try (EgressLogSink sink = new EgressLogSink(new EgressLogs(dir, new LogContext()))) {
            EgressLogs logs = sink.logs();
            sink.emit(1, message(OUT, "a1"));
            sink.emit(1, message(AUDIT, "b1"));
            sink.emit(1, message(OUT, "a2"));
            assertEquals(0, logs.get(OUT).endOffset(), "buffered until the flush");

            Thread other = new Thread(() -> {
                sink.emit(1, message(OUT, "x"));
                sink.flush();
            });
            other.start();
            other.join(10_000);
            assertEquals(1, logs.get(OUT).endOffset(), "the other thread flushed its own record only");

            sink.flush();
            assertEquals(3, logs.get(OUT).endOffset());
            assertEquals(1, logs.get(AUDIT).endOffset());
            sink.commit(1);
            assertEquals(List.of("x", "a1", "a2"), committed(logs, OUT));
            assertEquals(List.of("b1"), committed(logs, AUDIT));
        }
    }

    /**
     * With a one-minute interval, a lone record, and in another runtime a lone dead letter, is committed within
     * seconds: a snapshot starts once output has been quiet for 10 ms.
     */
    @Test
    void aLoneRecordOrDeadLetterCommitsSoonAfterOutputGoesQuiet() throws Exception {
        StatefulFunction echo = (ctx, msg) -> {
            if (msg.asUtf8String().equals("boom")) {
                throw new IllegalStateException("boom"); // the message is dead-lettered
            }
            ctx.send(message(OUT, msg.asUtf8String()));
            return StatefulFunction.DONE;
        };
        for (String text : List.of("hello", "boom")) {
            EgressLogSink sink = new EgressLogSink(new EgressLogs(dir.resolve(text), new LogContext()));
            try (Stator stator = Stator.builder()
                    .partitions(2)
                    .egress(sink)
                    .snapshotInterval(Duration.ofMinutes(1))
                    .snapshotWhenQuiet(Duration.ofMillis(10))
                    .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> echo).build())
                    .start()) {
                stator.send(MessageBuilder.forAddress(ECHO, "k").withValue(text).build());
                if (text.equals("boom")) {
                    awaitCommitted(sink.logs(), io.stator.runtime.internal.DeadLetters.EGRESS, null);
                } else {
                    awaitCommitted(sink.logs(), OUT, text);
                }
            }
        }
    }

    /** Waits up to 20 s (a third of the interval) for a committed record, {@code text} if not null. */
    private static void awaitCommitted(EgressLogs logs, TypeName egress, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (logs.get(egress).lastCommittedEpoch() >= 0) {
                try (EgressReader reader = EgressReader.open(logs.get(egress), 0, true)) {
                    List<byte[]> values = new ArrayList<>();
                    reader.poll((o, e, t, v) -> values.add(v), 10);
                    if (!values.isEmpty()) {
                        if (text != null) {
                            assertEquals(text, Types.stringType().deserialize(values.get(0)));
                        }
                        return;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nothing committed in " + egress.asString() + " within 20 s");
    }

    /**
     * Snapshots every few milliseconds while two partitions emit: a record buffered when its epoch's snapshot is
     * reported must be in the log before the commit marker, or the append would be refused and the record lost.
     */
    @Test
    void everyRecordIsCommittedOnceThroughFrequentSnapshots() {
        int messages = 20_000;
        StatefulFunction echo = (ctx, msg) -> {
            ctx.send(message(OUT, msg.asUtf8String()));
            return StatefulFunction.DONE;
        };
        EgressLogSink sink = new EgressLogSink(new EgressLogs(dir, new LogContext()));
        try (Stator stator = Stator.builder()
                .partitions(2)
                .egress(sink)
                .snapshotInterval(Duration.ofMillis(2))
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> echo).build())
                .start()) {
            for (int i = 0; i < messages; i++) {
                stator.send(MessageBuilder.forAddress(ECHO, "k" + (i % 100)).withValue("m" + i).build());
            }
        } // a clean stop: the last snapshot commits everything
        try (EgressLogs logs = new EgressLogs(dir, new LogContext())) {
            List<String> texts = committed(logs, OUT);
            assertEquals(messages, texts.size());
            Map<String, Integer> seen = new HashMap<>();
            texts.forEach(t -> seen.merge(t, 1, Integer::sum));
            assertEquals(messages, seen.size(), "no record twice");
            assertTrue(logs.get(OUT).lastCommittedEpoch() > 1, "snapshots were taken meanwhile");
        }
    }
}
