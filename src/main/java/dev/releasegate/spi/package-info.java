/**
 * The stage SPI: {@link dev.releasegate.spi.StageFactory} and {@link dev.releasegate.spi.Stage}, the context a
 * stage runs in, its options and their schema, its outputs and result. Plug-ins compile against this and
 * {@code base} alone, and it imports only {@code base}.
 */
package dev.releasegate.spi;
