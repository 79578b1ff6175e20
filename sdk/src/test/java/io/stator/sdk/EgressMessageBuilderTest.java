package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link EgressMessageBuilder}: egress records with typed values. */
final class EgressMessageBuilderTest {
    private static final TypeName GREETS = TypeName.typeNameOf("example", "greets");

    @Test
    void recordCarriesEgressTypeAndBytes() {
        EgressMessage record = EgressMessageBuilder.forEgress(GREETS).withValue("Hi").build();

        assertEquals(GREETS, record.egressId());
        assertEquals(Types.STRING_TYPENAME, record.valueTypeName());
        assertEquals("Hi", Types.stringType().deserialize(record.rawValue()));
    }

    @Test
    void intAndLongValuesUseTheBuiltInTypes() {
        EgressMessage i = EgressMessageBuilder.forEgress(GREETS).withValue(3).build();
        EgressMessage l = EgressMessageBuilder.forEgress(GREETS).withValue(3L).build();

        assertEquals(Types.INT_TYPENAME, i.valueTypeName());
        assertEquals(3, Types.intType().deserialize(i.rawValue()));
        assertEquals(Types.LONG_TYPENAME, l.valueTypeName());
        assertEquals(3L, Types.longType().deserialize(l.rawValue()));
    }

    @Test
    void buildWithoutAValueFailsNamingTheEgress() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> EgressMessageBuilder.forEgress(GREETS).build());

        assertTrue(e.getMessage().contains("example/greets"), e.getMessage());
    }

    @Test
    void aNullCustomValueFailsNamingTheTypeAndEgress() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> EgressMessageBuilder.forEgress(GREETS).withCustomType(Types.intType(), null));

        assertTrue(e.getMessage().contains("io.statefun.types/int"), e.getMessage());
        assertTrue(e.getMessage().contains("example/greets"), e.getMessage());
    }

    @Test
    void typedValueIsPassedThroughUnread() {
        TypeName record = TypeName.parse("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord");
        byte[] bytes = {9, 8, 7};

        EgressMessage m = EgressMessageBuilder.forEgress(GREETS).withTypedValue(record, bytes).build();

        assertEquals(record, m.valueTypeName());
        assertSame(bytes, m.rawValue());
    }
}
