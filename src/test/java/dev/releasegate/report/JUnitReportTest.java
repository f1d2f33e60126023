package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JUnit XML of real bundles, read back by a real consumer: Maven Surefire's report parser (what
 * maven-surefire-report-plugin reads {@code TEST-*.xml} with), plus a strict DOM parse for
 * well-formedness and exact text.
 */
class JUnitReportTest {
  @TempDir static Path shared;
  static Path signer;
  static Path testRejected;
  static Path scanRejected;
  static Path released;

  @TempDir Path work;

  @BeforeAll
  static void bundles() {
    signer = TestKeys.write(shared, "signer");
    testRejected = Bundles.testRejected(shared, signer);
    scanRejected = Bundles.scanRejected(shared, signer);
    released = Bundles.scanReleased(shared, signer);
  }

  @Test
  void rejectedTestRunReadsBackWithItsFailuresAndSkips() throws Exception {
    Map<String, ReportTestSuite> suites = surefire(JUnitReport.write(EvidenceView.read(testRejected), Releasegate.stageReaders()));

    assertEquals(List.of("test", "build", "shout"), List.copyOf(suites.keySet()));
    ReportTestSuite test = suites.get("test");
    assertEquals(4, test.getNumberOfTests());
    assertEquals(2, test.getNumberOfFailures());
    assertEquals(1, test.getNumberOfSkipped());
    assertEquals(0, test.getNumberOfErrors());
    ReportTestCase failed = test.getTestCases().get(0);
    assertEquals("com.acme.GreeterTest#escapes <b>&\"quotes\"", failed.getName());
    assertEquals("releasegate.test", failed.getFullClassName());
    assertTrue(failed.hasFailure());
    assertEquals("failed", failed.getFailureMessage());
    assertEquals("releasegate.rejected", failed.getFailureType());
    assertEquals("failed\n\nWhat to do: make this test pass, then release again; its report is under artifacts/test/reports/\n"
        + "Stage test: test command exited with 1 (1 failed test)", failed.getFailureDetail());
    assertTrue(test.getTestCases().get(1).hasSkipped());
    assertTrue(test.getTestCases().get(2).isSuccessful());
    ReportTestCase summary = test.getTestCases().get(3);
    assertEquals("summary", summary.getName());
    assertTrue(summary.hasFailure());

    for (String notRun : List.of("build", "shout")) {
      ReportTestSuite suite = suites.get(notRun);
      assertEquals(1, suite.getNumberOfTests());
      assertEquals(1, suite.getNumberOfSkipped());
      assertEquals(0, suite.getNumberOfFailures());
      assertEquals(notRun, suite.getTestCases().get(0).getName());
      assertTrue(suite.getTestCases().get(0).hasSkipped());
    }
  }

  @Test
  void rejectedScanFailsOnItsBlockingFindingAndGate() throws Exception {
    ReportTestSuite scan = surefire(JUnitReport.write(EvidenceView.read(scanRejected), Releasegate.stageReaders())).get("scan");

    assertEquals(4, scan.getNumberOfTests());
    assertEquals(2, scan.getNumberOfFailures());
    ReportTestCase finding = scan.getTestCases().get(0);
    assertEquals("CVE-2019-14697 musl 1.1.20-r4", finding.getName());
    assertEquals("CRITICAL CVE-2019-14697 in musl 1.1.20-r4 (testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4))", finding.getFailureMessage());
    assertTrue(finding.getFailureDetail().contains("What to do: upgrade musl to 1.1.20-r5 or later"), finding.getFailureDetail());
    assertEquals("scan gate", scan.getTestCases().get(3).getName());
    assertTrue(scan.getTestCases().get(1).isSuccessful(), "a waived finding passes, with a warning");
  }

