package io.stator.sdk;

import io.stator.sdk.internal.WrapperCodec;
import java.util.function.Function;

/**
 * The built-in value types. Their type names and byte encodings are StateFun's ({@code io.statefun.types/int}
 * etc., each value a serialized {@code *Wrapper} protobuf message), so values cross between embedded
 * functions, remote functions and StateFun SDKs unchanged.
 */
public final class Types {
    /** Namespace of the built-in types. */
    public static final String BUILT_IN_NAMESPACE = "io.statefun.types";

    public static final TypeName BOOLEAN_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "bool");
    public static final TypeName INT_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "int");
    public static final TypeName LONG_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "long");
    public static final TypeName FLOAT_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "float");
    public static final TypeName DOUBLE_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "double");
    public static final TypeName STRING_TYPENAME = TypeName.typeNameOf(BUILT_IN_NAMESPACE, "string");

    private static final Type<Boolean> BOOLEAN =
            new BuiltIn<>(BOOLEAN_TYPENAME, WrapperCodec::encodeBoolean, WrapperCodec::decodeBoolean);
    private static final Type<Integer> INT = new BuiltIn<>(INT_TYPENAME, WrapperCodec::encodeInt, WrapperCodec::decodeInt);
    private static final Type<Long> LONG = new BuiltIn<>(LONG_TYPENAME, WrapperCodec::encodeLong, WrapperCodec::decodeLong);
    private static final Type<Float> FLOAT =
            new BuiltIn<>(FLOAT_TYPENAME, WrapperCodec::encodeFloat, WrapperCodec::decodeFloat);
    private static final Type<Double> DOUBLE =
            new BuiltIn<>(DOUBLE_TYPENAME, WrapperCodec::encodeDouble, WrapperCodec::decodeDouble);
    private static final Type<String> STRING =
            new BuiltIn<>(STRING_TYPENAME, WrapperCodec::encodeString, WrapperCodec::decodeString);

    private Types() {
    }

    /** @return {@code io.statefun.types/bool} */
    public static Type<Boolean> booleanType() {
        return BOOLEAN;
    }

    /** @return {@code io.statefun.types/int} (sfixed32 wrapper) */
    public static Type<Integer> intType() {
        return INT;
    }

    /** @return {@code io.statefun.types/long} (sfixed64 wrapper) */
    public static Type<Long> longType() {
        return LONG;
    }

    /** @return {@code io.statefun.types/float} */
    public static Type<Float> floatType() {
        return FLOAT;
    }

    /** @return {@code io.statefun.types/double} */
    public static Type<Double> doubleType() {
        return DOUBLE;
    }

    /** @return {@code io.statefun.types/string} (UTF-8 in a StringWrapper) */
    public static Type<String> stringType() {
        return STRING;
    }

    /** @return the built-in type with this name, or null if the name is not a built-in type */
    public static Type<?> builtInType(TypeName name) {
        if (!BUILT_IN_NAMESPACE.equals(name.namespace())) {
            return null;
        }
        return switch (name.name()) {
            case "bool" -> BOOLEAN;
            case "int" -> INT;
            case "long" -> LONG;
            case "float" -> FLOAT;
            case "double" -> DOUBLE;
            case "string" -> STRING;
            default -> null;
        };
    }

    private static final class BuiltIn<T> implements Type<T> {
        private final TypeName typeName;
        private final Function<T, byte[]> encoder;
        private final Function<byte[], T> decoder;

        BuiltIn(TypeName typeName, Function<T, byte[]> encoder, Function<byte[], T> decoder) {
            this.typeName = typeName;
            this.encoder = encoder;
            this.decoder = decoder;
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
            return encoder.apply(value);
        }

        @Override
        public T deserialize(byte[] bytes) {
            return decoder.apply(bytes);
        }

        @Override
        public String toString() {
            return typeName.asString();
        }
    }
}
