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
 * it again (its effect must never appear), and bursts that fan out to up to 24 addresses at once.
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
        Drawing d = new Drawing(new Random(seed), ChaosAddresses.all(perType), partitions, maxParallelism);
        for (long c = 0; c < msgs; c++) {
            long value = 1 + d.rnd.nextInt(1000);
            String start = d.addresses.get(d.rnd.nextInt(d.addresses.size()));
            int roll = d.rnd.nextInt(100);
            if (roll < 27) {
                d.addChain(c, value, start, 1, false);
            } else if (roll < 55) {
                d.addChain(c, value, start, 2 + d.rnd.nextInt(3), false);
            } else if (roll < 75) {
                d.addChain(c, value, start, 2 + d.rnd.nextInt(2), true);
            } else if (roll < 87) {
                d.addFanOut(c, value, start);
            } else {
                d.addCancel(c, value, start);
            }
        }
        return new ChaosPlan(List.copyOf(d.commands), Collections.unmodifiableMap(d.effects),
                Collections.unmodifiableMap(d.state), d.addresses);
    }

    /** The plan while it is drawn: each command added with the effects it implies. */
    private static final class Drawing {
        final Random rnd;
        final List<String> addresses;
        final int[] partitionOf;
        final List<Command> commands = new ArrayList<>();
        final Map<String, Integer> effects = new HashMap<>();
        final Map<String, AddressState> state = new LinkedHashMap<>();

        Drawing(Random rnd, List<String> addresses, int partitions, int maxParallelism) {
            this.rnd = rnd;
            this.addresses = addresses;
            this.partitionOf = new int[addresses.size()];
            for (int i = 0; i < addresses.size(); i++) {
                int keyGroup = KeyGroups.keyGroupFor(ChaosAddresses.of(addresses.get(i)), maxParallelism);
                partitionOf[i] = KeyGroups.partitionFor(keyGroup, partitions, maxParallelism);
                state.put(addresses.get(i), AddressState.EMPTY);
            }
        }

        /** A chain of {@code hops} effects; if {@code delayed}, at least one hop is a delayed message (50-500 ms). */
        void addChain(long c, long value, String start, int hops, boolean delayed) {
            int delayedHop = delayed ? 1 + rnd.nextInt(hops - 1) : -1;
            List<Hop> route = new ArrayList<>();
            int at = addresses.indexOf(start);
            expect(c, 0, start, value);
            for (int step = 1; step < hops; step++) {
                at = nextHop(at);
                int delay = step == delayedHop || (delayed && rnd.nextInt(4) == 0) ? 50 + rnd.nextInt(451) : 0;
                route.add(new Hop(addresses.get(at), delay));
                expect(c, step, addresses.get(at), value);
            }
            commands.add(new Command(c, start, new ChaosMessage(Kind.HOP, c, 0, value, route)));
        }

        /** A burst: 5 to 24 distinct addresses at once (a few of them delayed), to fill inboxes to overflowing. */
        void addFanOut(long c, long value, String start) {
            List<String> shuffled = new ArrayList<>(addresses);
            Collections.shuffle(shuffled, rnd);
            List<Hop> targets = new ArrayList<>();
            expect(c, 0, start, value);
            for (String code : shuffled.subList(0, Math.min(shuffled.size(), 5 + rnd.nextInt(20)))) {
                targets.add(new Hop(code, rnd.nextInt(8) == 0 ? 50 + rnd.nextInt(451) : 0));
                expect(c, 1, code, value);
            }
            commands.add(new Command(c, start, new ChaosMessage(Kind.FANOUT, c, 0, value, targets)));
        }

        /** A delayed message scheduled and cancelled again: two effects at {@code start}, the victim's never. */
        void addCancel(long c, long value, String start) {
            commands.add(new Command(c, start, ChaosMessage.of(Kind.CANCEL, c, 0, value)));
            expect(c, 0, start, value);
            expect(c, 1, start, value);
        }

        /** Mostly another partition (cross-partition channels are what snapshots must get right), sometimes self. */
        private int nextHop(int from) {
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

        private void expect(long command, int step, String code, long value) {
            effects.merge(ChaosFunction.effectRecord(command, step, code), 1, Integer::sum);
            state.put(code, state.get(code).apply(command, step, value));
        }
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
