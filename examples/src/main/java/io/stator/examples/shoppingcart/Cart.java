package io.stator.examples.shoppingcart;

import io.stator.examples.shoppingcart.ShopTypes.AddToCart;
import io.stator.examples.shoppingcart.ShopTypes.Reserve;
import io.stator.examples.shoppingcart.ShopTypes.Reserved;
import io.stator.examples.shoppingcart.ShopTypes.Restock;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A user's cart (id = user). Adding an item asks that item's inventory to reserve stock; what the inventory
 * grants goes into the cart. Every change re-arms a delayed {@code ExpireCart} message: a cart left idle for
 * {@link #IDLE_TIMEOUT} gives its items back to the inventories. Checkout cancels the expiry and emits a
 * receipt.
 */
public final class Cart implements StatefulFunction {
    public static final TypeName TYPE = TypeName.typeNameOf("shop", "cart");
    public static final TypeName RECEIPTS = TypeName.typeNameOf("shop", "receipts");
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final String EXPIRY_TOKEN = "idle-expiry";

    public static final ValueSpec<Map<String, Integer>> ITEMS =
            ValueSpec.named("items").withCustomType(ShopTypes.CART_ITEMS);
    public static final StatefulFunctionSpec SPEC =
            StatefulFunctionSpec.builder(TYPE).withValueSpec(ITEMS).withSupplier(Cart::new).build();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
        if (message.is(ShopTypes.ADD_TO_CART)) {
            AddToCart add = message.as(ShopTypes.ADD_TO_CART);
            context.send(MessageBuilder.forAddress(Inventory.TYPE, add.item())
                    .withCustomType(ShopTypes.RESERVE, new Reserve(add.quantity())).build());
        } else if (message.is(ShopTypes.RESERVED)) {
            Reserved reserved = message.as(ShopTypes.RESERVED);
            if (reserved.quantity() > 0) {
                Map<String, Integer> items = new LinkedHashMap<>(context.storage().get(ITEMS).orElse(Map.of()));
                items.merge(reserved.item(), reserved.quantity(), Integer::sum);
                context.storage().set(ITEMS, items);
                rearmExpiry(context);
            }
        } else if (message.is(ShopTypes.CHECKOUT)) {
            Map<String, Integer> items = context.storage().get(ITEMS).orElse(Map.of());
            context.cancelDelayedMessage(EXPIRY_TOKEN);
            context.storage().remove(ITEMS);
            context.send(EgressMessageBuilder.forEgress(RECEIPTS)
                    .withValue("receipt for " + context.self().id() + ": " + ShopTypes.formatItems(items)).build());
        } else if (message.is(ShopTypes.EXPIRE_CART)) {
            Map<String, Integer> items = context.storage().get(ITEMS).orElse(Map.of());
            items.forEach((item, quantity) -> context.send(MessageBuilder.forAddress(Inventory.TYPE, item)
                    .withCustomType(ShopTypes.RESTOCK, new Restock(quantity)).build()));
            context.storage().remove(ITEMS);
            context.send(EgressMessageBuilder.forEgress(RECEIPTS)
                    .withValue("cart of " + context.self().id() + " expired; returned " + ShopTypes.formatItems(items)).build());
        } else {
            throw new IllegalArgumentException("cart " + context.self() + " does not understand " + message.valueTypeName());
        }
        return DONE;
    }

    private static void rearmExpiry(Context context) {
        context.cancelDelayedMessage(EXPIRY_TOKEN);
        context.sendAfter(IDLE_TIMEOUT, EXPIRY_TOKEN, MessageBuilder.forAddress(context.self())
                .withCustomType(ShopTypes.EXPIRE_CART, "idle").build());
    }
}
