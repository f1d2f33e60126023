/**
 * What a release reports: its events as it runs ({@link dev.releasegate.api.run.ReleaseEvent}, to a
 * {@link dev.releasegate.api.run.ReleaseListener}) and its result. Part of the public surface, but below
 * the facade: the runner in {@code pipeline} produces these, and the facade hands them out. It may import
 * {@code base}, {@code evidence} and {@code publish}.
 */
package dev.releasegate.api.run;
