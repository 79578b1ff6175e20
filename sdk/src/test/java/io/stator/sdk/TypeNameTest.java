package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TypeName}: StateFun's {@code namespace/name} rules. */
final class TypeNameTest {

    @Test
    void parseSplitsAtTheLastSlash() {
        TypeName name = TypeName.parse("type.googleapis.com/com.example/Order");

        assertEquals("type.googleapis.com/com.example", name.namespace());
        assertEquals("Order", name.name());
        assertEquals("type.googleapis.com/com.example/Order", name.asString());
    }

    @Test
    void parseOfASimpleNameSplitsIntoNamespaceAndName() {
        TypeName name = TypeName.parse("example/greeter");

        assertEquals("example", name.namespace());
        assertEquals("greeter", name.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "greeter", "/greeter", "example/", "/", "a/b/"})
    void parseRejectsAMissingSlashOrAnEmptyHalfNamingTheInput(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypeName.parse(input));

        assertTrue(e.getMessage().contains("'" + input + "'"), e.getMessage());
    }

    @Test
    void typeNameOfRejectsAnEmptyNamespaceNamingTheName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TypeName.typeNameOf("", "greeter"));

        assertTrue(e.getMessage().contains("/greeter"), e.getMessage());
        assertTrue(e.getMessage().contains("empty namespace"), e.getMessage());
    }

    @Test
    void typeNameOfRejectsAnEmptyNameNamingTheNamespace() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TypeName.typeNameOf("example", ""));

        assertTrue(e.getMessage().contains("example/"), e.getMessage());
        assertTrue(e.getMessage().contains("empty name"), e.getMessage());
    }

    @Test
    void typeNameOfRejectsASlashInTheName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TypeName.typeNameOf("example", "a/b"));

        assertTrue(e.getMessage().contains("example/a/b"), e.getMessage());
    }

    @Test
    void typeNameOfAcceptsSlashesInTheNamespace() {
        TypeName name = TypeName.typeNameOf("type.googleapis.com/pkg", "Msg");

        assertEquals(TypeName.parse("type.googleapis.com/pkg/Msg"), name);
    }

    @Test
    void parsedAndBuiltNamesAreEqualWithEqualHashCodes() {
        TypeName parsed = TypeName.parse("example/greeter");
        TypeName built = TypeName.typeNameOf("example", "greeter");

        assertEquals(built, parsed);
        assertEquals(built.hashCode(), parsed.hashCode());
        assertNotEquals(TypeName.typeNameOf("example", "greeter2"), parsed);
        assertNotEquals(TypeName.typeNameOf("example2", "greeter"), parsed);
    }

    @Test
    void stringAndUtf8FormsAreTheCanonicalName() {
        TypeName name = TypeName.typeNameOf("exämple", "grüßer");

        assertEquals("exämple/grüßer", name.toString());
        assertArrayEquals("exämple/grüßer".getBytes(StandardCharsets.UTF_8), name.asUtf8Bytes());
    }

    @Test
    void nullPartsAreRejected() {
        assertThrows(NullPointerException.class, () -> TypeName.parse(null));
        assertThrows(NullPointerException.class, () -> TypeName.typeNameOf(null, "n"));
        assertThrows(NullPointerException.class, () -> TypeName.typeNameOf("ns", null));
    }
}
