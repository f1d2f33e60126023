/**
 * Waivers of scan findings and lint checks: the file, its validation, expiry, which applied, and their
 * table in the report. It may import {@code base}, {@code process} and {@code spi}.
 */
package dev.releasegate.waivers;
