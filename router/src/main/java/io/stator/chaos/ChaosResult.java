package io.stator.chaos;

import java.util.List;

/**
 * The outcome of a chaos run: the one line it prints, and the details behind any non-zero count.
 *
 * @param seed            the plan's seed
 * @param kills           the SIGKILLs the node took
 * @param msgs            the commands sent
 * @param lost            expected effect records missing from the committed egress
 * @param duplicated      effect records seen more often than expected (including ones never expected)
 * @param stateMismatches addresses whose final state differs from what the commands imply
 * @param completed       whether the run got as far as verifying (false: it gave up, see details)
 * @param details         one line per problem found, for the error stream
 */
record ChaosResult(long seed, int kills, int msgs, long lost, long duplicated, long stateMismatches, boolean completed,
        List<String> details) {
    /** @return whether state and output were exactly-once */
    boolean ok() {
        return completed && lost == 0 && duplicated == 0 && stateMismatches == 0;
    }

    /** @return {@code chaos seed=S kills=K msgs=M lost=0 duplicated=0 state_mismatches=0 ok=true} */
    String line() {
        return "chaos seed=" + seed + " kills=" + kills + " msgs=" + msgs + " lost=" + lost + " duplicated=" + duplicated
                + " state_mismatches=" + stateMismatches + " ok=" + ok();
    }
}
