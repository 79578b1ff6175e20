package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.ingress.IngressLog;
import io.stator.logs.LogContext;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lag bound on a real ingress log: the partition furthest behind decides, and an answer is reused briefly. */
class IngressLagLimitTest {
    private static final Address TARGET = new Address(TypeName.typeNameOf("test", "f"), "a");

    @TempDir
    Path dir;

    @Test
    void thePartitionFurthestBehindDecides() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            long[] appended = new long[6];
            for (int i = 0; i < appended.length; i++) {
                appended[i] = log.append(0, TARGET, Types.STRING_TYPENAME, new byte[] {1}, null);
            }
            AtomicLongArray read = new AtomicLongArray(new long[] {appended[5] + 1, IngressLog.START});
            IngressLagLimit limit = new IngressLagLimit(log, 2, read::get, 4, 0);
            assertTrue(limit.exceeded(), "partition 1 has all six documents left");
            read.set(1, appended[1]); // five left
            assertTrue(limit.exceeded());
            read.set(1, appended[2]); // four left: at the bound, not over it
            assertFalse(limit.exceeded());
            read.set(0, appended[0]);
            assertTrue(limit.exceeded(), "now partition 0 is six behind");
        }
    }

    @Test
    void anAnswerIsReusedUntilItIsOld() {
        try (IngressLog log = IngressLog.open(dir, new LogContext())) {
            IngressLagLimit limit = new IngressLagLimit(log, 1, p -> IngressLog.START, 1, 60_000_000_000L);
            assertFalse(limit.exceeded(), "an empty log");
            log.append(0, TARGET, Types.STRING_TYPENAME, new byte[] {1}, null);
            log.append(0, TARGET, Types.STRING_TYPENAME, new byte[] {1}, null);
            assertFalse(limit.exceeded(), "measured a minute ago at the earliest");
            assertTrue(new IngressLagLimit(log, 1, p -> IngressLog.START, 1, 0).exceeded());
        }
    }
}
