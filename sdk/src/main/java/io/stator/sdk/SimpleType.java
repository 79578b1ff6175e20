package io.stator.sdk;

import java.util.Objects;

/**
 * A custom {@link Type} made from a type name and a pair of functions, e.g. a JSON type:
 *
 * <pre>{@code
 * Type<Order> ORDER = SimpleType.simpleImmutableTypeFrom(
 *     TypeName.typeNameOf("com.shop", "Order"), mapper::writeValueAsBytes, b -> mapper.readValue(b, Order.class));
 * }</pre>
 *
 * @param <T> the Java type of the values
 */
public final class SimpleType<T> implements Type<T> {
    /** Turns a value into bytes; may throw. */
    @FunctionalInterface
    public interface Serializer<T> {
        /** @return the value's bytes */
        byte[] serialize(T value) throws Throwable;
    }

    /** Turns bytes into a value; may throw. */
    @FunctionalInterface
    public interface Deserializer<T> {
        /** @return the value the bytes encode */
        T deserialize(byte[] bytes) throws Throwable;
    }

    private final TypeName typeName;
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    private SimpleType(TypeName typeName, Serializer<T> serializer, Deserializer<T> deserializer) {
        this.typeName = Objects.requireNonNull(typeName, "typeName");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    /**
     * @param typeName     the type's name
     * @param serializer   value to bytes
     * @param deserializer bytes to value
     * @param <T>          the Java type; its values should be immutable
     * @return the type
     */
    public static <T> Type<T> simpleImmutableTypeFrom(
            TypeName typeName, Serializer<T> serializer, Deserializer<T> deserializer) {
        return new SimpleType<>(typeName, serializer, deserializer);
    }

    @Override
    public TypeName typeName() {
        return typeName;
    }

    @Override
    public byte[] serialize(T value) {
        if (value == null) {
            throw new NullPointerException("null value for type " + typeName);
        }
        try {
            return serializer.serialize(value);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalArgumentException("cannot serialize a value of type " + typeName + ": " + e, e);
        }
    }

    @Override
    public T deserialize(byte[] bytes) {
        try {
            return deserializer.deserialize(bytes);
        } catch (Throwable e) {
            throw new IllegalArgumentException("cannot deserialize a value of type " + typeName + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "SimpleType[" + typeName + "]";
    }
}
