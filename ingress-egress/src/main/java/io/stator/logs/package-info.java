/** Settings and errors shared by the ingress and egress logs. */
package io.stator.logs;
