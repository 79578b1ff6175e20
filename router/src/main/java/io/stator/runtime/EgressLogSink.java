package io.stator.runtime;

import io.stator.egress.EgressLog;
import io.stator.egress.EgressLogs;
import io.stator.sdk.EgressMessage;

/**
 * Egress records into durable egress logs (one Chronicle Queue per egress), stamped with their epoch; a commit
 * marks the epoch committed in every open log so read-committed readers see its records.
 */
public final class EgressLogSink implements EgressSink {
    private final EgressLogs logs;

    /** @param logs the egress logs; closed with this sink */
    public EgressLogSink(EgressLogs logs) {
        this.logs = logs;
    }

    @Override
    public void emit(long epoch, EgressMessage message) {
        logs.get(message.egressId()).append(epoch, message.valueTypeName(), message.rawValue());
    }

    @Override
    public void commit(long epoch) {
        for (EgressLog log : logs.openLogs()) {
            log.commit(epoch);
        }
    }

    /** @return the logs */
    public EgressLogs logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
    }
}
