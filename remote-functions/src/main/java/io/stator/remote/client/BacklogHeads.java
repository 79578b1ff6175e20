package io.stator.remote.client;

/**
 * Where each address's held invocations start, at one moment: see {@link RemoteDispatcher#backlogHeads()}.
 *
 * @param oldestSequences for each address holding invocations, the {@link RemoteInvocation#sequence()} of its
 *                        oldest, in no particular order
 * @param held            how many invocations all addresses hold, in flight and queued
 */
public record BacklogHeads(long[] oldestSequences, long held) {
}