  @Test
  void releasedRunHasNoFailures() throws Exception {
    Map<String, ReportTestSuite> suites = surefire(JUnitReport.write(EvidenceView.read(released), Releasegate.stageReaders()));

    assertEquals(List.of("test", "build", "scan", "shout"), List.copyOf(suites.keySet()));
    suites.values().forEach(suite -> assertEquals(0, suite.getNumberOfFailures() + suite.getNumberOfErrors(), suite.getName()));
    assertEquals(3, suites.get("test").getNumberOfTests(), "two tests and the summary");
    assertEquals(List.of("waiver CVE-2019-18224 (libidn2-0)", "scan gate"),
        suites.get("scan").getTestCases().stream().map(ReportTestCase::getName).toList());
    assertEquals(List.of("loudness"), suites.get("shout").getTestCases().stream().map(ReportTestCase::getName).toList(),
        "a plug-in stage's checks come from its own reader");
  }

  @Test
  void countsOnTheRootAddUpAndTheStageTimeIsKept() throws Exception {
    Document document = dom(JUnitReport.write(EvidenceView.read(testRejected), Releasegate.stageReaders()));
    Element root = document.getDocumentElement();

    assertEquals("testsuites", root.getTagName());
    assertEquals("6", root.getAttribute("tests"));
    assertEquals("2", root.getAttribute("failures"));
    assertEquals("3", root.getAttribute("skipped"));
    Element test = (Element) root.getElementsByTagName("testsuite").item(0);
    assertEquals(test.getAttribute("time"), ((Element) test.getElementsByTagName("testcase").item(3)).getAttribute("time"),
        "the stage's time is on its last check");
    assertEquals("failed", property(test, "releasegate.stage.status"));
    assertEquals("rejected", property(test, "releasegate.release.status"));
  }

  @Test
  void everyCharacterFromTheBundleIsEscapedOrReplaced() throws Exception {
    String hostile = "<script>alert(1)</script> ]]> & \"quoted\" 'single' \u0001bell\u001b[31m \uD800 é 😀";
    Path bundle = Bundles.fullPipeline(work.resolve("hostile"), signer, predicate -> {
      if (predicate.has("linter")) {
        ((ObjectNode) predicate.get("checks").get(0)).put("result", "fail").put("measured", hostile).put("check", hostile);
      }
      return predicate;
    });

    byte[] xml = JUnitReport.write(EvidenceView.read(bundle), Releasegate.stageReaders());

    Document document = dom(xml);
    Element failure = (Element) document.getElementsByTagName("failure").item(0);
    String expected = "<script>alert(1)</script> ]]> & \"quoted\" 'single' \uFFFDbell\uFFFD[31m \uFFFD é 😀";
    assertEquals(expected, failure.getAttribute("message"));
    assertTrue(failure.getTextContent().startsWith(expected + "\n\nWhat to do: set a numeric non-root user"), failure.getTextContent());
    assertEquals("RG-IMG-001 " + expected, ((Element) failure.getParentNode()).getAttribute("name"));
    ReportTestCase parsed = surefire(xml).get("lint").getTestCases().get(0);
    assertEquals(expected, parsed.getFailureMessage());
  }


  private Map<String, ReportTestSuite> surefire(byte[] xml) throws Exception {
    Path file = Files.createTempFile(work, "TEST-releasegate", ".xml");
    Files.write(file, xml);
    TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
    List<ReportTestSuite> suites = parser.parse(file.toString());
    assertTrue(parser.isValid(), "Surefire's parser accepts the file");
    // Surefire (like Jenkins) groups test cases by class name: each stage's cases form the suite
    // "releasegate.STAGE", counted by the parser from the cases it read.
    return suites.stream()
        .filter(suite -> !suite.getTestCases().isEmpty())
        .collect(Collectors.toMap(suite -> suite.getFullClassName().substring("releasegate.".length()), Function.identity(),
            (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private static Document dom(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  private static String property(Element suite, String name) {
    NodeList properties = suite.getElementsByTagName("property");
    for (int i = 0; i < properties.getLength(); i++) {
      Element property = (Element) properties.item(i);
      if (property.getAttribute("name").equals(name)) {
        return property.getAttribute("value");
      }
    }
    return null;
  }
}
