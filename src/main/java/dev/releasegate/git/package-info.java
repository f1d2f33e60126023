/**
 * Git facts of the commit being released (JGit): commit, time, tag, source remote without credentials,
 * dirty paths. It may import {@code base} and {@code spi}.
 */
package dev.releasegate.git;
