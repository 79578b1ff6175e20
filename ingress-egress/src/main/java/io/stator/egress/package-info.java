/**
 * The egress: one durable log per egress with epoch commit and abort markers
 * ({@link io.stator.egress.EgressLog}, {@link io.stator.egress.EgressLogs}), batches that write many records as one
 * document ({@link io.stator.egress.EgressBatch}), read-committed and read-uncommitted
 * readers ({@link io.stator.egress.EgressReader}), the HTTP and server-sent-event endpoints
 * ({@link io.stator.egress.EgressHttpHandler}) and the {@code tail} CLI command.
 */
package io.stator.egress;
