package io.stator.runtime.internal;

import io.stator.ingress.IngressReader;
import io.stator.ingress.IngressRecordHandler;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;

/** A partition's input from the durable ingress log: the records of its own key groups, resumable by position. */
public final class IngressLogSource implements IngressSource {
    private final IngressReader reader;
    private final IngressRecordHandler toEnvelope = new IngressRecordHandler() {
        @Override
        public void onRecord(long position, int keyGroup, Address target, TypeName valueType, byte[] value) {
            IngressLogSource.this.onRecord(position, keyGroup, target, valueType, value);
        }

        @Override
        public void onDamaged(long position, byte[] document, int length, RuntimeException error) {
            IngressLogSource.this.onDamaged(position, document, length, error);
        }
    };
    private InputSink handler;
    private final long[] startByKeyGroup;
    private final boolean reportsDamage;

    /**
     * @param reader           the partition's reader, started at the lowest position any of its key groups needs
     * @param startByKeyGroup  per key group, the position before which its records were already processed (a
     *                         restored snapshot taken with another partition count), or null
     * @param reportsDamage    whether this partition reports documents that cannot be read ({@link
     *                         InputSink#damaged}): the one that owns key group 0, so each is reported once
     */
    public IngressLogSource(IngressReader reader, long[] startByKeyGroup, boolean reportsDamage) {
        this.reader = reader;
        this.startByKeyGroup = startByKeyGroup;
        this.reportsDamage = reportsDamage;
    }

    @Override
    public int poll(InputSink handler, int limit) {
        this.handler = handler;
        return reader.poll(toEnvelope, limit);
    }

    @Override
    public long position() {
        return reader.position();
    }

    @Override
    public List<Envelope> undelivered() {
        List<Envelope> rest = new ArrayList<>();
        for (IngressReader.UndeliveredRecord r : reader.undelivered()) {
            if (!processedBefore(r.position(), r.keyGroup())) {
                rest.add(new Envelope(r.keyGroup(), r.target(), null, r.valueType(), r.value()));
            }
        }
        return rest;
    }

    @Override
    public void close() {
        reader.close();
    }

    private boolean processedBefore(long position, int keyGroup) {
        return startByKeyGroup != null && position < startByKeyGroup[keyGroup];
    }

    private void onDamaged(long position, byte[] document, int length, RuntimeException error) {
        // The others skip it; so does the owner of key group 0 if it reported it before the snapshot it restored.
        if (reportsDamage && !processedBefore(position, 0)) {
            handler.damaged(position, document, length, error);
        }
    }

    private void onRecord(long position, int keyGroup, Address target, TypeName valueType, byte[] value) {
        if (processedBefore(position, keyGroup)) {
            return; // already processed before the snapshot, by the partition that owned this key group then
        }
        handler.accept(new Envelope(keyGroup, target, null, valueType, value));
    }
}
