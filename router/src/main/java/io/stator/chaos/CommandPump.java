package io.stator.chaos;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A few sender threads that append the plan's commands through {@link IngressSender}, in id order of taking but
 * concurrently, each command only once the driver has released it; some go in small batches
 * ({@link #batchSizeAt}). Releasing commands a slice at a time over a life of the node keeps them flowing when
 * the kill comes.
 */
final class CommandPump implements AutoCloseable {
    private final List<ChaosPlan.Command> commands;
    private final IngressSender sender;
    private final long deadlineMillis;
    private final Semaphore released = new Semaphore(0);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final CountDownLatch done;
    private final ExecutorService threads;

    /**
     * Starts {@code threadCount} sender threads; they wait for {@link #release}.
     *
     * @param deadlineMillis when sending gives up (epoch milliseconds)
     */
    CommandPump(List<ChaosPlan.Command> commands, IngressSender sender, int threadCount, long deadlineMillis) {
        this.commands = commands;
        this.sender = sender;
        this.deadlineMillis = deadlineMillis;
        this.done = new CountDownLatch(threadCount);
        this.threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "chaos-sender");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threadCount; i++) {
            threads.execute(this::sendReleased);
        }
    }

    /** Lets {@code count} more commands go. */
    void release(int count) {
        released.release(count);
    }

    /**
     * Waits until every command was accepted by the ingress.
     *
     * @throws IllegalStateException if one could not be sent, or the deadline passed
     */
    void awaitAllAccepted() {
        try {
            if (!done.await(Math.max(1, deadlineMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the commands were not all accepted before the deadline");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending commands", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Stops the sender threads. */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    private void sendReleased() {
        try {
            while (true) {
                int i = next.get();
                if (i >= commands.size()) {
                    break;
                }
                int n = Math.min(batchSizeAt(i), commands.size() - i);
                if (!next.compareAndSet(i, i + n)) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    if (!awaitRelease()) {
                        throw new IllegalStateException("command " + (i + k) + " was never released to send");
                    }
                }
                if (n == 1) {
                    ChaosPlan.Command c = commands.get(i);
                    sender.send(c.target(), c.message(), "chaos-" + c.id(), deadlineMillis);
                } else {
                    List<ChaosPlan.Command> batch = commands.subList(i, i + n);
                    sender.sendBatch(batch, "chaos-batch-" + batch.get(0).id() + "-" + n, deadlineMillis);
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            done.countDown();
        }
    }

    /**
     * @return how many commands go together from index {@code i}: one in eight positions starts a batch of 2 to 5
     *     (through {@code POST /v1/ingress}), so that batches meet the kills too; the rest go one by one
     */
    static int batchSizeAt(int i) {
        return i % 8 == 3 ? 2 + (i / 8) % 4 : 1;
    }

    private boolean awaitRelease() {
        try {
            while (System.currentTimeMillis() < deadlineMillis) {
                if (released.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
