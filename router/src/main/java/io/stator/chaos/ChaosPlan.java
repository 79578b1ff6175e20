package io.stator.chaos;

import io.stator.chaos.ChaosMessage.Hop;
import io.stator.chaos.ChaosMessage.Kind;
import io.stator.state.KeyGroups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The commands of one chaos run, drawn from a seed, and what they imply: the egress records that must appear
 * exactly once and every address's final state. The mix: single effects, chains of two to four hops that mostly
 * cross partitions, chains with delayed hops (50-500 ms), and commands that schedule a delayed message and cancel
 * it again (its effect must never appear).
 */
final class ChaosPlan {
    /**
     * One command, sent once through the ingress.
     *
     * @param id      the command id (also its idempotency key's suffix)
     * @param target  the code of the address the ingress delivers it to
     * @param message what that address receives
     */
    record Command(long id, String target, ChaosMessage message) {
    }

    private final List<Command> commands;
    private final Map<String, Integer> expectedEffects;
    private final Map<String, AddressState> expectedState;
    private final List<String> addresses;

    private ChaosPlan(List<Command> commands, Map<String, Integer> expectedEffects,
            Map<String, AddressState> expectedState, List<String> addresses) {
        this.commands = commands;
        this.expectedEffects = expectedEffects;
        this.expectedState = expectedState;
        this.addresses = addresses;
    }

    /**
     * @param seed           the seed: the same seed gives the same plan
     * @param msgs           the number of commands
     * @param perType        addresses per function type (embedded and remote)
     * @param partitions     the runtime's partition count, to make most hops cross partitions
     * @param maxParallelism the runtime's key-group count
     */
    static ChaosPlan generate(long seed, int msgs, int perType, int partitions, int maxParallelism) {
        Random rnd = new Random(seed);
        List<String> addresses = ChaosAddresses.all(perType);
        int[] partitionOf = new int[addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            int keyGroup = KeyGroups.keyGroupFor(ChaosAddresses.of(addresses.get(i)), maxParallelism);
            partitionOf[i] = KeyGroups.partitionFor(keyGroup, partitions, maxParallelism);
        }
        List<Command> commands = new ArrayList<>(msgs);
        Map<String, Integer> effects = new HashMap<>();
        Map<String, AddressState> state = new LinkedHashMap<>();
        for (String code : addresses) {
            state.put(code, AddressState.EMPTY);
        }
        for (long c = 0; c < msgs; c++) {
            long value = 1 + rnd.nextInt(1000);
            int start = rnd.nextInt(addresses.size());
            int roll = rnd.nextInt(100);
            if (roll >= 85) {
                String code = addresses.get(start);
                commands.add(new Command(c, code, ChaosMessage.of(Kind.CANCEL, c, 0, value)));
                expect(effects, state, c, 0, code, value);
                expect(effects, state, c, 1, code, value);
                continue;
            }
            int hops = roll < 30 ? 1 : roll < 62 ? 2 + rnd.nextInt(3) : 2 + rnd.nextInt(2);
            boolean delayed = roll >= 62;
            int delayedHop = delayed ? 1 + rnd.nextInt(hops - 1) : -1;
            List<Hop> route = new ArrayList<>();
            int at = start;
            expect(effects, state, c, 0, addresses.get(at), value);
            for (int step = 1; step < hops; step++) {
                at = nextHop(rnd, at, partitionOf);
                int delay = step == delayedHop || (delayed && rnd.nextInt(4) == 0) ? 50 + rnd.nextInt(451) : 0;
                route.add(new Hop(addresses.get(at), delay));
                expect(effects, state, c, step, addresses.get(at), value);
            }
            commands.add(new Command(c, addresses.get(start), new ChaosMessage(Kind.HOP, c, 0, value, route)));
        }
        return new ChaosPlan(List.copyOf(commands), Collections.unmodifiableMap(effects),
                Collections.unmodifiableMap(state), addresses);
    }

    /** Mostly another partition (cross-partition channels are what snapshots must get right), sometimes self. */
    private static int nextHop(Random rnd, int from, int[] partitionOf) {
        int roll = rnd.nextInt(100);
        if (roll < 15) {
            return from;
        }
        int candidate = rnd.nextInt(partitionOf.length);
        for (int tries = 0; roll < 75 && partitionOf[candidate] == partitionOf[from] && tries < 16; tries++) {
            candidate = rnd.nextInt(partitionOf.length);
        }
        return candidate;
    }

    private static void expect(Map<String, Integer> effects, Map<String, AddressState> state, long command, int step,
            String code, long value) {
        effects.merge(ChaosFunction.effectRecord(command, step, code), 1, Integer::sum);
        state.put(code, state.get(code).apply(command, step, value));
    }

    /** @return the commands, in id order */
    List<Command> commands() {
        return commands;
    }

    /** @return every expected egress record of {@link ChaosFunction#EFFECTS} and how often it must appear (once) */
    Map<String, Integer> expectedEffects() {
        return expectedEffects;
    }

    /** @return every address's expected final state, by code (untouched addresses included, as empty) */
    Map<String, AddressState> expectedState() {
        return expectedState;
    }

    /** @return the total number of expected effect records */
    int expectedEffectCount() {
        return expectedEffects.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return every address code */
    List<String> addresses() {
        return addresses;
    }
}
