package io.stator.remote.client;

/**
 * An invocation the dispatcher holds (in flight or queued) with its key group: what a snapshot records so that
 * recovery can invoke it again, as StateFun re-sends requests that were in flight at a checkpoint.
 *
 * @param keyGroup   the key group of the invocation's target
 * @param invocation the invocation
 */
public record PendingRemoteInvocation(int keyGroup, RemoteInvocation invocation) {
}
