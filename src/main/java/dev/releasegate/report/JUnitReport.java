package dev.releasegate.report;

import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Messages;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.StageCheck;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A bundle as JUnit XML in the Ant/Surefire format that Jenkins' {@code junit} step, GitLab and GitHub
 * test reporters read: one {@code <testsuite>} per stage, one {@code <testcase>} per {@link StageCheck}. A
 * failed check is a {@code <failure>} whose text says what to do; a skipped stage or check is
 * {@code <skipped>}; a warned check passes with the warning in its {@code <system-out>}.
 *
 * <p>Every value comes from the bundle and is escaped by the XML writer; characters XML 1.0 cannot
 * carry at all are replaced ({@link Escape#xmlChars}), so the document is well-formed whatever the
 * bundle holds.
 */
public final class JUnitReport {
  private static final String INDENT = "\n    ";

  private JUnitReport() {}

  /** The JUnit XML of {@code view}, as UTF-8 bytes, each stage's checks as {@code readers} derive them. */
  public static byte[] write(EvidenceView view, StageReaders readers) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      attribute(xml, "name", "releasegate");
      List<Suite> suites = view.stages().stream().map(stage -> new Suite(stage, StageChecks.of(stage, readers))).toList();
      counts(xml, suites.stream().mapToInt(Suite::tests).sum(), suites.stream().mapToInt(Suite::failures).sum(),
          suites.stream().mapToInt(Suite::skipped).sum(), suites.stream().mapToLong(suite -> suite.stage().entry().durationMs()).sum());
      for (Suite suite : suites) {
        xml.writeCharacters("\n  ");
        suite(xml, view, suite);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      // Writing to memory with escaped, cleaned text cannot fail; this is a bug if it does.
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  private record Suite(StageView stage, List<StageCheck> checks) {
    int tests() {
      return checks.size();
    }

    int failures() {
      return count(StageCheck.Status.FAILED);
    }

    int skipped() {
      return count(StageCheck.Status.SKIPPED);
    }

    private int count(StageCheck.Status status) {
      return (int) checks.stream().filter(check -> check.status() == status).count();
    }
  }

  private static void suite(XMLStreamWriter xml, EvidenceView view, Suite suite) throws XMLStreamException {
    StageView stage = suite.stage();
    xml.writeStartElement("testsuite");
    attribute(xml, "name", stage.name());
    counts(xml, suite.tests(), suite.failures(), suite.skipped(), stage.entry().durationMs());
    xml.writeCharacters(INDENT);
    xml.writeStartElement("properties");
    property(xml, "releasegate.stage.type", stage.entry().type());
    property(xml, "releasegate.stage.status", stage.entry().status().id());
    if (stage.entry().reason().isPresent()) {
      property(xml, "releasegate.stage.reason", stage.entry().reason().get());
    }
    if (stage.entry().predicateType().isPresent()) {
      property(xml, "releasegate.stage.predicateType", stage.entry().predicateType().get());
    }
    if (view.imageReference().isPresent()) {
      property(xml, "releasegate.image", view.imageReference().get());
    }
    if (view.git().commit().isPresent()) {
      property(xml, "releasegate.commit", view.git().commit().get());
    }
    property(xml, "releasegate.release.status", view.status());
    xml.writeCharacters(INDENT);
    xml.writeEndElement();
    for (int i = 0; i < suite.checks().size(); i++) {
      // The stage's time goes to its last check (the decision, summary or gate); the others took none of their own.
      boolean last = i == suite.checks().size() - 1;
      xml.writeCharacters(INDENT);
      testcase(xml, stage, suite.checks().get(i), last ? stage.entry().durationMs() : 0);
    }
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  private static void testcase(XMLStreamWriter xml, StageView stage, StageCheck check, long millis) throws XMLStreamException {
    xml.writeStartElement("testcase");
    attribute(xml, "classname", "releasegate." + stage.name());
    attribute(xml, "name", check.name());
    attribute(xml, "time", seconds(millis));
    switch (check.status()) {
      case FAILED -> {
        xml.writeStartElement("failure");
        attribute(xml, "message", Messages.firstLine(check.message())); // the element's text has the rest
        attribute(xml, "type", "releasegate." + stage.entry().failure().map(FailureKind::id).orElse("failed"));
        text(xml, check.message() + "\n\nWhat to do: " + check.fix().orElseThrow()
            + stage.entry().reason().map(reason -> "\nStage " + stage.name() + ": " + reason).orElse(""));
        xml.writeEndElement();
      }
      case SKIPPED -> {
        xml.writeEmptyElement("skipped");
        attribute(xml, "message", Messages.firstLine(check.message())); // the element's text has the rest
      }
      case WARNED -> {
        xml.writeStartElement("system-out");
        text(xml, "warning: " + check.message() + check.fix().map(fix -> "\nWhat to do: " + fix).orElse(""));
        xml.writeEndElement();
      }
      case PASSED -> {
        // A passing test case has no children.
      }
      default -> throw new IllegalStateException("unknown status " + check.status());
    }
    xml.writeEndElement();
  }

  private static void counts(XMLStreamWriter xml, int tests, int failures, int skipped, long millis) throws XMLStreamException {
    attribute(xml, "tests", Integer.toString(tests));
    attribute(xml, "failures", Integer.toString(failures));
    attribute(xml, "errors", "0");
    attribute(xml, "skipped", Integer.toString(skipped));
    attribute(xml, "time", seconds(millis));
  }

  private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeCharacters(INDENT + "  ");
    xml.writeEmptyElement("property");
    attribute(xml, "name", name);
    attribute(xml, "value", value);
  }

  private static void attribute(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeAttribute(name, Escape.xmlChars(value));
  }

  private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
    xml.writeCharacters(Escape.xmlChars(value));
  }

  /** Seconds with millisecond precision, as Surefire writes them. */
  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", Math.max(0, millis) / 1000.0);
  }
}
