package io.stator.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.chaos.ChaosMessage.Hop;
import io.stator.chaos.ChaosMessage.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan's bookkeeping and the message format the chaos functions speak. */
class ChaosPlanTest {
    @Test
    void theSameSeedGivesTheSamePlan() {
        ChaosPlan a = ChaosPlan.generate(7, 500, 16, 3, 128);
        ChaosPlan b = ChaosPlan.generate(7, 500, 16, 3, 128);
        assertEquals(a.commands(), b.commands());
        assertEquals(a.expectedState(), b.expectedState());
        assertNotEquals(a.commands(), ChaosPlan.generate(8, 500, 16, 3, 128).commands());
    }

    @Test
    void expectedStateAddsUpEveryExpectedEffect() {
        ChaosPlan plan = ChaosPlan.generate(3, 1000, 8, 2, 128);
        long effects = plan.expectedState().values().stream().mapToLong(AddressState::count).sum();
        assertEquals(plan.expectedEffectCount(), effects);
        assertEquals(16, plan.expectedState().size(), "every address, touched or not");
        for (int count : plan.expectedEffects().values()) {
            assertEquals(1, count, "each effect record is unique: command, step and address");
        }
    }

    @Test
    void messagesSurviveTheirTextForm() {
        ChaosMessage m = new ChaosMessage(Kind.HOP, 42, 1, 17, List.of(new Hop("r3", 0), new Hop("e9", 250)));
        assertEquals("H|42|1|17|r3@0,e9@250", m.encode());
        assertEquals(m, ChaosMessage.decode(m.encode()));
        assertEquals(new ChaosMessage(Kind.HOP, 42, 2, 17, List.of(new Hop("e9", 250))), m.next());
        assertEquals(ChaosMessage.of(Kind.REPORT, 0, 0, 0), ChaosMessage.decode("R|0|0|0|"));
        assertThrows(IllegalArgumentException.class, () -> ChaosMessage.decode("H|x|0|0|"));
    }

    @Test
    void theVerifierCountsLostDuplicatedAndWrongState() {
        ChaosPlan plan = ChaosPlan.generate(5, 50, 4, 2, 128);
        String first = plan.expectedEffects().keySet().iterator().next();
        Map<String, Integer> seen = new java.util.HashMap<>(plan.expectedEffects());
        seen.remove(first);
        seen.put("999:0:e0", 2);
        List<String> reports = plan.expectedState().entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().count() + ":" + e.getValue().sum() + ":"
                        + e.getValue().fingerprint()).toList();
        ChaosResult r = new ChaosVerifier(plan).verify(5, 0, seen, reports, List.of());
        assertEquals(1, r.lost());
        assertEquals(2, r.duplicated());
        assertEquals(0, r.stateMismatches());
        ChaosResult wrong = new ChaosVerifier(plan).verify(5, 0, plan.expectedEffects(), reports.subList(1, reports.size()),
                List.of(ChaosMessage.of(Kind.VICTIM, 0, ChaosFunction.VICTIM_STEP, 1)));
        assertEquals(plan.commands().get(0).target().equals(reports.get(0).split(":")[0]) ? 1 : 2,
                wrong.stateMismatches());
        assertEquals("chaos seed=5 kills=0 msgs=50 lost=0 duplicated=0 state_mismatches=" + wrong.stateMismatches()
                + " ok=false", wrong.line());
    }
}
