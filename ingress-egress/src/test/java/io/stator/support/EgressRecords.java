package io.stator.support;

import io.stator.egress.EgressReader;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;

/** Reads egress records into a list, for assertions. */
public final class EgressRecords {
    /** One delivered record. */
    public record Record(long offset, long epoch, TypeName valueType, byte[] value) {
        /** @return the first value byte, which the tests use as a record's label */
        public int label() {
            return value[0];
        }
    }

    private EgressRecords() {
    }

    /** @return the records the reader delivers now, polling until it returns none */
    public static List<Record> drain(EgressReader reader) {
        List<Record> records = new ArrayList<>();
        for (int polls = 0; polls < 10_000; polls++) {
            int got = reader.poll((offset, epoch, type, value) -> records.add(new Record(offset, epoch, type, value)),
                    100);
            if (got == 0) {
                break;
            }
        }
        return records;
    }

    /** @return the labels of the records */
    public static List<Integer> labels(List<Record> records) {
        return records.stream().map(Record::label).toList();
    }
}
