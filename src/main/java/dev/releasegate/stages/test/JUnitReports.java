package dev.releasegate.stages.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Reads JUnit XML reports (the Ant format Surefire, Gradle and most runners write). */
final class JUnitReports {
  private JUnitReports() {}

  enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }

  record TestCase(String name, Outcome outcome) {}

  /** Streams the file; DTDs and external entities are refused, as reports come from the build under test. */
  static List<TestCase> read(Path report) throws IOException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    List<TestCase> cases = new ArrayList<>();
    boolean sawSuite = false;
    try (InputStream in = Files.newInputStream(report)) {
      XMLStreamReader xml = factory.createXMLStreamReader(in);
      String name = null;
      Outcome outcome = null;
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          switch (xml.getLocalName()) {
            case "testsuite", "testsuites" -> sawSuite = true;
            case "testcase" -> {
              String className = xml.getAttributeValue(null, "classname");
              String method = xml.getAttributeValue(null, "name");
              name = (className == null || className.isEmpty() ? "" : className + "#") + (method == null ? "?" : method);
              outcome = Outcome.PASSED;
            }
            case "failure", "error" -> {
              if (outcome != null) {
                outcome = Outcome.FAILED;
              }
            }
            case "skipped" -> {
              if (outcome == Outcome.PASSED) {
                outcome = Outcome.SKIPPED;
              }
            }
            default -> { }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT && "testcase".equals(xml.getLocalName())) {
          cases.add(new TestCase(name, outcome));
          name = null;
          outcome = null;
        }
      }
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("not well-formed XML: " + e.getMessage().lines().reduce((a, b) -> b).orElse(""), e);
    }
    if (!sawSuite) {
      throw new IOException("no <testsuite> element; not a JUnit XML report");
    }
    return cases;
  }
}
