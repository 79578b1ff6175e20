package io.stator.sdk.internal;

import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;

/** The plain {@link Message}: target, value type and bytes. */
public record TypedMessage(Address targetAddress, TypeName valueTypeName, byte[] rawValue) implements Message {
    @Override
    public String toString() {
        return "Message[to=" + targetAddress + ", type=" + valueTypeName + ", " + rawValue.length + " bytes]";
    }
}
