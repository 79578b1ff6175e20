package io.stator.remote.client;

import io.stator.sdk.Expiration;
import io.stator.sdk.TypeName;

/**
 * A state a remote function declares, as it listed it in an {@code IncompleteInvocationContext}.
 *
 * @param name       the state's name
 * @param type       the value type; {@code io.statefun.types/unset} when the function left it empty, as in StateFun
 * @param expiration the expiry, {@link Expiration#none()} when the spec had none
 */
record DeclaredState(String name, TypeName type, Expiration expiration) {
    /** What StateFun's runtime records for a spec that arrives without a type name. */
    static final TypeName UNSET_TYPE = TypeName.typeNameOf("io.statefun.types", "unset");
}
