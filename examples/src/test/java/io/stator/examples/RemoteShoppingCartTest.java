package io.stator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.examples.shoppingcart.Cart;
import io.stator.examples.shoppingcart.Inventory;
import io.stator.examples.shoppingcart.ShopTypes;
import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.config.ModuleFile;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.Types;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shopping cart with its inventories remote, configured by {@code module-remote.yaml} as a user would: the
 * inventory function class runs unchanged behind {@link RemoteFunctionServer} on 127.0.0.1, the carts
 * embedded, talking over StateFun's protocol.
 */
@Timeout(90)
class RemoteShoppingCartTest {
    @Test
    void cartsEmbeddedAndInventoriesRemoteWorkTogether() throws Exception {
        try (RemoteFunctionServer inventories = RemoteFunctionServer.builder().withFunction(Inventory.SPEC)
                .bind("127.0.0.1", 0).start()) {
            String yaml = Files.readString(Path.of("shopping-cart/module-remote.yaml"))
                    .replace("127.0.0.1:8000", "127.0.0.1:" + inventories.port());
            ModuleFile module = ModuleFile.parse("module-remote.yaml", new StringReader(yaml));
            InMemoryEgress egress = new InMemoryEgress();
            StatorConfig config = Stator.builder().partitions(2).egress(egress);
            module.embeddedFunctions().values().forEach(config::withFunction);
            module.endpoints().forEach(doc -> config.withRemoteEndpoint(RemoteEndpointSpec.fromYaml(doc.spec())));
            try (Stator stator = config.start()) {
                stator.send(MessageBuilder.forAddress(Inventory.TYPE, "socks")
                        .withCustomType(ShopTypes.RESTOCK, new ShopTypes.Restock(10)).build());
                egress.await(Inventory.STOCK_LEVELS, 1, Duration.ofSeconds(30));
                stator.send(MessageBuilder.forAddress(Cart.TYPE, "ann")
                        .withCustomType(ShopTypes.ADD_TO_CART, new ShopTypes.AddToCart("socks", 3)).build());
                egress.await(Inventory.STOCK_LEVELS, 2, Duration.ofSeconds(30));
                awaitEmbeddedCalls(stator, 2); // AddToCart, then the inventory's Reserved reply, at the cart
                stator.send(MessageBuilder.forAddress(Cart.TYPE, "ann").withCustomType(ShopTypes.CHECKOUT, "now").build());
                var receipts = egress.await(Cart.RECEIPTS, 1, Duration.ofSeconds(30));
                assertEquals("receipt for ann: socks=3", Types.stringType().deserialize(receipts.get(0).message().rawValue()));
                Map<String, Integer> levels = new TreeMap<>();
                for (var r : egress.records(Inventory.STOCK_LEVELS)) {
                    String[] kv = Types.stringType().deserialize(r.message().rawValue()).split("=");
                    levels.put(kv[0], Integer.parseInt(kv[1]));
                }
                assertEquals(Map.of("socks", 7), levels, "the remote inventory kept its state in the runtime");
                assertEquals(0, egress.count(io.stator.runtime.internal.DeadLetters.EGRESS));
            }
        }
    }

    /** Waits until the embedded functions (the carts) have completed {@code calls} calls. */
    private static void awaitEmbeddedCalls(Stator stator, long calls) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (stator.callsCompleted() < calls) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the carts completed fewer than " + calls + " calls in 30 s");
            }
            Thread.sleep(5);
        }
    }
}
