package io.stator.sdk;

/**
 * A record for an egress: the egress's name and a typed value. Build one with {@link EgressMessageBuilder}.
 * Users should not implement this interface.
 */
public interface EgressMessage {
    /** @return the egress this record goes to, e.g. {@code example/greets} */
    TypeName egressId();

    /** @return the name of the value's type */
    TypeName valueTypeName();

    /** @return the value's bytes; do not modify the array */
    byte[] rawValue();
}
