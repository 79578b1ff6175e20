package io.stator.sdk;

/**
 * A value type: a {@link TypeName} that travels with every value on the wire, and how values of it
 * are turned into bytes and back.
 *
 * <p>The built-in types are in {@link Types}; they use StateFun's wrapper encodings, so embedded
 * and remote functions, and functions written with StateFun's SDKs, read each other's values. A
 * custom type (JSON, protobuf, anything) is made with {@link SimpleType}.
 *
 * @param <T> the Java type of the values
 */
public interface Type<T> {
    /** @return the type's name, sent beside every value of this type */
    TypeName typeName();

    /**
     * @param value a value, never null
     * @return its bytes
     */
    byte[] serialize(T value);

    /**
     * @param bytes bytes produced by {@link #serialize} (or by another SDK for the same type name)
     * @return the value
     * @throws IllegalArgumentException if the bytes are not a valid value of this type
     */
    T deserialize(byte[] bytes);
}
