package io.stator.sdk.internal;

/**
 * The longest address id and type name: the runtime writes each with a two-byte length wherever it encodes a
 * message (its channels between partitions, its snapshots). Checked where addresses and type names are made, so
 * that a function asking for a longer one fails its call instead of stopping a partition that cannot encode it.
 */
public final class NameLimits {
    /** At most this many UTF-8 bytes in an address's id, and in a type name's {@code namespace/name}. */
    public static final int MAX_UTF8_BYTES = 65_535;
    /** Characters of an over-long string that an error message quotes. */
    private static final int PREVIEW_CHARS = 40;

    private NameLimits() {
    }

    /** @return whether {@code s} is longer than {@link #MAX_UTF8_BYTES} in UTF-8; fast for short strings */
    public static boolean tooLong(String s) {
        // A char is at most 3 UTF-8 bytes (a surrogate pair, 2 chars, is 4), so a short string needs no count.
        return s.length() > MAX_UTF8_BYTES / 3 && utf8Length(s) > MAX_UTF8_BYTES;
    }

    /** @return what an error says of an over-long string: its UTF-8 length and how it starts */
    public static String describe(String s) {
        return utf8Length(s) + " UTF-8 bytes, starting '" + s.substring(0, Math.min(PREVIEW_CHARS, s.length()))
                + "...'; at most " + MAX_UTF8_BYTES + " are allowed";
    }

    /** Exactly as the runtime encodes it (a lone surrogate is one byte, '?'); only long strings get here. */
    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
