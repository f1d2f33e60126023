/**
 * Waivers of scan findings and lint checks: the file, its validation, expiry, and which applied. It may
 * import {@code base} and {@code process}.
 */
package dev.releasegate.waivers;
