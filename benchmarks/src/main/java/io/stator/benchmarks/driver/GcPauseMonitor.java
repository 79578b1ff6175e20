package io.stator.benchmarks.driver;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The longest garbage-collection pause while it is open, from the JVM's GC notifications. Collections that run
 * concurrently with the application (ZGC or Shenandoah cycles, G1's concurrent cycle) are not pauses and are left
 * out; on G1 and Parallel every notified collection is a stop-the-world pause.
 */
final class GcPauseMonitor implements AutoCloseable {
    private final AtomicLong maxPauseMillis = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;

    private GcPauseMonitor() {
    }

    /** @return a monitor listening to every collector that sends notifications */
    static GcPauseMonitor start() {
        GcPauseMonitor monitor = new GcPauseMonitor();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(monitor.listener, null, null);
                monitor.emitters.add(emitter);
            }
        }
        return monitor;
    }

    /** @return the longest pause seen so far, in milliseconds */
    long maxPauseMillis() {
        return maxPauseMillis.get();
    }

    /** Stops listening. */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone: nothing to undo
            }
        }
        emitters.clear();
    }

    private void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        String what = (info.getGcName() + " " + info.getGcAction()).toLowerCase(Locale.ROOT);
        if (what.contains("concurrent") || what.contains("cycles")) {
            return;
        }
        maxPauseMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
    }
}
