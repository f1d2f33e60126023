/**
 * The {@code exec} stage: a command of the project's, with its outputs' digests recorded. It may import
 * what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.exec;
