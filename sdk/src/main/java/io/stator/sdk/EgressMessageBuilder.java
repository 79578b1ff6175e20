package io.stator.sdk;

import io.stator.sdk.internal.TypedEgressMessage;
import java.util.Objects;

/**
 * Builds an {@link EgressMessage}:
 *
 * <pre>{@code
 * context.send(EgressMessageBuilder.forEgress(GREETS).withValue("Hello, alice").build());
 * }</pre>
 */
public final class EgressMessageBuilder {
    private final TypeName egress;
    private TypeName valueType;
    private byte[] value;

    private EgressMessageBuilder(TypeName egress) {
        this.egress = Objects.requireNonNull(egress, "egress");
    }

    /** @return a builder for a record to the egress named {@code egress} */
    public static EgressMessageBuilder forEgress(TypeName egress) {
        return new EgressMessageBuilder(egress);
    }

    public EgressMessageBuilder withValue(long value) {
        return withCustomType(Types.longType(), value);
    }

    public EgressMessageBuilder withValue(int value) {
        return withCustomType(Types.intType(), value);
    }

    public EgressMessageBuilder withValue(String value) {
        return withCustomType(Types.stringType(), value);
    }

    /** Sets a value of any type, serialized by that type. */
    public <T> EgressMessageBuilder withCustomType(Type<T> type, T value) {
        Objects.requireNonNull(type, "type");
        if (value == null) {
            throw new NullPointerException("null value of type " + type.typeName() + " for egress " + egress);
        }
        this.valueType = type.typeName();
        this.value = type.serialize(value);
        return this;
    }

    /** Sets an already serialized value. The array is not copied. */
    public EgressMessageBuilder withTypedValue(TypeName type, byte[] serialized) {
        this.valueType = Objects.requireNonNull(type, "type");
        this.value = Objects.requireNonNull(serialized, "serialized");
        return this;
    }

    /**
     * @return the egress record
     * @throws IllegalStateException if no value was set
     */
    public EgressMessage build() {
        if (valueType == null) {
            throw new IllegalStateException("record for egress " + egress + " has no value: call withValue");
        }
        return new TypedEgressMessage(egress, valueType, value);
    }
}
