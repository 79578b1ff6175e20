package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;
import java.util.Objects;
import java.util.Optional;

/**
 * One message on its way to a remote function: target, caller and the typed argument. It is what the dispatcher
 * queues per address, and what {@link RemoteEffects#deadLetter} hands back when a batch fails.
 *
 * @param targetAddress the function instance called
 * @param caller        the sender, or null for messages from an ingress or a timer without sender
 * @param valueTypeName the argument's type
 * @param rawValue      the argument's bytes; not copied, do not modify
 * @param sequence      the dispatcher's number for the invocation, increasing in the order it accepted them (a
 *                      snapshot names an address's oldest held invocation by it); -1 if no dispatcher numbered it
 */
public record RemoteInvocation(Address targetAddress, Address caller, TypeName valueTypeName, byte[] rawValue,
        long sequence) implements Message {
    /** @throws NullPointerException if the target, type or value is null */
    public RemoteInvocation {
        Objects.requireNonNull(targetAddress, "targetAddress");
        Objects.requireNonNull(valueTypeName, "valueTypeName");
        Objects.requireNonNull(rawValue, "rawValue");
    }

    /** An invocation no dispatcher numbered (sequence -1). */
    public RemoteInvocation(Address targetAddress, Address caller, TypeName valueTypeName, byte[] rawValue) {
        this(targetAddress, caller, valueTypeName, rawValue, -1);
    }

    /** @return the sender, if any */
    public Optional<Address> callerAddress() {
        return Optional.ofNullable(caller);
    }

    @Override
    public String toString() {
        return "RemoteInvocation[to=" + targetAddress + ", from=" + caller + ", type=" + valueTypeName + ", "
                + rawValue.length + " bytes]";
    }
}
