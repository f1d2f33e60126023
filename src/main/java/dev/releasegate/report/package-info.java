/**
 * A bundle read for humans: the read model, per-stage checks, the JUnit view, the text and HTML report and
 * the copies of the bundle's files beside it. What a stage's predicate says comes from the stage's own
 * {@link dev.releasegate.spi.PredicateReader}; this package knows no stage. It may import {@code base},
 * {@code evidence} and {@code spi}.
 */
package dev.releasegate.report;
