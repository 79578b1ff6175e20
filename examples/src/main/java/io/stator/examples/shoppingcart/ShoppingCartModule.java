package io.stator.examples.shoppingcart;

import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunctionSpec;
import java.util.List;

/** The shopping-cart example's function types, named by {@code examples/shopping-cart/module.yaml}. */
public final class ShoppingCartModule implements FunctionModule {
    @Override
    public List<StatefulFunctionSpec> functions() {
        return List.of(Cart.SPEC, Inventory.SPEC);
    }
}
