package io.stator.remote.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.stator.remote.protocol.Address;
import io.stator.remote.protocol.FromFunction.ExpirationSpec;
import io.stator.remote.protocol.FromFunction.ExpirationSpec.ExpireMode;
import io.stator.remote.protocol.TypedValue;
import io.stator.sdk.Expiration;
import io.stator.sdk.TypeName;
import java.time.Duration;

/**
 * Converts between the SDK's types ({@link io.stator.sdk.Address}, {@link TypeName}, {@link Expiration}) and the
 * generated protocol messages. Used by both the server and the client, so both sides agree on every mapping.
 *
 * <p>Byte arrays are wrapped, not copied ({@link UnsafeByteOperations}): callers hand over arrays they no longer
 * modify, which is the SDK's contract for message and state values.
 */
public final class WireConversions {
    private WireConversions() {
    }

    /** @return the protocol address of {@code address} */
    public static Address toWire(io.stator.sdk.Address address) {
        TypeName type = address.type();
        return Address.newBuilder()
                .setNamespace(type.namespace())
                .setType(type.name())
                .setId(address.id())
                .build();
    }

    /**
     * @return the SDK address, or null when the wire address is absent or all-empty (StateFun's SDKs treat an
     *     all-empty caller as "no caller")
     * @throws IllegalArgumentException if the address is partly filled in
     */
    public static io.stator.sdk.Address fromWireOrNull(Address address) {
        if (address.getNamespace().isEmpty() && address.getType().isEmpty() && address.getId().isEmpty()) {
            return null;
        }
        return fromWire(address);
    }

    /**
     * @return the SDK address
     * @throws IllegalArgumentException naming the address if a part is empty
     */
    public static io.stator.sdk.Address fromWire(Address address) {
        return fromWire(address, null);
    }

    /**
     * As {@link #fromWire(Address)}, the type name from {@code typeNames} (null: a new one).
     *
     * @throws IllegalArgumentException naming the address if a part is empty
     */
    public static io.stator.sdk.Address fromWire(Address address, RecentTypeNames typeNames) {
        try {
            TypeName type = typeNames == null ? TypeName.typeNameOf(address.getNamespace(), address.getType())
                    : typeNames.of(address.getNamespace(), address.getType());
            return new io.stator.sdk.Address(type, address.getId());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid address '" + address.getNamespace() + "/"
                    + address.getType() + "/" + address.getId() + "': " + e.getMessage(), e);
        }
    }

    /** @return a {@code TypedValue} with {@code has_value = true} */
    public static TypedValue typedValue(TypeName type, byte[] value) {
        return TypedValue.newBuilder()
                .setTypenameBytes(UnsafeByteOperations.unsafeWrap(type.asUtf8Bytes()))
                .setHasValue(true)
                .setValue(wrap(value))
                .build();
    }

    /**
     * @return a protobuf input over {@code message} whose {@code bytes} fields are views of it, not copies: for a
     *     whole request or reply the caller owns and never modifies. The values are then copied once, where the
     *     SDK needs them as arrays, instead of twice. (Only an input made from a {@link ByteString} is allowed to
     *     alias; one made from a plain array copies despite {@code enableAliasing}.)
     */
    public static CodedInputStream aliasing(byte[] message) {
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(message).newCodedInput();
        input.enableAliasing(true);
        return input;
    }

    /** @return {@code bytes} as a {@link ByteString} without copying */
    public static ByteString wrap(byte[] bytes) {
        return bytes.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
    }

    /** @return the wire form of {@code expiration}, or null for {@link Expiration.Mode#NONE} (the field is left out) */
    public static ExpirationSpec toWire(Expiration expiration) {
        ExpireMode mode = switch (expiration.mode()) {
            case NONE -> null;
            case AFTER_WRITE -> ExpireMode.AFTER_WRITE;
            case AFTER_CALL -> ExpireMode.AFTER_INVOKE;
        };
        if (mode == null) {
            return null;
        }
        return ExpirationSpec.newBuilder().setMode(mode).setExpireAfterMillis(expiration.durationMillis()).build();
    }

    /**
     * @return the SDK expiration described by {@code spec}; an absent spec (the default instance) is NONE
     * @throws IllegalArgumentException if the mode is unknown or the duration is not positive
     */
    public static Expiration fromWire(ExpirationSpec spec) {
        return switch (spec.getMode()) {
            case NONE -> Expiration.none();
            case AFTER_WRITE -> Expiration.expireAfterWrite(Duration.ofMillis(spec.getExpireAfterMillis()));
            case AFTER_INVOKE -> Expiration.expireAfterCall(Duration.ofMillis(spec.getExpireAfterMillis()));
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "unknown expiration mode number " + spec.getModeValue());
        };
    }
}
