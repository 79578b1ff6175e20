package io.stator.examples.shoppingcart;

import io.stator.examples.shoppingcart.ShopTypes.Reserved;
import io.stator.sdk.Address;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.concurrent.CompletableFuture;

/**
 * The stock of one item (id = item). {@code Restock} adds stock; {@code Reserve} from a cart takes what it can
 * and answers the cart with {@code Reserved}. Every change reports the new level on {@link #STOCK_LEVELS}.
 */
public final class Inventory implements StatefulFunction {
    public static final TypeName TYPE = TypeName.typeNameOf("shop", "inventory");
    public static final TypeName STOCK_LEVELS = TypeName.typeNameOf("shop", "stock-levels");
    public static final ValueSpec<Integer> STOCK = ValueSpec.named("stock").withIntType();
    public static final StatefulFunctionSpec SPEC =
            StatefulFunctionSpec.builder(TYPE).withValueSpec(STOCK).withSupplier(Inventory::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        int stock = context.storage().get(STOCK).orElse(0);
        if (message.is(ShopTypes.RESTOCK)) {
            stock += message.as(ShopTypes.RESTOCK).quantity();
        } else if (message.is(ShopTypes.RESERVE)) {
            Address cart = context.caller().orElseThrow(
                    () -> new IllegalArgumentException("a Reserve must come from a cart"));
            int granted = Math.min(stock, message.as(ShopTypes.RESERVE).quantity());
            stock -= granted;
            context.send(MessageBuilder.forAddress(cart)
                    .withCustomType(ShopTypes.RESERVED, new Reserved(context.self().id(), granted)).build());
        } else {
            throw new IllegalArgumentException("inventory " + context.self() + " does not understand "
                    + message.valueTypeName());
        }
        context.storage().set(STOCK, stock);
        context.send(EgressMessageBuilder.forEgress(STOCK_LEVELS).withValue(context.self().id() + "=" + stock).build());
        return DONE;
    }
}
