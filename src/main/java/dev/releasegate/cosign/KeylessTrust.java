package dev.releasegate.cosign;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Messages;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.sign.Ecdsa;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.fulcio.client.FulcioVerificationException;
import dev.sigstore.fulcio.client.FulcioVerifier;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Trusts keyless signatures in cosign's legacy layer form ({@code cosign verify --certificate-identity …
 * --certificate-oidc-issuer …}), offline against a {@code trusted_root.json}. Per signature:
 *
 * <ol>
 *   <li>the {@value CosignLayer#CERTIFICATE_ANNOTATION} (and the optional {@value CosignLayer#CHAIN_ANNOTATION})
 *       chain to a Fulcio CA of the trusted root, with a valid SCT from one of its CT logs
 *       (sigstore-java's {@code FulcioVerifier});
 *   <li>the certificate names the expected identity and OIDC issuer (each exactly, or matching an expression);
 *   <li>the signature verifies with the certificate's key;
 *   <li>the {@value CosignLayer#BUNDLE_ANNOTATION} is required: its SET verifies with a Rekor key of the
 *       trusted root, the certificate was valid at the integrated time (the short-lived certificate
 *       has long expired by now; the log's timestamp is what proves it was used in time), and the
 *       logged entry is this signature by this certificate: a {@code hashedrekord} of the signed bytes,
 *       or for an attestation a {@code dsse} entry of the envelope's payload, as cosign logs it.
 * </ol>
 *
 * sigstore-java's {@code KeylessVerifier} cannot be used for this: it takes only Sigstore bundles, and
 * requires an inclusion proof, which cosign's legacy annotation does not carry. It is used for the
 * Sigstore bundles that refer to an image ({@link #checkBundle}).
 */
public final class KeylessTrust implements SignatureTrust {
  private final FulcioVerifier fulcio;
  private final TransparencyLogKeys logs;
  private final KeylessIdentity identity;
  private final KeylessBundleVerifier bundles;

  private KeylessTrust(FulcioVerifier fulcio, TransparencyLogKeys logs, KeylessIdentity identity, KeylessBundleVerifier bundles) {
    this.fulcio = fulcio;
    this.logs = logs;
    this.identity = identity;
    this.bundles = bundles;
  }

  /** Trusts exactly the Fulcio CAs, CT logs and Rekor logs of this trusted root; a bad file is exit 2. */
  public static KeylessTrust fromTrustedRoot(Path trustedRoot, KeylessIdentity identity) {
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    Objects.requireNonNull(identity, "identity");
    if (!Files.isRegularFile(trustedRoot)) {
      throw new InvalidInputException(trustedRoot + ": no such file");
    }
    try {
      FulcioVerifier fulcio = FulcioVerifier.newFulcioVerifier(TrustedRootProvider.from(trustedRoot).get());
      return new KeylessTrust(fulcio, TransparencyLogKeys.fromTrustedRoot(trustedRoot), identity, KeylessBundleVerifier.fromTrustedRoot(trustedRoot));
    } catch (SigstoreConfigurationException | GeneralSecurityException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidInputException(trustedRoot + ": not a usable trusted root: " + cause.getMessage(), e);
    }
  }

  @Override
  public Outcome check(byte[] signed, byte[] signature, Map<String, String> annotations, Optional<DsseEnvelope> envelope) {
    String certificatePem = annotations.get(CosignLayer.CERTIFICATE_ANNOTATION);
    if (certificatePem == null) {
      return Outcome.failed("no " + CosignLayer.CERTIFICATE_ANNOTATION + " annotation (a keyless signature carries its certificate)");
    }
    List<X509Certificate> path;
    try {
      path = certificates(certificatePem, CosignLayer.CERTIFICATE_ANNOTATION);
      if (path.size() != 1) {
        return Outcome.failed(CosignLayer.CERTIFICATE_ANNOTATION + " holds " + path.size() + " certificates, not one");
      }
      path.addAll(certificates(annotations.getOrDefault(CosignLayer.CHAIN_ANNOTATION, ""), CosignLayer.CHAIN_ANNOTATION));
    } catch (IOException e) {
      return Outcome.failed(e.getMessage());
    }
    X509Certificate leaf = path.get(0);
    try {
      fulcio.verifySigningCertificate(CertificateFactory.getInstance("X.509").generateCertPath(path));
    } catch (FulcioVerificationException | IOException | CertificateException e) {
      return Outcome.failed("certificate is not trusted: " + Messages.firstLine(e));
    }
    Optional<String> signedBy = FulcioCertificates.identity(leaf);
    Optional<String> issuer = FulcioCertificates.issuer(leaf);
    if (!identity.matches(signedBy, issuer)) {
      return Outcome.failed("signed by " + signer(signedBy, issuer) + ", expected " + identity);
    }
    try {
      if (!Ecdsa.verify(leaf.getPublicKey(), signed, signature)) {
        return Outcome.failed("signature does not verify with the certificate's key");
      }
    } catch (IllegalArgumentException e) {
      return Outcome.failed("certificate key is not ECDSA P-256");
    }

    String bundleAnnotation = annotations.get(CosignLayer.BUNDLE_ANNOTATION);
    if (bundleAnnotation == null) {
      return Outcome.failed("no " + CosignLayer.BUNDLE_ANNOTATION + " annotation (a keyless signature needs its log entry)");
    }
    RekorBundle bundle;
    try {
      bundle = RekorBundle.parse(bundleAnnotation);
    } catch (IOException e) {
      return Outcome.failed(e.getMessage());
    }
    Optional<String> problem = RekorChecks.checkSet(logs, bundle);
    if (problem.isEmpty()) {
      Instant logged = Instant.ofEpochSecond(bundle.integratedTime());
      try {
        leaf.checkValidity(Date.from(logged));
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        problem = Optional.of("certificate was not valid when the entry was logged (" + logged + ")");
      }
    }
    if (problem.isEmpty()) {
      try {
        problem = RekorChecks.checkEntry(bundle.body(), signed, signature, leaf.getEncoded(), envelope);
      } catch (CertificateEncodingException e) {
        problem = Optional.of("cannot encode the certificate");
      }
    }
    return problem.isPresent()
        ? Outcome.failed("rekor bundle: " + problem.get())
        : Outcome.signedBy(signer(signedBy, issuer), OptionalLong.of(bundle.integratedTime()));
  }

  /** Sigstore bundles are verified whole by sigstore-java (chain, SCT, log entry with its proofs, timestamps). */
  @Override
  public Outcome checkBundle(SigstoreBundle bundle, String signedDigest) {
    if (!bundle.keyless()) {
      return Outcome.failed("signed with a key, not keylessly (no Fulcio certificate)");
    }
    KeylessVerification verification = bundles.verifyDigest(signedDigest, bundle.json(), identity);
    if (verification.problem().isPresent()) {
      return Outcome.failed(verification.problem().get());
    }
    return Outcome.signedBy(signer(verification.certificateIdentity(), verification.oidcIssuer()),
        bundle.logEntry().map(entry -> OptionalLong.of(entry.integratedTime())).orElse(OptionalLong.empty()));
  }

  /** Who signed, as a certificate names it: what was found, not what was expected. */
  private static String signer(Optional<String> identity, Optional<String> issuer) {
    return identity.orElse("(no identity)") + " (issuer " + issuer.orElse("unknown") + ")";
  }

  private static List<X509Certificate> certificates(String pem, String annotation) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemBlocks.Block block : PemBlocks.decode(pem)) {
        if (!block.type().equals("CERTIFICATE")) {
          throw new IOException(annotation + " holds a " + block.type() + " block, not a certificate");
        }
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      }
    } catch (IllegalArgumentException | CertificateException e) {
      throw new IOException(annotation + " is not a PEM certificate: " + e.getMessage());
    }
    return certificates;
  }
}
