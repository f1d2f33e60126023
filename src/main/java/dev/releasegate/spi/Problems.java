package dev.releasegate.spi;

/** Collects validation problems; the validator knows where each option sits in the file. */
public interface Problems {

  /** A problem with the option at {@code path} (e.g. {@code "tags"} or {@code "probes[1].path"}). */
  void report(String path, String message);
}
