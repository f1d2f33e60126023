/**
 * Subprocesses (commons-exec) in the bubblewrap sandbox: the project's commands, their output streamed,
 * redacted and kept, their deadline, their process tree. It may import {@code base} and {@code spi}.
 */
package dev.releasegate.process;
