package io.stator.support;

import io.stator.ingress.IngressLog;
import io.stator.ingress.IngressReader;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** Reads ingress records into a list, for assertions. */
public final class IngressRecords {
    /** One delivered record. */
    public record Record(long position, int keyGroup, Address target, TypeName valueType, byte[] value) {
    }

    private IngressRecords() {
    }

    /** @return every record of the matching key groups from a position, polling until none are left */
    public static List<Record> readAll(IngressLog log, IntPredicate keyGroups, long from) {
        try (IngressReader reader = log.newReader(keyGroups, from)) {
            return drain(reader, Integer.MAX_VALUE);
        }
    }

    /** @return every record of the log */
    public static List<Record> readAll(IngressLog log) {
        return readAll(log, kg -> true, IngressLog.START);
    }

    /** @return up to {@code max} records from the reader, polling until it returns none */
    public static List<Record> drain(IngressReader reader, int max) {
        List<Record> records = new ArrayList<>();
        for (int polls = 0; polls < 10_000 && records.size() < max; polls++) {
            int got = reader.poll((p, kg, target, type, value) -> records.add(new Record(p, kg, target, type, value)),
                    Math.min(100, max - records.size()));
            if (got == 0) {
                break;
            }
        }
        return records;
    }
}
