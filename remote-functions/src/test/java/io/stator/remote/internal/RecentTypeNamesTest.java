package io.stator.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.sdk.TypeName;
import org.junit.jupiter.api.Test;

/** Repeated names come back as the same instance; new names, and invalid ones, behave as {@link TypeName}'s own. */
class RecentTypeNamesTest {
    @Test
    void aRepeatedNameIsParsedOnce() {
        RecentTypeNames names = new RecentTypeNames();
        TypeName first = names.parse("bench/probe");
        assertEquals(TypeName.typeNameOf("bench", "probe"), first);
        assertSame(first, names.parse(new String("bench/probe")));
        assertSame(first, names.of("bench", "probe"));
    }

    /** Each reply has its own; what their effects keep (a queued invocation's argument type) shares one instance. */
    @Test
    void separateMessagesShareANameTheyBothMeet() {
        TypeName first = new RecentTypeNames().parse("shared/name");
        assertSame(first, new RecentTypeNames().parse(new String("shared/name")));
        assertSame(first, new RecentTypeNames().of("shared", "name"));
        TypeName other = new RecentTypeNames().of("shared2", "name");
        assertSame(other, new RecentTypeNames().parse("shared2/name"));
    }

    @Test
    void namesBeyondTheSlotsStillParseCorrectly() {
        RecentTypeNames names = new RecentTypeNames();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                assertEquals(TypeName.typeNameOf("ns" + i, "t"), names.parse("ns" + i + "/t"));
                assertEquals(TypeName.typeNameOf("a/b" + i, "c"), names.of("a/b" + i, "c"));
            }
        }
    }

    @Test
    void invalidNamesFailAsTypeNameDoes() {
        RecentTypeNames names = new RecentTypeNames();
        assertThrows(IllegalArgumentException.class, () -> names.parse("no-slash"));
        assertThrows(IllegalArgumentException.class, () -> names.of("", "t"));
        assertThrows(IllegalArgumentException.class, () -> names.of("ns", "a/b"));
    }
}
