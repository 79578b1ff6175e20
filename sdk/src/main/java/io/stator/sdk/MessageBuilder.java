package io.stator.sdk;

import io.stator.sdk.internal.TypedMessage;
import java.util.Objects;

/**
 * Builds a {@link Message}:
 *
 * <pre>{@code
 * Message m = MessageBuilder.forAddress(GREETER, "alice").withValue("hello").build();
 * }</pre>
 */
public final class MessageBuilder {
    private final Address target;
    private TypeName valueType;
    private byte[] value;

    private MessageBuilder(Address target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** @return a builder for a message to {@code type}/{@code id} */
    public static MessageBuilder forAddress(TypeName type, String id) {
        return new MessageBuilder(new Address(type, id));
    }

    /** @return a builder for a message to {@code target} */
    public static MessageBuilder forAddress(Address target) {
        return new MessageBuilder(target);
    }

    public MessageBuilder withValue(boolean value) {
        return withCustomType(Types.booleanType(), value);
    }

    public MessageBuilder withValue(int value) {
        return withCustomType(Types.intType(), value);
    }

    public MessageBuilder withValue(long value) {
        return withCustomType(Types.longType(), value);
    }

    public MessageBuilder withValue(float value) {
        return withCustomType(Types.floatType(), value);
    }

    public MessageBuilder withValue(double value) {
        return withCustomType(Types.doubleType(), value);
    }

    public MessageBuilder withValue(String value) {
        return withCustomType(Types.stringType(), value);
    }

    /** Sets a value of any type, serialized by that type. */
    public <T> MessageBuilder withCustomType(Type<T> type, T value) {
        Objects.requireNonNull(type, "type");
        if (value == null) {
            throw new NullPointerException("null value of type " + type.typeName() + " for a message to " + target);
        }
        this.valueType = type.typeName();
        this.value = type.serialize(value);
        return this;
    }

    /** Sets an already serialized value (for forwarding a payload unread). The array is not copied. */
    public MessageBuilder withTypedValue(TypeName type, byte[] serialized) {
        this.valueType = Objects.requireNonNull(type, "type");
        this.value = Objects.requireNonNull(serialized, "serialized");
        return this;
    }

    /**
     * @return the message
     * @throws IllegalStateException if no value was set
     */
    public Message build() {
        if (valueType == null) {
            throw new IllegalStateException("message to " + target + " has no value: call withValue or withCustomType");
        }
        return new TypedMessage(target, valueType, value);
    }
}
