package io.stator.remote.testkit;

import io.stator.remote.client.RemoteStateAccess;
import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;
import java.util.HashMap;
import java.util.Map;

/** A {@link RemoteStateAccess} over a map, remembering the last spec seen per state (to check TTL round trips). */
public final class MapRemoteState implements RemoteStateAccess {
    private final Map<String, byte[]> values = new HashMap<>();
    private final Map<String, ValueSpec<?>> specs = new HashMap<>();
    private int reads;

    private static String key(Address address, String state) {
        return address + "#" + state;
    }

    @Override
    public byte[] get(int keyGroup, Address address, ValueSpec<?> spec) {
        reads++;
        specs.put(key(address, spec.name()), spec);
        return values.get(key(address, spec.name()));
    }

    @Override
    public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value) {
        specs.put(key(address, spec.name()), spec);
        values.put(key(address, spec.name()), value);
    }

    @Override
    public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
        values.remove(key(address, spec.name()));
    }

    /** @return the stored bytes, or null */
    public byte[] value(Address address, String state) {
        return values.get(key(address, state));
    }

    /** Presets a value (as if written earlier). */
    public void preset(Address address, String state, byte[] value) {
        values.put(key(address, state), value);
    }

    /** @return the spec the dispatcher last used for this state, or null */
    public ValueSpec<?> spec(Address address, String state) {
        return specs.get(key(address, state));
    }

    public int reads() {
        return reads;
    }
}
