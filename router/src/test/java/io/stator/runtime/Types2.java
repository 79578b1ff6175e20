package io.stator.runtime;

import io.stator.sdk.Types;

/** Test helpers for reading egress records. */
final class Types2 {
    private Types2() {
    }

    static String string(InMemoryEgress.Record r) {
        return Types.stringType().deserialize(r.message().rawValue());
    }

    static int integer(InMemoryEgress.Record r) {
        return Types.intType().deserialize(r.message().rawValue());
    }
}
