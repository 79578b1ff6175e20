package io.stator.state.internal;

import io.stator.sdk.Address;
import io.stator.sdk.internal.ByteHash;
import java.util.Arrays;

/**
 * A reusable buffer that holds one encoded state key ({@link StateKeyDescriptor}) and its hash, so that a cache
 * lookup encodes into the same array every time instead of allocating a key object per access.
 *
 * <p>Owned by one partition thread; not thread-safe.
 */
public final class StateKeyBuffer {
    private static final int INITIAL_CAPACITY = 128;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;
    private int hash;

    /**
     * Encodes the key of state {@code stateName} of {@code address} in {@code keyGroup} and computes its hash.
     *
     * @throws IllegalArgumentException if the key group does not fit the layout
     */
    public void encode(int keyGroup, Address address, String stateName) {
        StateKeyDescriptor.checkKeyGroup(keyGroup);
        byte[] type = address.type().asUtf8Bytes();
        String id = address.id();
        ensureCapacity(StateKeyDescriptor.KEY_GROUP_LENGTH + 3 * StateKeyDescriptor.MAX_VARINT_LENGTH
                + type.length + 3 * id.length() + stateName.length());
        byte[] b = bytes;
        int at = StateKeyDescriptor.keyGroupPrefix(keyGroup, b);
        at = StateKeyDescriptor.writeVarint(b, at, type.length);
        System.arraycopy(type, 0, b, at, type.length);
        at += type.length;
        at = StateKeyDescriptor.writeLengthPrefixedUtf8(b, at, id);
        at = StateKeyDescriptor.writeLengthPrefixedUtf8(b, at, stateName);
        length = at;
        hash = hash(b, at);
    }

    /** Copies an already encoded key (e.g. read from a RocksDB iterator) into the buffer and hashes it. */
    public void set(byte[] key, int keyLength) {
        ensureCapacity(keyLength);
        System.arraycopy(key, 0, bytes, 0, keyLength);
        length = keyLength;
        hash = hash(bytes, keyLength);
    }

    /** @return the backing array; only the first {@link #length()} bytes are the key */
    public byte[] bytes() {
        return bytes;
    }

    /** @return the key's length in bytes */
    public int length() {
        return length;
    }

    /** @return the key's hash, as computed by {@link #hash(byte[], int)} */
    public int hash() {
        return hash;
    }

    /** @return whether the buffer holds exactly the bytes of {@code key} */
    public boolean contentEquals(byte[] key) {
        return Arrays.equals(bytes, 0, length, key, 0, key.length);
    }

    /** @return a copy of the key, trimmed to its length */
    public byte[] copy() {
        return Arrays.copyOf(bytes, length);
    }

    /** @return the hash of the first {@code length} bytes of {@code b}; see {@link ByteHash} */
    public static int hash(byte[] b, int length) {
        return ByteHash.of(b, 0, length);
    }

    private void ensureCapacity(int capacity) {
        if (bytes.length < capacity) {
            bytes = new byte[Math.max(capacity, bytes.length * 2)];
        }
    }
}
