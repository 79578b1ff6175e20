package io.stator.runtime.internal;

import static io.stator.runtime.internal.EnvelopeDescriptor.EPOCH_OFFSET;
import static io.stator.runtime.internal.EnvelopeDescriptor.FLAGS_OFFSET;
import static io.stator.runtime.internal.EnvelopeDescriptor.FLAG_HAS_CALLER;
import static io.stator.runtime.internal.EnvelopeDescriptor.KEY_GROUP_OFFSET;
import static io.stator.runtime.internal.EnvelopeDescriptor.MAX_STRING_LENGTH;
import static io.stator.runtime.internal.EnvelopeDescriptor.TARGET_TYPE_OFFSET;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes and reads envelopes in the layout of {@link EnvelopeDescriptor}. Encoding is split in two so a ring
 * slot of the exact size can be claimed first: {@link #encodedLength} then {@link #encode}.
 *
 * <p>One codec per thread: it caches decoded type names and the UTF-8 bytes of the last id it measured. A codec
 * made to reuse prefixes also keeps the last envelope's encoded header (key group, flags, target, caller) and copies
 * it for the next envelope with the same target and caller objects and key group: a snapshot's remote backlog lists
 * each address's queued messages one after the other, all holding that address's one {@code Address} object.
 */
public final class EnvelopeCodec {
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final TypeNameCache typeNames = new TypeNameCache();
    private final boolean reusePrefix;
    private String lastId;
    private byte[] lastIdBytes;
    private String lastCallerId;
    private byte[] lastCallerIdBytes;
    /** With {@link #reusePrefix}: the header of the last envelope measured (epoch 0), and what it was made for. */
    private byte[] prefix;
    private Address prefixTarget;
    private Address prefixCaller;
    private int prefixKeyGroup;

    /** A codec for envelopes one at a time (ring-buffer hops): it keeps no header. */
    public EnvelopeCodec() {
        this(false);
    }

    /** @param reusePrefix whether to reuse the last header for runs of one address's envelopes (see above) */
    public EnvelopeCodec(boolean reusePrefix) {
        this.reusePrefix = reusePrefix;
    }

    /**
     * @return the encoded size of the envelope
     * @throws IllegalArgumentException if a string is longer than the envelope allows
     */
    public int encodedLength(Envelope e) {
        int length = reusePrefix ? prefixOf(e).length : prefixLength(e);
        length += 2 + checked(e.valueType.asUtf8Bytes().length, "value type", e);
        length += 4 + e.value.length;
        return length;
    }

    /** Writes {@code e} at {@code offset}; {@link #encodedLength} must have been called for {@code e} just before. */
    public void encode(Envelope e, long epoch, MutableDirectBuffer buffer, int offset) {
        int pos;
        if (reusePrefix) {
            byte[] header = prefixOf(e);
            buffer.putBytes(offset, header);
            buffer.putLong(offset + EPOCH_OFFSET, epoch, ORDER);
            pos = offset + header.length;
        } else {
            pos = putPrefix(e, epoch, buffer, offset);
        }
        pos = putBytes(buffer, pos, e.valueType.asUtf8Bytes());
        buffer.putInt(pos, e.value.length, ORDER);
        buffer.putBytes(pos + 4, e.value);
    }

    /** @return the size of the header: fixed fields, target and caller */
    private int prefixLength(Envelope e) {
        int length = TARGET_TYPE_OFFSET;
        length += 2 + checked(e.target.type().asUtf8Bytes().length, "target type", e);
        length += 2 + checked(targetId(e.target.id()).length, "target id", e);
        if (e.caller != null) {
            length += 2 + checked(e.caller.type().asUtf8Bytes().length, "caller type", e);
            length += 2 + checked(callerId(e.caller.id()).length, "caller id", e);
        }
        return length;
    }

    /** Writes the header ({@link #prefixLength} bytes) at {@code offset}; @return where the value type goes */
    private int putPrefix(Envelope e, long epoch, MutableDirectBuffer buffer, int offset) {
        buffer.putInt(offset + KEY_GROUP_OFFSET, e.keyGroup, ORDER);
        buffer.putInt(offset + FLAGS_OFFSET, e.caller != null ? FLAG_HAS_CALLER : 0, ORDER);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, ORDER);
        int pos = offset + TARGET_TYPE_OFFSET;
        pos = putBytes(buffer, pos, e.target.type().asUtf8Bytes());
        pos = putBytes(buffer, pos, targetId(e.target.id()));
        if (e.caller != null) {
            pos = putBytes(buffer, pos, e.caller.type().asUtf8Bytes());
            pos = putBytes(buffer, pos, callerId(e.caller.id()));
        }
        return pos;
    }

    /** @return the header of {@code e} with epoch 0: the last one if made for the same objects, else a new one */
    private byte[] prefixOf(Envelope e) {
        if (prefix == null || e.target != prefixTarget || e.caller != prefixCaller || e.keyGroup != prefixKeyGroup) {
            byte[] header = new byte[prefixLength(e)];
            putPrefix(e, 0, new UnsafeBuffer(header), 0);
            prefix = header;
            prefixTarget = e.target;
            prefixCaller = e.caller;
            prefixKeyGroup = e.keyGroup;
        }
        return prefix;
    }

    /** @return the sender's epoch stored in the envelope at {@code offset} */
    public static long epoch(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + EPOCH_OFFSET, ORDER);
    }

    /**
     * @return where the caller's type (its uint16 length, then its bytes, then the id's) starts in the envelope at
     *     {@code offset}, or -1 if it has no caller
     */
    public static int callerAt(DirectBuffer buffer, int offset) {
        if ((buffer.getInt(offset + FLAGS_OFFSET, ORDER) & FLAG_HAS_CALLER) == 0) {
            return -1;
        }
        int pos = offset + TARGET_TYPE_OFFSET;
        pos += 2 + (buffer.getShort(pos, ORDER) & 0xFFFF);
        return pos + 2 + (buffer.getShort(pos, ORDER) & 0xFFFF);
    }

    /** Reads the envelope at {@code offset}. */
    public Envelope decode(DirectBuffer buffer, int offset) {
        int keyGroup = buffer.getInt(offset + KEY_GROUP_OFFSET, ORDER);
        int flags = buffer.getInt(offset + FLAGS_OFFSET, ORDER);
        int pos = offset + TARGET_TYPE_OFFSET;

        int len = buffer.getShort(pos, ORDER) & 0xFFFF;
        TypeName targetType = typeNames.get(buffer, pos + 2, len);
        pos += 2 + len;
        len = buffer.getShort(pos, ORDER) & 0xFFFF;
        String targetId = buffer.getStringWithoutLengthUtf8(pos + 2, len);
        int targetIdAt = pos + 2;
        int targetIdLength = len;
        pos += 2 + len;

        Address target = new Address(targetType, targetId);
        Address caller = null;
        if ((flags & FLAG_HAS_CALLER) != 0) {
            len = buffer.getShort(pos, ORDER) & 0xFFFF;
            TypeName callerType = typeNames.get(buffer, pos + 2, len);
            pos += 2 + len;
            len = buffer.getShort(pos, ORDER) & 0xFFFF;
            // A function's message to itself (a reminder, most delayed messages) shares one address: a restore of
            // a million timers then holds a million addresses fewer.
            caller = callerType == targetType && sameBytes(buffer, pos + 2, len, targetIdAt, targetIdLength)
                    ? target : new Address(callerType, buffer.getStringWithoutLengthUtf8(pos + 2, len));
            pos += 2 + len;
        }

        len = buffer.getShort(pos, ORDER) & 0xFFFF;
        TypeName valueType = typeNames.get(buffer, pos + 2, len);
        pos += 2 + len;
        int valueLength = buffer.getInt(pos, ORDER);
        byte[] value = new byte[valueLength];
        buffer.getBytes(pos + 4, value);
        Envelope e = new Envelope(keyGroup, target, caller, valueType, value);
        e.epoch = buffer.getLong(offset + EPOCH_OFFSET, ORDER);
        return e;
    }

    private static boolean sameBytes(DirectBuffer buffer, int at, int length, int otherAt, int otherLength) {
        if (length != otherLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(at + i) != buffer.getByte(otherAt + i)) {
                return false;
            }
        }
        return true;
    }

    private byte[] targetId(String id) {
        if (!id.equals(lastId)) {
            lastId = id;
            lastIdBytes = id.getBytes(StandardCharsets.UTF_8);
        }
        return lastIdBytes;
    }

    private byte[] callerId(String id) {
        if (id == lastId) { // the target's own id string (a message to itself): its bytes, just measured
            return lastIdBytes;
        }
        if (!id.equals(lastCallerId)) {
            lastCallerId = id;
            lastCallerIdBytes = id.getBytes(StandardCharsets.UTF_8);
        }
        return lastCallerIdBytes;
    }

    private static int putBytes(MutableDirectBuffer buffer, int pos, byte[] bytes) {
        buffer.putShort(pos, (short) bytes.length, ORDER);
        buffer.putBytes(pos + 2, bytes);
        return pos + 2 + bytes.length;
    }

    private static int checked(int length, String what, Envelope e) {
        if (length > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException(what + " of " + e + " is " + length + " bytes; at most "
                    + MAX_STRING_LENGTH + " are allowed");
        }
        return length;
    }
}
