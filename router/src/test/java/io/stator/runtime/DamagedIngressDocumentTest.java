package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressReader;
import io.stator.logs.LogContext;
import io.stator.logs.internal.ChronicleQueues;
import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document of the ingress log that cannot be read (here the bytes a torn write leaves: a full disk faulted the
 * append, whose request was never acknowledged) does not stop the runtime for good: the messages around it are
 * processed exactly once, and the document goes to the dead letters once, from one partition, with its bytes.
 * Before, every partition failed on it at every duty cycle and nothing was committed again.
 */
@Timeout(120)
class DamagedIngressDocumentTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("test", "damage-counter");
    private static final TypeName COUNTS = TypeName.typeNameOf("test", "damage-counts");
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 20;
    private static final long TOTAL = 400;
    private static final byte[] TORN = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // a header promising more than follows

    @TempDir
    Path dir;

    @Test
    void theMessagesAroundADamagedDocumentRunOnceAndTheDocumentIsDeadLetteredOnce() throws Exception {
        Path data = dir.resolve("data");
        StatorConfig config = Stator.builder().partitions(2).maxParallelism(MAX_PARALLELISM)
                .snapshotInterval(Duration.ofMillis(100)).withFunction(CrashTests.counter(COUNTER, COUNTS, 0));
        long damagedAt;
        try (StatorNode node = StatorNode.start(config, data, "127.0.0.1", 0)) {
            CrashTests.append(node.ingressLog(), COUNTER, MAX_PARALLELISM, KEYS, 0, TOTAL / 2, 10);
            try (SingleChronicleQueue queue = ChronicleQueues.openWritable(data.resolve("ingress"), new LogContext());
                 ExcerptAppender appender = queue.createAppender()) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(TORN);
                }
                damagedAt = appender.lastIndexAppended();
            }
            CrashTests.append(node.ingressLog(), COUNTER, MAX_PARALLELISM, KEYS, TOTAL / 2, TOTAL, 10);
            CrashTests.awaitCommitted(node, COUNTS, TOTAL);
            CrashTests.assertEachMessageOnceInOrder(node.egressLogs().folderOf(COUNTS), TOTAL, KEYS);

            List<String> deadLetters = new ArrayList<>();
            try (EgressReader reader = EgressReader.open(node.egressLogs().get(DeadLetters.EGRESS), 0, true)) {
                reader.poll((offset, epoch, type, value) -> deadLetters.add(Types.stringType().deserialize(value)),
                        100);
            }
            assertEquals(1, deadLetters.size(), deadLetters.toString());
            String letter = deadLetters.get(0);
            assertTrue(letter.startsWith("{\"ingressPosition\":" + damagedAt + ","), letter);
            assertTrue(letter.contains("\"length\":" + TORN.length), letter);
            assertTrue(letter.contains("\"valueBase64\":\"" + java.util.Base64.getEncoder().encodeToString(TORN)),
                    letter);
        }
    }
}
