package io.stator.runtime.internal;

import java.util.List;

/**
 * In-process sends and the durable ingress log, read together. The position is the log's: in-process input is
 * not durable.
 */
public final class CompositeIngress implements IngressSource {
    private final IngressSource inProcess;
    private final IngressSource log;

    public CompositeIngress(IngressSource inProcess, IngressSource log) {
        this.inProcess = inProcess;
        this.log = log;
    }

    @Override
    public int poll(InputSink handler, int limit) {
        int n = inProcess.poll(handler, limit);
        return n < limit ? n + log.poll(handler, limit - n) : n;
    }

    @Override
    public long position() {
        return log.position();
    }

    @Override
    public List<Envelope> undelivered() {
        return log.undelivered();
    }

    @Override
    public void close() {
        inProcess.close();
        log.close();
    }
}
