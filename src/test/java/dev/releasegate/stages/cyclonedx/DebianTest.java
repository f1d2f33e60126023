package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dpkg status records and DEP-5 copyright licences. */
class DebianTest {
  static final String LIBC6 = """
      Package: libc6
      Source: glibc
      Version: 2.36-9+deb12u14
      Architecture: amd64
      Multi-Arch: same
      Depends: libgcc-s1
      Description: GNU C Library: Shared libraries
       Contains the standard libraries that are used by nearly all programs on
       the system.
      """;

  @Test
  void statusRecordFieldsSourceAndRelations() {
    String status = """
        Package: libstdc++6
        Status: install ok installed
        Version: 12.2.0-14+deb12u1
        Architecture: amd64
        Source: gcc-12 (12.2.0-14)
        Pre-Depends: multiarch-support
        Depends: gcc-12-base (= 12.2.0-14+deb12u1), libc6 (>= 2.36), libgcc-s1 (>= 4.2) | libgcc1:amd64
        Provides: libstdc++-abi

        Package: removed-one
        Status: deinstall ok config-files
        Version: 1.0

        Package: no-version
        Status: install ok installed
        """;
    List<Dpkg.Package> packages = Dpkg.parse(status.getBytes(StandardCharsets.UTF_8));

    assertEquals(1, packages.size(), "a removed package and a record without version are not installed packages");
    Dpkg.Package stdcxx = packages.get(0);
    assertEquals("libstdc++6", stdcxx.name());
    assertEquals("12.2.0-14+deb12u1", stdcxx.version());
    assertEquals("amd64", stdcxx.architecture());
    assertEquals("gcc-12", stdcxx.source());
    assertEquals("12.2.0-14", stdcxx.sourceVersion(), "Source: NAME (VERSION) gives the source version");
    assertEquals(List.of(List.of("multiarch-support"), List.of("gcc-12-base"), List.of("libc6"), List.of("libgcc-s1", "libgcc1")),
        stdcxx.depends());
    assertEquals(List.of("libstdc++-abi"), stdcxx.provides());
  }

  @Test
  void statusDRecordWithoutStatusFieldIsInstalledAndSourceDefaultsToItself() {
    Dpkg.Package libc = Dpkg.parse(LIBC6.getBytes(StandardCharsets.UTF_8)).get(0);
    assertEquals("glibc", libc.source());
    assertEquals("2.36-9+deb12u14", libc.sourceVersion(), "without a version in Source:, the source version is the binary's");
    assertEquals("GNU C Library: Shared libraries", libc.description(), "the synopsis, not the long description");

    Dpkg.Package netbase = Dpkg.parse("Package: netbase\nVersion: 6.4\nArchitecture: all\n".getBytes(StandardCharsets.UTF_8)).get(0);
    assertEquals("netbase", netbase.source());
    assertEquals("6.4", netbase.sourceVersion());
  }

  @Test
  void machineReadableCopyrightGivesItsLicencesAsSpdxWherePlain() {
    String copyright = """
        Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
        Upstream-Name: example

        Files: *
        Copyright: 1999 Someone
        License: GPL-2+
         This program is free software; ...

        Files: lib/*
        Copyright: 2001 Other
        License: LGPL-2.1+ or BSD-3-clause

        Files: runtime/*
        License: GPL-3+ with GCC-Runtime-Library exception

        Files: debian/*
        License: Expat

        License: public-domain
         Stand-alone licence paragraph.
        """;
    List<String> names = DebianCopyright.licenses(copyright.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals(List.of("BSD-3-clause", "Expat", "GPL-2+", "GPL-3+ with GCC-Runtime-Library exception", "LGPL-2.1+", "public-domain"), names);

    assertEquals(Optional.of("GPL-2.0-or-later"), DebianCopyright.spdxId("GPL-2+"));
    assertEquals(Optional.of("GPL-2.0-only"), DebianCopyright.spdxId("GPL-2"));
    assertEquals(Optional.of("LGPL-2.1-or-later"), DebianCopyright.spdxId("LGPL-2.1+"));
    assertEquals(Optional.of("GPL-3.0-or-later"), DebianCopyright.spdxId("GPL-3.0+"), "not the deprecated SPDX id GPL-3.0+");
    assertEquals(Optional.of("BSD-3-Clause"), DebianCopyright.spdxId("BSD-3-clause"), "SPDX ids match without case");
    assertEquals(Optional.of("MIT"), DebianCopyright.spdxId("Expat"));
    assertEquals(Optional.of("Zlib"), DebianCopyright.spdxId("Zlib"));
    assertEquals(Optional.empty(), DebianCopyright.spdxId("GPL-3+ with GCC-Runtime-Library exception"));
    assertEquals(Optional.empty(), DebianCopyright.spdxId("public-domain"));
    assertEquals(Optional.empty(), DebianCopyright.spdxId("GPL-9+"), "a made-up version is no SPDX id");
  }

  @Test
  void freeFormCopyrightGivesNoLicence() {
    String prose = "This is Debian's prepackaged version of netbase.\n\nLicense: GPL-2 (see /usr/share/common-licenses/GPL-2)\n";
    assertTrue(DebianCopyright.licenses(prose.getBytes(StandardCharsets.UTF_8)).isEmpty(),
        "a License: line in a file without a Format: header is prose, not a claim");
  }
}
