package io.stator.remote.client;

/**
 * The outcome of one batch's HTTP call, handed from the HTTP callback thread to the partition thread through
 * the dispatcher's completion queue: a decoded reply, or the reason the batch failed.
 *
 * @param batch        the batch that was sent
 * @param replyOrNull  the decoded reply, or null on failure
 * @param errorOrNull  a one-line description of the failure, or null on success
 */
record Completion(InFlightBatch batch, RemoteReply replyOrNull, String errorOrNull) {
    static Completion replied(InFlightBatch batch, RemoteReply reply) {
        return new Completion(batch, reply, null);
    }

    static Completion failed(InFlightBatch batch, String error) {
        return new Completion(batch, null, error);
    }
}
