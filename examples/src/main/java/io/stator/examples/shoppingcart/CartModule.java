package io.stator.examples.shoppingcart;

import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunctionSpec;
import java.util.List;

/** Only the carts: for {@code examples/shopping-cart/module-remote.yaml}, where inventories run remotely. */
public final class CartModule implements FunctionModule {
    @Override
    public List<StatefulFunctionSpec> functions() {
        return List.of(Cart.SPEC);
    }
}
