package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MessageBuilder} and the typed accessors of {@link Message}. */
final class MessageBuilderTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final Address ALICE = new Address(GREETER, "alice");

    @Test
    void builtMessageCarriesTargetTypeAndBytes() {
        Message m = MessageBuilder.forAddress(GREETER, "alice").withValue("Hi").build();

        assertEquals(ALICE, m.targetAddress());
        assertEquals(Types.STRING_TYPENAME, m.valueTypeName());
        assertArrayEquals(new byte[] {0x0a, 0x02, 0x48, 0x69}, m.rawValue());
    }

    @Test
    void eachWithValueOverloadReadsBackWithItsAccessor() {
        assertTrue(MessageBuilder.forAddress(ALICE).withValue(true).build().asBoolean());
        assertEquals(-7, MessageBuilder.forAddress(ALICE).withValue(-7).build().asInt());
        assertEquals(Long.MAX_VALUE, MessageBuilder.forAddress(ALICE).withValue(Long.MAX_VALUE).build().asLong());
        assertEquals(2.5f, MessageBuilder.forAddress(ALICE).withValue(2.5f).build().asFloat());
        assertEquals(-2.5d, MessageBuilder.forAddress(ALICE).withValue(-2.5d).build().asDouble());
        assertEquals("hé", MessageBuilder.forAddress(ALICE).withValue("hé").build().asUtf8String());
    }

    @Test
    void isChecksTheTypeNameOnly() {
        Message m = MessageBuilder.forAddress(ALICE).withValue(1).build();

        assertTrue(m.isInt());
        assertFalse(m.isLong());
        assertFalse(m.isBoolean());
        assertFalse(m.isFloat());
        assertFalse(m.isDouble());
        assertFalse(m.isUtf8String());
        assertTrue(m.is(Types.intType()));
    }

    @Test
    void asWithTheWrongTypeFailsNamingBothTypesAndTheTarget() {
        Message m = MessageBuilder.forAddress(ALICE).withValue(42).build();

        IllegalStateException e = assertThrows(IllegalStateException.class, m::asUtf8String);

        assertTrue(e.getMessage().contains("example/greeter/alice"), e.getMessage());
        assertTrue(e.getMessage().contains("io.statefun.types/int"), e.getMessage());
        assertTrue(e.getMessage().contains("io.statefun.types/string"), e.getMessage());
    }

    @Test
    void buildWithoutAValueFailsNamingTheTarget() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> MessageBuilder.forAddress(ALICE).build());

        assertTrue(e.getMessage().contains("example/greeter/alice"), e.getMessage());
        assertTrue(e.getMessage().contains("no value"), e.getMessage());
    }

    @Test
    void aNullCustomValueFailsNamingTheTypeAndTarget() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> MessageBuilder.forAddress(ALICE).withCustomType(Types.stringType(), null));

        assertTrue(e.getMessage().contains("io.statefun.types/string"), e.getMessage());
        assertTrue(e.getMessage().contains("example/greeter/alice"), e.getMessage());
    }

    @Test
    void anEmptyIdFailsNamingTheFunctionType() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MessageBuilder.forAddress(GREETER, ""));

        assertTrue(e.getMessage().contains("example/greeter"), e.getMessage());
    }

    @Test
    void typedValueIsForwardedUnread() {
        TypeName opaque = TypeName.typeNameOf("example", "Opaque");
        byte[] payload = {1, 2, 3};

        Message m = MessageBuilder.forAddress(ALICE).withTypedValue(opaque, payload).build();

        assertEquals(opaque, m.valueTypeName());
        assertSame(payload, m.rawValue());
        assertFalse(m.isUtf8String());
    }

    @Test
    void theLastValueSetWins() {
        Message m = MessageBuilder.forAddress(ALICE).withValue(1).withValue("two").build();

        assertEquals("two", m.asUtf8String());
    }

    @Test
    void customTypesReadBackThroughAs() {
        Type<String> upper = SimpleType.simpleImmutableTypeFrom(
                TypeName.typeNameOf("example", "Upper"), s -> s.toUpperCase().getBytes(), String::new);

        Message m = MessageBuilder.forAddress(ALICE).withCustomType(upper, "shout").build();

        assertTrue(m.is(upper));
        assertEquals("SHOUT", m.as(upper));
    }
}
