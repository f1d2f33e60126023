/**
 * The {@code test} stage: the project's tests, judged by their exit code and by this run's JUnit reports.
 * It may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.test;
