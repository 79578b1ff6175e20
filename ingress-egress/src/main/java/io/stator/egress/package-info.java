/**
 * The egress: one durable log per egress with epoch commit and abort markers
 * ({@link io.stator.egress.EgressLog}, {@link io.stator.egress.EgressLogs}), read-committed and read-uncommitted
 * readers ({@link io.stator.egress.EgressReader}), the HTTP and server-sent-event endpoints
 * ({@link io.stator.egress.EgressHttpHandler}) and the {@code tail} CLI command.
 */
package io.stator.egress;
