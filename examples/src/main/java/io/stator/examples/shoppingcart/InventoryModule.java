package io.stator.examples.shoppingcart;

import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunctionSpec;
import java.util.List;

/** Only the inventories: what {@code ./stator serve} serves over HTTP in the remote variant of the example. */
public final class InventoryModule implements FunctionModule {
    @Override
    public List<StatefulFunctionSpec> functions() {
        return List.of(Inventory.SPEC);
    }
}
