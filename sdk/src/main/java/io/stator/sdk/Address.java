package io.stator.sdk;

import io.stator.sdk.internal.NameLimits;
import java.util.Objects;

/**
 * The address of one function instance: its function type and an id. All messages to the same address
 * are processed one at a time, in order, and see the same state.
 */
public final class Address {
    private final TypeName type;
    private final String id;

    /**
     * @param type the function type
     * @param id   the instance id; not empty, at most 65,535 bytes in UTF-8
     * @throws IllegalArgumentException if the id is empty or too long
     */
    public Address(TypeName type, String id) {
        this.type = Objects.requireNonNull(type, "type");
        this.id = Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("address of function " + type + " has an empty id");
        }
        if (NameLimits.tooLong(id)) {
            throw new IllegalArgumentException("address of function " + type + " has an id of "
                    + NameLimits.describe(id));
        }
    }

    /** Shorthand for {@code new Address(TypeName.typeNameOf(namespace, name), id)}. */
    public static Address of(String namespace, String name, String id) {
        return new Address(TypeName.typeNameOf(namespace, name), id);
    }

    /** @return the function type of this address */
    public TypeName type() {
        return type;
    }

    /** @return the instance id */
    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Address other && type.equals(other.type) && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + id.hashCode();
    }

    /** @return {@code namespace/name/id} */
    @Override
    public String toString() {
        return type.asString() + "/" + id;
    }
}
