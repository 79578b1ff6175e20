package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ValueSpec} and its {@link Expiration}: name rules, expiry modes, typed builders. */
final class ValueSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"seen", "_seen", "a", "A1_b2", "_"})
    void validNamesAreAccepted(String name) {
        assertEquals(name, ValueSpec.named(name).withIntType().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1seen", "has-dash", "has space", "dot.ted", "ünïcode", "slash/name"})
    void invalidNamesAreRejectedNamingTheName(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValueSpec.named(name));

        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void nullNameIsRejected() {
        assertThrows(NullPointerException.class, () -> ValueSpec.named(null));
    }

    @Test
    void specsNeverExpireByDefault() {
        ValueSpec<Integer> spec = ValueSpec.named("seen").withIntType();

        assertEquals(Expiration.none(), spec.expiration());
        assertEquals(Expiration.Mode.NONE, spec.expiration().mode());
        assertEquals(0L, spec.expiration().durationMillis());
    }

    @Test
    void expireAfterWriteKeepsModeAndDuration() {
        ValueSpec<Integer> spec = ValueSpec.named("seen").thatExpireAfterWrite(Duration.ofMinutes(5)).withIntType();

        assertEquals(Expiration.Mode.AFTER_WRITE, spec.expiration().mode());
        assertEquals(Duration.ofMinutes(5), spec.expiration().duration());
        assertEquals(300_000L, spec.expiration().durationMillis());
        assertEquals(Expiration.expireAfterWrite(Duration.ofMinutes(5)), spec.expiration());
    }

    @Test
    void expireAfterCallKeepsModeAndDuration() {
        ValueSpec<Integer> spec = ValueSpec.named("seen").thatExpireAfterCall(Duration.ofDays(1)).withIntType();

        assertEquals(Expiration.Mode.AFTER_CALL, spec.expiration().mode());
        assertEquals(86_400_000L, spec.expiration().durationMillis());
    }

    @Test
    void theLastExpiryChosenWins() {
        ValueSpec<Integer> spec = ValueSpec.named("seen")
                .thatExpireAfterWrite(Duration.ofSeconds(1))
                .thatExpireAfterCall(Duration.ofSeconds(2))
                .withIntType();

        assertEquals(Expiration.expireAfterCall(Duration.ofSeconds(2)), spec.expiration());
    }

    @Test
    void zeroOrNegativeExpiryIsRejectedNamingTheDuration() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ValueSpec.named("seen").thatExpireAfterWrite(Duration.ZERO));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ValueSpec.named("seen").thatExpireAfterCall(Duration.ofSeconds(-3)));

        assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
        assertTrue(negative.getMessage().contains("PT-3S"), negative.getMessage());
    }

    @Test
    void expirationsAreEqualByModeAndDuration() {
        assertEquals(Expiration.expireAfterWrite(Duration.ofSeconds(1)), Expiration.expireAfterWrite(Duration.ofMillis(1000)));
        assertEquals(Expiration.expireAfterWrite(Duration.ofSeconds(1)).hashCode(),
                Expiration.expireAfterWrite(Duration.ofMillis(1000)).hashCode());
        assertNotEquals(Expiration.expireAfterWrite(Duration.ofSeconds(1)), Expiration.expireAfterCall(Duration.ofSeconds(1)));
        assertEquals("never", Expiration.none().toString());
    }

    @Test
    void typedBuildersUseTheBuiltInTypes() {
        assertSame(Types.booleanType(), ValueSpec.named("b").withBooleanType().type());
        assertSame(Types.intType(), ValueSpec.named("i").withIntType().type());
        assertSame(Types.longType(), ValueSpec.named("l").withLongType().type());
        assertSame(Types.floatType(), ValueSpec.named("f").withFloatType().type());
        assertSame(Types.doubleType(), ValueSpec.named("d").withDoubleType().type());
        assertSame(Types.stringType(), ValueSpec.named("s").withUtf8StringType().type());
        assertEquals(Types.STRING_TYPENAME, ValueSpec.named("s").withUtf8StringType().typeName());
    }

    @Test
    void customTypeKeepsItsTypeName() {
        TypeName point = TypeName.typeNameOf("example", "Point");
        Type<String> pointType = SimpleType.simpleImmutableTypeFrom(point, String::getBytes, String::new);

        ValueSpec<String> spec = ValueSpec.named("at").thatExpireAfterWrite(Duration.ofSeconds(9)).withCustomType(pointType);

        assertSame(pointType, spec.type());
        assertEquals(point, spec.typeName());
        assertEquals(Expiration.Mode.AFTER_WRITE, spec.expiration().mode());
        assertTrue(spec.toString().contains("example/Point"), spec.toString());
    }

    @Test
    void nullCustomTypeIsRejected() {
        assertThrows(NullPointerException.class, () -> ValueSpec.named("x").withCustomType(null));
    }
}
