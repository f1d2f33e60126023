/**
 * The stage SPI: {@link dev.releasegate.spi.StageFactory} and {@link dev.releasegate.spi.Stage}, the context a
 * stage runs in, its options and their schema, its outputs and result, and how its predicate reads back
 * in the report ({@link dev.releasegate.spi.PredicateReader}). Plug-ins compile against this and
 * {@code base} alone, and it imports only {@code base}.
 */
package dev.releasegate.spi;
