package io.stator.runtime.internal;

import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;

/**
 * A message on its way through the runtime: the user's {@link Message} plus what routing needs (the target's key
 * group and the caller). This is the decoded form; {@link EnvelopeDescriptor} is the binary one.
 */
public final class Envelope implements Message {
    final int keyGroup;
    final Address target;
    final Address caller;
    final TypeName valueType;
    final byte[] value;
    /**
     * The sender's epoch when the envelope entered a channel (set by the sending partition in {@code route}, read
     * back from the ring by the receiver). A receiver that has already taken snapshot {@code n} logs envelopes
     * stamped below {@code n} as that snapshot's channel state.
     */
    long epoch;

    public Envelope(int keyGroup, Address target, Address caller, TypeName valueType, byte[] value) {
        this.keyGroup = keyGroup;
        this.target = target;
        this.caller = caller;
        this.valueType = valueType;
        this.value = value;
    }

    /** @return the sender's epoch stamp */
    public long epoch() {
        return epoch;
    }

    public int keyGroup() {
        return keyGroup;
    }

    /** @return the sender, or null for messages from an ingress */
    public Address caller() {
        return caller;
    }

    @Override
    public Address targetAddress() {
        return target;
    }

    @Override
    public TypeName valueTypeName() {
        return valueType;
    }

    @Override
    public byte[] rawValue() {
        return value;
    }

    @Override
    public String toString() {
        return "Envelope[to=" + target + (caller == null ? "" : ", from=" + caller) + ", type=" + valueType + ", "
                + value.length + " bytes]";
    }
}
