/**
 * A bundle read for humans: the read model, per-stage checks, the JUnit view, the text and HTML report and
 * the copies of the bundle's files beside it. It may import {@code base} and {@code evidence}.
 */
package dev.releasegate.report;
