package io.stator.sdk;

/**
 * A message to a function: its target address and a typed value. Build one with {@link MessageBuilder}.
 *
 * <p>Messages are immutable. The runtime and the SDK provide the implementations; users should not implement
 * this interface.
 */
public interface Message {
    /** @return the address this message is sent to */
    Address targetAddress();

    /** @return the name of the value's type */
    TypeName valueTypeName();

    /** @return the value's bytes, as serialized by its type; do not modify the array */
    byte[] rawValue();

    /** @return whether the value is of this type (by type name) */
    default boolean is(Type<?> type) {
        return valueTypeName().equals(type.typeName());
    }

    /**
     * @return the value, deserialized with {@code type}
     * @throws IllegalStateException if the value is of another type, naming both types and the target
     */
    default <T> T as(Type<T> type) {
        if (!is(type)) {
            throw new IllegalStateException("message to " + targetAddress() + " carries a value of type "
                    + valueTypeName() + ", not " + type.typeName());
        }
        return type.deserialize(rawValue());
    }

    default boolean isBoolean() {
        return is(Types.booleanType());
    }

    default boolean asBoolean() {
        return as(Types.booleanType());
    }

    default boolean isInt() {
        return is(Types.intType());
    }

    default int asInt() {
        return as(Types.intType());
    }

    default boolean isLong() {
        return is(Types.longType());
    }

    default long asLong() {
        return as(Types.longType());
    }

    default boolean isFloat() {
        return is(Types.floatType());
    }

    default float asFloat() {
        return as(Types.floatType());
    }

    default boolean isDouble() {
        return is(Types.doubleType());
    }

    default double asDouble() {
        return as(Types.doubleType());
    }

    default boolean isUtf8String() {
        return is(Types.stringType());
    }

    default String asUtf8String() {
        return as(Types.stringType());
    }
}
