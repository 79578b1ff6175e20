/**
 * The ingress: the durable log every incoming record goes through ({@link io.stator.ingress.IngressLog}), the
 * per-partition readers the runtime polls ({@link io.stator.ingress.IngressReader}), the HTTP endpoint that
 * appends to it ({@link io.stator.ingress.IngressHttpHandler}) and the {@code send} CLI command.
 */
package io.stator.ingress;
