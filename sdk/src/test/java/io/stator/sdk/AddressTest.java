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
