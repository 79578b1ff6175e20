package io.stator.sdk;

import io.stator.sdk.internal.NameLimits;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A namespaced name, {@code namespace/name}: the name of a function type, an egress, or a value type.
 *
 * <p>As in StateFun, the string form splits at the <em>last</em> {@code /}, so a namespace may itself
 * contain slashes ({@code type.googleapis.com/foo.Bar}) but a name may not. Neither half may be empty.
 */
public final class TypeName {
    private final String namespace;
    private final String name;
    private final String canonical;
    private final byte[] canonicalUtf8;

    private TypeName(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
        this.canonical = namespace + "/" + name;
        this.canonicalUtf8 = canonical.getBytes(StandardCharsets.UTF_8);
        if (canonicalUtf8.length > NameLimits.MAX_UTF8_BYTES) {
            throw new IllegalArgumentException("type name of " + NameLimits.describe(canonical));
        }
    }

    /**
     * @param namespace non-empty namespace, e.g. {@code example}
     * @param name      non-empty name without {@code /}, e.g. {@code greeter}
     * @return the type name {@code namespace/name}
     * @throws IllegalArgumentException if either part is empty, the name contains {@code /}, or
     *                                  {@code namespace/name} is over 65,535 bytes in UTF-8
     */
    public static TypeName typeNameOf(String namespace, String name) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("type name '" + namespace + "/" + name + "' has an empty namespace");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("type name '" + namespace + "/' has an empty name");
        }
        if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("type name '" + namespace + "/" + name + "': the name part may not contain '/'");
        }
        return new TypeName(namespace, name);
    }

    /**
     * Parses {@code namespace/name}, splitting at the last {@code /}.
     *
     * @throws IllegalArgumentException naming the input if it has no {@code /} or an empty half, or if it is over
     *                                  65,535 bytes in UTF-8
     */
    public static TypeName parse(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        int slash = typeName.lastIndexOf('/');
        if (slash <= 0 || slash == typeName.length() - 1) {
            throw new IllegalArgumentException(
                    "'" + typeName + "' is not a type name: expected <namespace>/<name> with both parts non-empty");
        }
        return new TypeName(typeName.substring(0, slash), typeName.substring(slash + 1));
    }

    /** @return the namespace, e.g. {@code example} */
    public String namespace() {
        return namespace;
    }

    /** @return the name, e.g. {@code greeter} */
    public String name() {
        return name;
    }

    /** @return {@code namespace/name} */
    public String asString() {
        return canonical;
    }

    /** @return {@code namespace/name} as UTF-8; callers must not modify the array. */
    public byte[] asUtf8Bytes() {
        return canonicalUtf8;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof TypeName other && canonical.equals(other.canonical));
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }
}
