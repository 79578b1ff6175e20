package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link SimpleType}: custom types from a pair of functions, with failures reported as the documented exceptions. */
final class SimpleTypeTest {
    private static final TypeName POINT = TypeName.typeNameOf("example", "Point");

    @Test
    void serializesAndDeserializesWithTheGivenFunctions() {
        Type<String> type = SimpleType.simpleImmutableTypeFrom(
                POINT, s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));

        assertEquals(POINT, type.typeName());
        assertArrayEquals("1,2".getBytes(StandardCharsets.UTF_8), type.serialize("1,2"));
        assertEquals("1,2", type.deserialize("1,2".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCheckedSerializerFailureBecomesIllegalArgumentNamingTheType() {
        IOException cause = new IOException("disk on fire");
        Type<String> type = SimpleType.simpleImmutableTypeFrom(POINT, s -> {
            throw cause;
        }, b -> "");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.serialize("x"));

        assertTrue(e.getMessage().contains("example/Point"), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void anUncheckedSerializerFailurePropagatesUnchanged() {
        IllegalStateException thrown = new IllegalStateException("bad");
        Type<String> type = SimpleType.simpleImmutableTypeFrom(POINT, s -> {
            throw thrown;
        }, b -> "");

        assertSame(thrown, assertThrows(IllegalStateException.class, () -> type.serialize("x")));
    }

    @Test
    void aDeserializerFailureBecomesIllegalArgumentNamingTheType() {
        Type<String> type = SimpleType.simpleImmutableTypeFrom(POINT, String::getBytes, b -> {
            throw new NumberFormatException("not a point");
        });

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.deserialize(new byte[1]));

        assertTrue(e.getMessage().contains("example/Point"), e.getMessage());
        assertTrue(e.getMessage().contains("not a point"), e.getMessage());
    }

    @Test
    void serializingNullFailsNamingTheType() {
        Type<String> type = SimpleType.simpleImmutableTypeFrom(POINT, String::getBytes, String::new);

        NullPointerException e = assertThrows(NullPointerException.class, () -> type.serialize(null));

        assertTrue(e.getMessage().contains("example/Point"), e.getMessage());
    }
}
