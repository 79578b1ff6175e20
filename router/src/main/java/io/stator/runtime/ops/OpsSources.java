package io.stator.runtime.ops;

import io.stator.egress.EgressLogs;
import io.stator.ingress.IngressLog;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import java.util.Objects;

/**
 * What the ops endpoints read: the runtime, and (on a node) its ingress log and egress logs. Everything they
 * call on these is safe from any thread.
 *
 * @param stator            the runtime
 * @param ingressLogOrNull  the durable ingress log, or null for a runtime fed only through {@link Stator#send}
 * @param egressLogsOrNull  the egress logs, or null for a runtime with another egress sink
 * @param nodeOrNull        the node, for savepoints it writes to its data folder; null for a bare runtime
 */
public record OpsSources(Stator stator, IngressLog ingressLogOrNull, EgressLogs egressLogsOrNull, StatorNode nodeOrNull) {
    /** Checks the runtime is given. */
    public OpsSources {
        Objects.requireNonNull(stator, "stator");
    }

    /** @return the sources of a node: its runtime, ingress log and egress logs */
    public static OpsSources of(StatorNode node) {
        return new OpsSources(node.stator(), node.ingressLog(), node.egressLogs(), node);
    }

    /** @return the sources of a bare runtime, without durable logs */
    public static OpsSources of(Stator stator) {
        return new OpsSources(stator, null, null, null);
    }
}
