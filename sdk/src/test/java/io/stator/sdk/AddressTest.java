package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Address}: a function type plus a non-empty id. */
final class AddressTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");

    @Test
    void emptyIdIsRejectedNamingTheFunctionType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Address(GREETER, ""));

        assertTrue(e.getMessage().contains("example/greeter"), e.getMessage());
        assertTrue(e.getMessage().contains("empty id"), e.getMessage());
    }

    @Test
    void anIdIsAtMost65535BytesInUtf8() {
        assertEquals(65_535, new Address(GREETER, "a".repeat(65_535)).id().length());
        assertEquals(21_845, new Address(GREETER, "\u20ac".repeat(21_845)).id().length(), "3 bytes a char: 65,535");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Address(GREETER, "\u20ac".repeat(21_846)));
        assertTrue(e.getMessage().startsWith("address of function example/greeter has an id of 65538 UTF-8 bytes,"
                + " starting '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("at most 65535 are allowed") && e.getMessage().length() < 200,
                "a short message, not the id: " + e.getMessage().length() + " chars");
        assertThrows(IllegalArgumentException.class, () -> new Address(GREETER, "a".repeat(65_536)));
    }

    @Test
    void aTypeNameIsAtMost65535BytesInUtf8() {
        assertEquals("n/" + "b".repeat(65_533), TypeName.typeNameOf("n", "b".repeat(65_533)).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypeName.typeNameOf("n", "b".repeat(65_534)));
        assertTrue(e.getMessage().startsWith("type name of 65536 UTF-8 bytes, starting 'n/bbb"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypeName.parse("n/" + "b".repeat(65_534)));
    }

    @Test
    void nullTypeOrIdIsRejected() {
        assertThrows(NullPointerException.class, () -> new Address(null, "alice"));
        assertThrows(NullPointerException.class, () -> new Address(GREETER, null));
    }

    @Test
    void ofBuildsTheSameAddressAsTheConstructor() {
        Address address = Address.of("example", "greeter", "alice");

        assertEquals(new Address(GREETER, "alice"), address);
        assertEquals(new Address(GREETER, "alice").hashCode(), address.hashCode());
        assertEquals(GREETER, address.type());
        assertEquals("alice", address.id());
    }

    @Test
    void addressesDifferByTypeOrId() {
        Address alice = new Address(GREETER, "alice");

        assertNotEquals(new Address(GREETER, "bob"), alice);
        assertNotEquals(Address.of("example", "counter", "alice"), alice);
    }

    @Test
    void toStringIsTypeThenId() {
        assertEquals("example/greeter/alice", new Address(GREETER, "alice").toString());
    }
}
