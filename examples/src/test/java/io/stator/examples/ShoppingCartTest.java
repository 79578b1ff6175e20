package io.stator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.examples.shoppingcart.Cart;
import io.stator.examples.shoppingcart.Inventory;
import io.stator.examples.shoppingcart.ShopTypes;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.ManualClock;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.ThreadingMode;
import io.stator.runtime.config.ModuleFile;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shopping cart end to end through the real runtime (two partitions, stepped deterministically on a
 * virtual clock): carts and inventories message each other, an idle cart expires by a delayed message and
 * returns its items, and checkout cancels that expiry.
 */
class ShoppingCartTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final InMemoryEgress egress = new InMemoryEgress();
    private Stator stator;

    @BeforeEach
    void start() {
        ModuleFile module = ModuleFile.load(Path.of("shopping-cart/module.yaml"));
        StatorConfig config = Stator.builder().partitions(2).threadingMode(ThreadingMode.INVOKER).clock(clock).egress(egress);
        module.embeddedFunctions().values().forEach(config::withFunction);
        stator = config.start();
        restock("socks", 10);
        restock("hat", 1);
    }

    @AfterEach
    void stop() {
        stator.close();
    }

    private void restock(String item, int quantity) {
        stator.send(MessageBuilder.forAddress(Inventory.TYPE, item)
                .withCustomType(ShopTypes.RESTOCK, new ShopTypes.Restock(quantity)).build());
        stator.runUntilIdle();
    }

    private void add(String user, String item, int quantity) {
        stator.send(MessageBuilder.forAddress(Cart.TYPE, user)
                .withCustomType(ShopTypes.ADD_TO_CART, new ShopTypes.AddToCart(item, quantity)).build());
        stator.runUntilIdle();
    }

    private void checkout(String user) {
        stator.send(MessageBuilder.forAddress(Cart.TYPE, user).withCustomType(ShopTypes.CHECKOUT, "now").build());
        stator.runUntilIdle();
    }

    private void advance(Duration d) {
        clock.advance(d);
        stator.runUntilIdle();
    }

    private List<String> receipts() {
        return egress.records(Cart.RECEIPTS).stream().map(r -> Types.stringType().deserialize(r.message().rawValue())).toList();
    }

    private Map<String, Integer> stockLevels() {
        Map<String, Integer> last = new TreeMap<>();
        for (var r : egress.records(Inventory.STOCK_LEVELS)) {
            String[] kv = Types.stringType().deserialize(r.message().rawValue()).split("=");
            last.put(kv[0], Integer.parseInt(kv[1]));
        }
        return last;
    }

    @Test
    void checkoutEmitsAReceiptAndCancelsTheIdleExpiry() {
        add("ann", "socks", 3);
        add("ann", "hat", 2); // only 1 hat in stock
        checkout("ann");
        assertEquals(List.of("receipt for ann: socks=3,hat=1"), receipts());
        advance(Cart.IDLE_TIMEOUT.multipliedBy(4));
        assertEquals(1, receipts().size(), "a checked-out cart never expires");
        assertEquals(Map.of("hat", 0, "socks", 7), stockLevels());
    }

    @Test
    void anIdleCartExpiresAndReturnsItsItems() {
        add("ben", "socks", 4);
        advance(Cart.IDLE_TIMEOUT.minusSeconds(1));
        assertTrue(receipts().isEmpty(), "not idle long enough yet");
        add("ben", "socks", 1); // activity re-arms the expiry
        advance(Cart.IDLE_TIMEOUT.minusSeconds(1));
        assertTrue(receipts().isEmpty(), "the expiry was re-armed by the last change");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("cart of ben expired; returned socks=5"), receipts());
        assertEquals(Map.of("hat", 1, "socks", 10), stockLevels());
    }
}
