package io.stator.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A declared piece of per-address state: its name, its value type and its expiry.
 *
 * <pre>{@code
 * static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").thatExpireAfterWrite(Duration.ofDays(1)).withIntType();
 * }</pre>
 *
 * A function declares its specs in its {@link StatefulFunctionSpec}; reading or writing a spec that was not
 * declared fails. Names follow StateFun's rule: a letter or {@code _}, then letters, digits or {@code _}.
 *
 * @param <T> the Java type of the value
 */
public final class ValueSpec<T> {
    private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String name;
    private final Type<T> type;
    private final Expiration expiration;

    private ValueSpec(String name, Type<T> type, Expiration expiration) {
        this.name = name;
        this.type = type;
        this.expiration = expiration;
    }

    /**
     * Starts a spec.
     *
     * @throws IllegalArgumentException naming the value if the name is not a valid state name
     */
    public static Untyped named(String name) {
        Objects.requireNonNull(name, "name");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid state name '" + name
                    + "': it must start with a letter or '_' and contain only letters, digits and '_'");
        }
        return new Untyped(name);
    }

    /** @return the state's name, unique within its function type */
    public String name() {
        return name;
    }

    /** @return the value's type */
    public Type<T> type() {
        return type;
    }

    /** @return the name of the value's type */
    public TypeName typeName() {
        return type.typeName();
    }

    /** @return when values expire */
    public Expiration expiration() {
        return expiration;
    }

    @Override
    public String toString() {
        return "ValueSpec[" + name + ": " + type.typeName() + ", expires " + expiration + "]";
    }

    /** A spec that has a name and expiry but no type yet. */
    public static final class Untyped {
        private final String name;
        private Expiration expiration = Expiration.none();

        private Untyped(String name) {
            this.name = name;
        }

        /** Values expire {@code duration} after they were last written. */
        public Untyped thatExpireAfterWrite(Duration duration) {
            this.expiration = Expiration.expireAfterWrite(duration);
            return this;
        }

        /** Values expire {@code duration} after the last call to their address. */
        public Untyped thatExpireAfterCall(Duration duration) {
            this.expiration = Expiration.expireAfterCall(duration);
            return this;
        }

        public ValueSpec<Boolean> withBooleanType() {
            return withCustomType(Types.booleanType());
        }

        public ValueSpec<Integer> withIntType() {
            return withCustomType(Types.intType());
        }

        public ValueSpec<Long> withLongType() {
            return withCustomType(Types.longType());
        }

        public ValueSpec<Float> withFloatType() {
            return withCustomType(Types.floatType());
        }

        public ValueSpec<Double> withDoubleType() {
            return withCustomType(Types.doubleType());
        }

        public ValueSpec<String> withUtf8StringType() {
            return withCustomType(Types.stringType());
        }

        /** @return the spec with values of {@code type} */
        public <T> ValueSpec<T> withCustomType(Type<T> type) {
            return new ValueSpec<>(name, Objects.requireNonNull(type, "type"), expiration);
        }
    }
}
