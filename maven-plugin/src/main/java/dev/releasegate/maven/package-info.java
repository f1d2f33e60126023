/**
 * The Maven plug-in: the goal {@code releasegate:release} runs the project's releasegate pipeline through
 * the library's facade ({@code dev.releasegate.api}), made of what the build that runs it compiled and
 * tested. What the build log says and how a verdict fails the build are decided here.
 */
package dev.releasegate.maven;
