package io.stator.runtime.internal;

import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;
import io.stator.web.internal.Json;
import java.util.Base64;

/**
 * Builds dead-letter records: a message that could not be processed (unknown function type, a call that
 * failed, a remote batch that failed after its retries) goes to the egress {@link #EGRESS} with the reason, so
 * nothing is dropped silently. The value is a one-line JSON object in a string.
 */
public final class DeadLetters {
    /** The dead-letter egress. */
    public static final TypeName EGRESS = TypeName.typeNameOf("stator", "dead-letters");
    /**
     * A message's bytes a dead letter keeps, at most: beyond, it keeps these first ones and says the whole length,
     * so that a dead letter of even the largest message fits the egress log.
     */
    public static final int MAX_VALUE_BYTES = 1 << 20;

    private DeadLetters() {
    }

    /** @return the dead-letter record for {@code message}, sent by {@code caller} (nullable), failed for {@code reason} */
    public static EgressMessage of(Message message, Address caller, String reason) {
        StringBuilder json = new StringBuilder(128);
        json.append("{\"address\":");
        Json.appendString(json, message.targetAddress().toString());
        if (caller != null) {
            json.append(",\"caller\":");
            Json.appendString(json, caller.toString());
        }
        json.append(",\"reason\":");
        Json.appendString(json, reason);
        json.append(",\"type\":");
        Json.appendString(json, message.valueTypeName().asString());
        byte[] value = message.rawValue();
        if (value.length > MAX_VALUE_BYTES) { // the record must fit its egress log, whatever the message's size
            json.append(",\"valueLength\":").append(value.length).append(",\"valueTruncated\":true");
            value = java.util.Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        json.append(",\"valueBase64\":\"").append(Base64.getEncoder().encodeToString(value)).append("\"}");
        return EgressMessageBuilder.forEgress(EGRESS).withValue(json.toString()).build();
    }

    /**
     * @return the dead-letter record for a document of the ingress log at {@code position} that cannot be read:
     *     its first bytes ({@code document}), its whole length, and what is wrong with it
     */
    public static EgressMessage ofDamagedIngress(long position, byte[] document, int length, String reason) {
        StringBuilder json = new StringBuilder(64 + document.length * 4 / 3);
        json.append("{\"ingressPosition\":").append(position);
        json.append(",\"reason\":");
        Json.appendString(json, "the ingress log's document cannot be read: " + reason);
        json.append(",\"length\":").append(length);
        json.append(",\"valueBase64\":\"").append(Base64.getEncoder().encodeToString(document)).append("\"}");
        return EgressMessageBuilder.forEgress(EGRESS).withValue(json.toString()).build();
    }
}
