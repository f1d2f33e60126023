/**
 * The facade, and the only surface meant for programs that embed releasegate: {@link dev.releasegate.api.Releasegate}
 * (release, verify, promote, roll back, keys), its requests, results and events. It is the top of the
 * library: it may import every package but {@code cli}, and none imports it but {@code cli} (and, for the
 * release events and results it produces, {@code pipeline}: the last upward import left).
 */
package dev.releasegate.api;
