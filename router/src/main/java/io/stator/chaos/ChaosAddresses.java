package io.stator.chaos;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos test's addresses and their short codes. An address's id is its code: {@code e12} is
 * {@code chaos/embedded} id {@code e12} (a function the runtime runs in-process), {@code r7} is {@code chaos/remote}
 * id {@code r7} (served over HTTP by the driver). The code alone names the address, so messages and egress records
 * carry just the code.
 */
final class ChaosAddresses {
    /** The embedded function type. */
    static final TypeName EMBEDDED = TypeName.typeNameOf("chaos", "embedded");
    /** The remote function type. */
    static final TypeName REMOTE = TypeName.typeNameOf("chaos", "remote");

    private ChaosAddresses() {
    }

    /**
     * @return the address of {@code code}
     * @throws IllegalArgumentException naming the code if it is not {@code e<n>} or {@code r<n>}
     */
    static Address of(String code) {
        if (code.length() < 2 || !(code.charAt(0) == 'e' || code.charAt(0) == 'r')) {
            throw new IllegalArgumentException("not a chaos address code: '" + code + "'");
        }
        return new Address(code.charAt(0) == 'e' ? EMBEDDED : REMOTE, code);
    }

    /** @return the code of a chaos address (its id) */
    static String codeOf(Address address) {
        return address.id();
    }

    /** @return every code: {@code e0..e(n-1)} then {@code r0..r(n-1)} */
    static List<String> all(int perType) {
        List<String> codes = new ArrayList<>(2 * perType);
        for (int i = 0; i < perType; i++) {
            codes.add("e" + i);
        }
        for (int i = 0; i < perType; i++) {
            codes.add("r" + i);
        }
        return codes;
    }
}
