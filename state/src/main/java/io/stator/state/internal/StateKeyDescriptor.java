package io.stator.state.internal;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a RocksDB key of one state value.
 *
 * <pre>
 *   0          2            2+a               2+a+t         2+a+t+b       2+a+t+b+i      2+a+t+b+i+c
 *   +----------+------------+-----------------+-------------+-------------+--------------+---------------+
 *   | keyGroup | typeLength | function type   | idLength    | id          | nameLength   | state name    |
 *   | u16 BE   | varint (a) | UTF-8 (t bytes) | varint (b)  | UTF-8 (i)   | varint (c)   | ASCII         |
 *   +----------+------------+-----------------+-------------+-------------+--------------+---------------+
 * </pre>
 *
 * <ul>
 *   <li>The key group comes first and big-endian, so all keys of a key group are contiguous and sort by key
 *       group: a range scan from {@link #keyGroupPrefix(int, byte[])} of {@code g} to that of {@code g + 1}
 *       yields exactly key group {@code g}. This is what makes rescaling a range copy.</li>
 *   <li>Each text field is preceded by its length as an unsigned LEB128 varint (one byte below 128), so no
 *       field is a prefix of another and the key decodes unambiguously.</li>
 *   <li>The function type is its canonical {@code namespace/name} form; the id is UTF-8 as
 *       {@link String#getBytes} would produce it; the state name is ASCII ({@code ValueSpec} names are
 *       {@code [a-zA-Z_][a-zA-Z0-9_]*}).</li>
 * </ul>
 *
 * A counter {@code example/counter}, id {@code user-42}, state {@code seen} takes 2 + 1 + 15 + 1 + 7 + 1 + 4 =
 * 31 bytes; within an SST block RocksDB's prefix compression shares the key group and type bytes of neighbours.
 */
public final class StateKeyDescriptor {
    /** Offset of the big-endian unsigned 16-bit key group. */
    public static final int KEY_GROUP_OFFSET = 0;
    /** Length of the key-group prefix. */
    public static final int KEY_GROUP_LENGTH = 2;
    /** The largest key group the layout can hold; {@code KeyGroups} allows at most 32768 key groups. */
    public static final int MAX_KEY_GROUP = 0xFFFF;
    /** Offset of the function type's length varint. */
    public static final int TYPE_LENGTH_OFFSET = KEY_GROUP_OFFSET + KEY_GROUP_LENGTH;
    /** The most bytes an unsigned 32-bit varint takes. */
    public static final int MAX_VARINT_LENGTH = 5;

    private StateKeyDescriptor() {
    }

    /**
     * Writes the 2-byte prefix shared by every key of {@code keyGroup}.
     *
     * @param keyGroup a key group in {@code [0, 65535]}
     * @param dst      receives the prefix at offset 0
     * @return {@link #KEY_GROUP_LENGTH}
     */
    public static int keyGroupPrefix(int keyGroup, byte[] dst) {
        checkKeyGroup(keyGroup);
        dst[KEY_GROUP_OFFSET] = (byte) (keyGroup >>> 8);
        dst[KEY_GROUP_OFFSET + 1] = (byte) keyGroup;
        return KEY_GROUP_LENGTH;
    }

    /** @return a new array holding the key-group prefix of {@code keyGroup} */
    public static byte[] keyGroupPrefix(int keyGroup) {
        byte[] prefix = new byte[KEY_GROUP_LENGTH];
        keyGroupPrefix(keyGroup, prefix);
        return prefix;
    }

    /** @return the key group of an encoded key */
    public static int keyGroup(byte[] key) {
        if (key.length < KEY_GROUP_LENGTH) {
            throw new IllegalArgumentException("a state key has at least " + KEY_GROUP_LENGTH + " bytes, got " + key.length);
        }
        return ((key[KEY_GROUP_OFFSET] & 0xFF) << 8) | (key[KEY_GROUP_OFFSET + 1] & 0xFF);
    }

    /** @throws IllegalArgumentException if {@code keyGroup} does not fit the layout */
    public static void checkKeyGroup(int keyGroup) {
        if (keyGroup < 0 || keyGroup > MAX_KEY_GROUP) {
            throw new IllegalArgumentException("key group must be in [0, " + MAX_KEY_GROUP + "], was " + keyGroup);
        }
    }

    /**
     * Writes an unsigned varint.
     *
     * @return the offset after it
     */
    static int writeVarint(byte[] dst, int offset, int value) {
        int v = value;
        int at = offset;
        while ((v & ~0x7F) != 0) {
            dst[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        dst[at++] = (byte) v;
        return at;
    }

    /** @return how many bytes {@link #writeVarint} takes for {@code value} */
    static int varintLength(int value) {
        int length = 1;
        int v = value >>> 7;
        while (v != 0) {
            length++;
            v >>>= 7;
        }
        return length;
    }

    /**
     * Writes {@code s} as UTF-8 the way {@link String#getBytes} does (an unpaired surrogate becomes {@code ?}),
     * without allocating.
     *
     * @return the offset after it
     */
    static int writeUtf8(byte[] dst, int offset, String s) {
        int at = offset;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[at++] = (byte) c;
            } else if (c < 0x800) {
                dst[at++] = (byte) (0xC0 | (c >> 6));
                dst[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[at++] = (byte) (0xF0 | (cp >> 18));
                dst[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                dst[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                dst[at++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                dst[at++] = (byte) '?';
            } else {
                dst[at++] = (byte) (0xE0 | (c >> 12));
                dst[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return at;
    }

    /**
     * Writes {@code s} as a varint length followed by its UTF-8 bytes, in one pass over the string: the bytes are
     * written after a one-byte length slot and moved only in the rare case the length needs a longer varint.
     * {@code dst} needs room for {@code 3 * s.length() + MAX_VARINT_LENGTH} bytes from {@code offset}.
     *
     * @return the offset after it
     */
    static int writeLengthPrefixedUtf8(byte[] dst, int offset, String s) {
        int end = writeUtf8(dst, offset + 1, s);
        int length = end - offset - 1;
        int prefix = varintLength(length);
        if (prefix > 1) {
            System.arraycopy(dst, offset + 1, dst, offset + prefix, length);
            end += prefix - 1;
        }
        writeVarint(dst, offset, length);
        return end;
    }

    /**
     * Renders an encoded key for error messages: {@code keyGroup/type/id/state}, or its hex bytes if it does not
     * decode.
     */
    public static String describe(byte[] key, int length) {
        try {
            int keyGroup = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
            int[] at = {TYPE_LENGTH_OFFSET};
            String type = readField(key, length, at);
            String id = readField(key, length, at);
            String name = readField(key, length, at);
            return "key group " + keyGroup + ", address " + type + "/" + id + ", state '" + name + "'";
        } catch (RuntimeException e) {
            StringBuilder hex = new StringBuilder("undecodable key 0x");
            for (int i = 0; i < length; i++) {
                hex.append(String.format("%02x", key[i]));
            }
            return hex.toString();
        }
    }

    private static String readField(byte[] key, int length, int[] at) {
        int fieldLength = 0;
        int shift = 0;
        byte b;
        do {
            if (at[0] >= length || shift > 28) {
                throw new IllegalArgumentException("truncated varint");
            }
            b = key[at[0]++];
            fieldLength |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (fieldLength < 0 || at[0] + fieldLength > length) {
            throw new IllegalArgumentException("field runs past the key");
        }
        String field = new String(key, at[0], fieldLength, StandardCharsets.UTF_8);
        at[0] += fieldLength;
        return field;
    }
}
