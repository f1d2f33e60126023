/**
 * The command line: one picocli {@code Callable<Integer>} per subcommand. Exit codes, advice that names
 * flags, and everything printed are decided here and only here. It may import any package.
 */
package dev.releasegate.cli;
