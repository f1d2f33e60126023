/**
 * The facade, and the only surface meant for programs that embed releasegate: {@link dev.releasegate.api.Releasegate}
 * (release, verify, promote, roll back, keys), its requests and results; a release's events and result are in
 * {@link dev.releasegate.api.run}. It is the top of the library: it may import every package but {@code cli},
 * and none imports it but {@code cli}.
 */
package dev.releasegate.api;
