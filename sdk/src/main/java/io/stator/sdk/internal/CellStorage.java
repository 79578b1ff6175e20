package io.stator.sdk.internal;

import io.stator.sdk.Address;
import io.stator.sdk.AddressScopedStorage;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link AddressScopedStorage} every host uses (the embedded runtime, the remote-function server, the test
 * kit): one cell per declared state, loaded by the host before the call, read and written by the function,
 * and then read back by the host as mutations.
 *
 * <p>It enforces the declared specs: using an undeclared state, a spec of another type than the declared one,
 * or reading a stored value of another type fails with a message naming the function, the address and the
 * state. Not thread-safe: a call's storage is used by one thread at a time.
 */
public final class CellStorage implements AddressScopedStorage {
    /** What a call did to a cell. */
    public enum Mutation {
        NONE,
        MODIFIED,
        DELETED
    }

    private static final byte[] NO_VALUE = null;

    private final StateLayout layout;
    private final byte[][] bytes;
    private final Object[] decoded;
    private final String[] poisoned;
    private final Mutation[] mutations;
    private Address self;

    public CellStorage(StateLayout layout) {
        this.layout = layout;
        int n = layout.size();
        this.bytes = new byte[n][];
        this.decoded = new Object[n];
        this.poisoned = new String[n];
        this.mutations = new Mutation[n];
        Arrays.fill(mutations, Mutation.NONE);
    }

    /** Clears every cell for a call to {@code self}. */
    public void reset(Address self) {
        this.self = self;
        Arrays.fill(bytes, NO_VALUE);
        Arrays.fill(decoded, null);
        Arrays.fill(poisoned, null);
        Arrays.fill(mutations, Mutation.NONE);
    }

    public StateLayout layout() {
        return layout;
    }

    public Address self() {
        return self;
    }

    /** Loads a stored value of the declared type into cell {@code index}. */
    public void load(int index, byte[] value) {
        bytes[index] = value;
        // Forget what the cell held before, so the next read decodes the loaded bytes.
        decoded[index] = null;
        poisoned[index] = null;
    }

    /**
     * Loads a stored value after checking its type name against the declared one; a mismatch poisons the cell
     * so that reading it fails with a clear message (writing it is allowed and replaces the bad value).
     */
    public void load(int index, TypeName storedType, byte[] value) {
        ValueSpec<?> spec = layout.spec(index);
        if (storedType != null && !storedType.equals(spec.typeName())) {
            bytes[index] = NO_VALUE;
            decoded[index] = null;
            poisoned[index] = "holds a value of type " + storedType + ", but its ValueSpec declares " + spec.typeName();
            return;
        }
        load(index, value);
    }

    /** Marks cell {@code index} as holding a value whose type does not match its declaration. */
    public void poison(int index, String reason) {
        poisoned[index] = reason;
    }

    @Override
    public <T> Optional<T> get(ValueSpec<T> spec) {
        int i = indexOf(spec);
        if (poisoned[i] != null) {
            throw failure(spec.name(), poisoned[i]);
        }
        if (decoded[i] != null) {
            @SuppressWarnings("unchecked")
            T cached = (T) decoded[i];
            return Optional.of(cached);
        }
        byte[] b = bytes[i];
        if (b == null) {
            return Optional.empty();
        }
        T value;
        try {
            value = spec.type().deserialize(b);
        } catch (RuntimeException e) {
            throw failure(spec.name(), "cannot be read as " + spec.typeName() + ": " + e.getMessage());
        }
        decoded[i] = value;
        return Optional.ofNullable(value);
    }

    @Override
    public <T> void set(ValueSpec<T> spec, T value) {
        int i = indexOf(spec);
        if (value == null) { // not requireNonNull with a message supplier: that allocates the lambda on every call
            throw new NullPointerException(describe(spec.name()) + ": null value; use remove()");
        }
        bytes[i] = spec.type().serialize(value);
        decoded[i] = value;
        poisoned[i] = null;
        mutations[i] = Mutation.MODIFIED;
    }

    @Override
    public void remove(ValueSpec<?> spec) {
        int i = indexOf(spec);
        bytes[i] = NO_VALUE;
        decoded[i] = null;
        poisoned[i] = null;
        mutations[i] = Mutation.DELETED;
    }

    /** @return what the call did to cell {@code index} */
    public Mutation mutation(int index) {
        return mutations[index];
    }

    /** @return the current bytes of cell {@code index}, or null if it holds no value */
    public byte[] value(int index) {
        return bytes[index];
    }

    private int indexOf(ValueSpec<?> spec) {
        Objects.requireNonNull(spec, "spec");
        int i = layout.indexOf(spec);
        if (i < 0) {
            throw failure(spec.name(), "is not declared; declared states: " + layout.function().valueSpecs().keySet()
                    + " (declare it with StatefulFunctionSpec.Builder.withValueSpec)");
        }
        ValueSpec<?> declared = layout.spec(i);
        if (declared != spec && !declared.typeName().equals(spec.typeName())) {
            throw failure(spec.name(), "is declared with type " + declared.typeName() + " but used as " + spec.typeName());
        }
        return i;
    }

    private String describe(String stateName) {
        return "function " + layout.function().typeName() + ", address " + self + ", state '" + stateName + "'";
    }

    private IllegalStateException failure(String stateName, String what) {
        return new IllegalStateException(describe(stateName) + " " + what);
    }
}
