package io.stator.sdk.internal;

import io.stator.sdk.EgressMessage;
import io.stator.sdk.TypeName;

/** The plain {@link EgressMessage}: egress, value type and bytes. */
public record TypedEgressMessage(TypeName egressId, TypeName valueTypeName, byte[] rawValue) implements EgressMessage {
    @Override
    public String toString() {
        return "EgressMessage[egress=" + egressId + ", type=" + valueTypeName + ", " + rawValue.length + " bytes]";
    }
}
