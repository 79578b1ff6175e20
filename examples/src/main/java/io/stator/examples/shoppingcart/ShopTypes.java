package io.stator.examples.shoppingcart;

import io.stator.sdk.SimpleType;
import io.stator.sdk.Type;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shop's message and state types. Each is a custom {@link Type} with its own serializer: any format works
 * (JSON, protobuf); here a small text form keeps the example free of dependencies.
 */
public final class ShopTypes {
    private ShopTypes() {
    }

    /** A user adds {@code quantity} of {@code item} to their cart. */
    public record AddToCart(String item, int quantity) {
    }

    /** A cart asks an item's inventory for stock. */
    public record Reserve(int quantity) {
    }

    /** The inventory's answer: how many were reserved (0 if out of stock). */
    public record Reserved(String item, int quantity) {
    }

    /** Stock returns to an inventory (restock, or an expired cart gives its items back). */
    public record Restock(int quantity) {
    }

    public static final Type<AddToCart> ADD_TO_CART = text("AddToCart",
            v -> v.item() + "|" + v.quantity(), s -> new AddToCart(part(s, 0), Integer.parseInt(part(s, 1))));
    public static final Type<Reserve> RESERVE = text("Reserve",
            v -> Integer.toString(v.quantity()), s -> new Reserve(Integer.parseInt(s)));
    public static final Type<Reserved> RESERVED = text("Reserved",
            v -> v.item() + "|" + v.quantity(), s -> new Reserved(part(s, 0), Integer.parseInt(part(s, 1))));
    public static final Type<Restock> RESTOCK = text("Restock",
            v -> Integer.toString(v.quantity()), s -> new Restock(Integer.parseInt(s)));
    /** A cart's content: item → quantity, e.g. {@code socks=2,hat=1}. */
    public static final Type<Map<String, Integer>> CART_ITEMS = text("CartItems", ShopTypes::formatItems, ShopTypes::parseItems);

    /** Checkout and expiry carry no data: their type name says it all. */
    public static final Type<String> CHECKOUT = text("Checkout", v -> v, s -> s);
    public static final Type<String> EXPIRE_CART = text("ExpireCart", v -> v, s -> s);

    private static <T> Type<T> text(String name, java.util.function.Function<T, String> write,
            java.util.function.Function<String, T> read) {
        return SimpleType.simpleImmutableTypeFrom(TypeName.typeNameOf("shop.types", name),
                v -> write.apply(v).getBytes(StandardCharsets.UTF_8),
                b -> read.apply(new String(b, StandardCharsets.UTF_8)));
    }

    private static String part(String s, int i) {
        String[] parts = s.split("\\|", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'a|b', got '" + s + "'");
        }
        return parts[i];
    }

    static String formatItems(Map<String, Integer> items) {
        StringBuilder b = new StringBuilder();
        items.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    static Map<String, Integer> parseItems(String s) {
        Map<String, Integer> items = new LinkedHashMap<>();
        if (!s.isEmpty()) {
            for (String kv : s.split(",")) {
                int eq = kv.indexOf('=');
                items.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
            }
        }
        return items;
    }
}
