package io.stator.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what a chaos run left behind with what its plan implies: the committed effect records (each expected
 * one exactly once, nothing else), the reported state of every address, and the delayed messages still pending.
 */
final class ChaosVerifier {
    /** Details listed per kind of problem, at most. */
    private static final int MAX_DETAILS = 10;

    private final ChaosPlan plan;

    ChaosVerifier(ChaosPlan plan) {
        this.plan = plan;
    }

    /**
     * @param seed     the plan's seed, kills and msgs: echoed in the result
     * @param effects  how often each effect record was committed
     * @param reports  the committed report records, in log order
     * @param pending  the delayed messages pending in the newest snapshot after the run
     */
    ChaosResult verify(long seed, int kills, Map<String, Integer> effects, List<String> reports,
            List<ChaosMessage> pending) {
        List<String> details = new ArrayList<>();
        long lost = countLost(effects, details);
        long duplicated = countDuplicated(effects, details);
        Set<String> mismatched = new TreeSet<>(mismatchedStates(reports, details));
        for (ChaosMessage m : pending) {
            if (m.kind() == ChaosMessage.Kind.VICTIM) {
                String code = victimOwner(m.command());
                mismatched.add(code);
                details.add("address " + code + " still has the delayed message of command " + m.command()
                        + " that it cancelled");
            } else {
                details.add("a delayed message is still pending after the run: " + m.encode());
            }
        }
        return new ChaosResult(seed, kills, plan.commands().size(), lost, duplicated, mismatched.size(), true,
                List.copyOf(details));
    }

    private long countLost(Map<String, Integer> effects, List<String> details) {
        long lost = 0;
        int listed = 0;
        for (Map.Entry<String, Integer> e : plan.expectedEffects().entrySet()) {
            int missing = e.getValue() - effects.getOrDefault(e.getKey(), 0);
            if (missing > 0) {
                lost += missing;
                if (listed++ < MAX_DETAILS) {
                    details.add("lost: effect " + e.getKey() + " (command:step:address) never committed");
                }
            }
        }
        return lost;
    }

    private long countDuplicated(Map<String, Integer> effects, List<String> details) {
        long duplicated = 0;
        int listed = 0;
        for (Map.Entry<String, Integer> e : effects.entrySet()) {
            int extra = e.getValue() - plan.expectedEffects().getOrDefault(e.getKey(), 0);
            if (extra > 0) {
                duplicated += extra;
                if (listed++ < MAX_DETAILS) {
                    details.add("duplicated: effect " + e.getKey() + " committed " + e.getValue() + " times, expected "
                            + plan.expectedEffects().getOrDefault(e.getKey(), 0));
                }
            }
        }
        return duplicated;
    }

    /** @return the codes of addresses whose report is missing, repeated with another value, or wrong */
    private Set<String> mismatchedStates(List<String> reports, List<String> details) {
        Map<String, String> reported = new HashMap<>();
        Set<String> mismatched = new HashSet<>();
        for (String r : reports) {
            String code = r.substring(0, r.indexOf(':'));
            String before = reported.putIfAbsent(code, r);
            if (before != null && !before.equals(r)) {
                mismatched.add(code);
                details.add("state: address " + code + " reported twice, differently: " + before + " and " + r);
            }
        }
        int listed = 0;
        for (Map.Entry<String, AddressState> e : plan.expectedState().entrySet()) {
            String code = e.getKey();
            AddressState want = e.getValue();
            String line = reported.get(code);
            String expectedLine = code + ":" + want.count() + ":" + want.sum() + ":" + want.fingerprint();
            if (line == null || !line.equals(expectedLine)) {
                mismatched.add(code);
                if (listed++ < MAX_DETAILS) {
                    details.add("state: address " + code + " expected " + want + " but "
                            + (line == null ? "never reported" : "reported " + describe(line)));
                }
            }
        }
        return mismatched;
    }

    private String victimOwner(long command) {
        return plan.commands().get((int) command).target();
    }

    private static String describe(String reportLine) {
        String[] p = reportLine.split(":");
        return p.length == 4 ? new AddressState(Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])).toString()
                : reportLine;
    }
}
