package io.stator.runtime.ops;

/**
 * Writes JSON into a {@link StringBuilder} without a library: objects, arrays, strings and numbers, with the
 * commas placed for the caller. Nesting is tracked with a small bit stack (up to 63 levels), enough for the
 * status and admin documents.
 *
 * <pre>{@code
 * JsonWriter w = new JsonWriter();
 * w.beginObject().name("n").value(1).name("xs").beginArray().value("a").endArray().endObject();
 * w.toString(); // {"n":1,"xs":["a"]}
 * }</pre>
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder(4096);
    /** Bit i set: the container at depth i already holds an element, so the next one needs a comma. */
    private long hasElement;
    private int depth;
    private boolean afterName;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push();
        return this;
    }

    JsonWriter endObject() {
        pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push();
        return this;
    }

    JsonWriter endArray() {
        pop();
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** Writes a finite double; NaN and infinities (not JSON) become null. */
    JsonWriter value(double d) {
        beforeValue();
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null");
        }
        return this;
    }

    JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** Shorthand for {@code name(name).value(n)}. */
    JsonWriter field(String name, long n) {
        return name(name).value(n);
    }

    /** Shorthand for {@code name(name).value(s)}. */
    JsonWriter field(String name, String s) {
        return name(name).value(s);
    }

    /** Shorthand for {@code name(name).value(b)}. */
    JsonWriter field(String name, boolean b) {
        return name(name).value(b);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth == 0) {
            return;
        }
        long bit = 1L << (depth - 1);
        if ((hasElement & bit) != 0) {
            out.append(',');
        }
        hasElement |= bit;
    }

    private void push() {
        if (depth == 63) {
            throw new IllegalStateException("JSON nested deeper than 63 levels");
        }
        depth++;
        hasElement &= ~(1L << (depth - 1));
    }

    private void pop() {
        if (depth == 0) {
            throw new IllegalStateException("JSON end without a begin");
        }
        depth--;
    }

    private void string(String s) {
        io.stator.web.internal.Json.appendScriptSafeString(out, s);
    }
}
