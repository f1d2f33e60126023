/**
 * releasegate: a release-gate orchestrator. {@link dev.releasegate.ToolVersion} is the only class here: the version
 * string every layer records. The packages below it, from the bottom: {@code base}; {@code spi}; {@code sign},
 * {@code git}, {@code process}, {@code ci}; {@code evidence}, {@code registry}, {@code waivers}; {@code image},
 * {@code cosign}; {@code publish}, {@code promote}, {@code report}, the stages; {@code pipeline}; {@code api};
 * {@code cli}. {@code LayersTest} holds each to the imports it may make.
 */
package dev.releasegate;
