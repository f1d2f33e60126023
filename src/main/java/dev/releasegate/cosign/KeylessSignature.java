package dev.releasegate.cosign;

import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A keyless signature over payload bytes in the form cosign stores it next to a {@code .sig} layer: the
 * DER signature, the Fulcio leaf certificate (PEM), the chain from its issuer to the root (PEM blocks),
 * and the legacy Rekor bundle. {@link CosignLayer#keylessSignature} turns it into annotations.
 *
 * @param signature DER ECDSA signature over the payload
 * @param certificatePem the leaf certificate, one PEM block
 * @param chainPem the issuing CA certificates, leaf's issuer first, root last
 * @param rekorBundle the log's promise to include the signature
 * @param sigstoreBundleJson the Sigstore bundle sigstore-java returned, which verifies offline on its own
 */
public record KeylessSignature(
    byte[] signature, String certificatePem, String chainPem, RekorBundle rekorBundle, String sigstoreBundleJson) {
  public KeylessSignature {
    signature = signature.clone();
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(chainPem, "chainPem");
    Objects.requireNonNull(rekorBundle, "rekorBundle");
    Objects.requireNonNull(sigstoreBundleJson, "sigstoreBundleJson");
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * Converts what sigstore-java's {@code KeylessSigner} returns: a bundle with a message signature, the
   * leaf certificate (sigstore-java trims the trusted parents) and a Rekor v1 entry. The chain comes
   * from the Fulcio CA of {@code trustedRoot} that issued the leaf, because cosign puts it beside the
   * certificate and v0.3 bundles no longer carry it.
   *
   * @throws IOException if the bundle lacks a piece cosign's format needs (names the piece)
   */
  public static KeylessSignature fromBundle(Bundle bundle, SigstoreTrustedRoot trustedRoot) throws IOException {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    if (bundle.getMessageSignature().isEmpty()) {
      throw new IOException("sigstore bundle has no message signature");
    }
    byte[] signature = bundle.getMessageSignature().get().getSignature();
    if (bundle.getCertPath() == null || bundle.getCertPath().getCertificates().isEmpty()) {
      throw new IOException("sigstore bundle has no certificate");
    }
    X509Certificate leaf = Certificates.getLeaf(bundle.getCertPath());
    try {
      return new KeylessSignature(signature, PemBlocks.encode("CERTIFICATE", leaf.getEncoded()), chainPem(leaf, bundle, trustedRoot),
          rekorBundle(bundle), bundle.toJson());
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the signing certificate", e);
    }
  }

  /**
   * The certificate and Rekor bundle annotations cosign puts on a keyless attestation layer, from the
   * Sigstore bundle of the envelope's signature. The chain annotation is left out, as cosign allows:
   * verifiers complete the path from their trusted root.
   *
   * @throws IOException if the bundle is not a keyless Sigstore bundle with a Rekor v1 entry
   */
  public static Map<String, String> attestationAnnotations(String sigstoreBundleJson) throws IOException {
    Bundle bundle = keyless(sigstoreBundleJson);
    try {
      return Map.of(
          CosignLayer.CERTIFICATE_ANNOTATION, PemBlocks.encode("CERTIFICATE", Certificates.getLeaf(bundle.getCertPath()).getEncoded()),
          CosignLayer.BUNDLE_ANNOTATION, rekorBundle(bundle).toAnnotation());
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the signing certificate", e);
    }
  }

  /** The Fulcio leaf certificate of a keyless Sigstore bundle. */
  public static X509Certificate signingCertificate(String sigstoreBundleJson) throws IOException {
    return Certificates.getLeaf(keyless(sigstoreBundleJson).getCertPath());
  }

  private static Bundle keyless(String sigstoreBundleJson) throws IOException {
    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(sigstoreBundleJson));
    } catch (BundleParseException | RuntimeException e) {
      throw new IOException("not a Sigstore bundle: " + e.getMessage(), e);
    }
    if (bundle.getCertPath() == null || bundle.getCertPath().getCertificates().isEmpty()) {
      throw new IOException("sigstore bundle has no certificate");
    }
    return bundle;
  }

  private static RekorBundle rekorBundle(Bundle bundle) throws IOException {
    if (bundle.getEntries().isEmpty()) {
      throw new IOException("sigstore bundle has no transparency log entry");
    }
    RekorEntry entry = bundle.getEntries().get(0);
    String set = entry.getVerification() == null ? null : entry.getVerification().getSignedEntryTimestamp();
    if (set == null || set.isEmpty()) {
      throw new IOException("transparency log entry has no signed entry timestamp (a Rekor v2 entry cannot be stored as a cosign bundle annotation)");
    }
    return new RekorBundle(Base64.getDecoder().decode(set), entry.getBody(), entry.getIntegratedTime(), entry.getLogIndex(), entry.getLogID());
  }

  private static String chainPem(X509Certificate leaf, Bundle bundle, SigstoreTrustedRoot trustedRoot)
      throws IOException, CertificateEncodingException {
    List<? extends Certificate> path = bundle.getCertPath().getCertificates();
    List<Certificate> chain = new ArrayList<>();
    if (path.size() > 1) {
      chain.addAll(path.subList(1, path.size()));
    } else {
      chain.addAll(issuingCa(leaf, trustedRoot));
    }
    StringBuilder pem = new StringBuilder();
    for (Certificate certificate : chain) {
      pem.append(PemBlocks.encode("CERTIFICATE", certificate.getEncoded()));
    }
    return pem.toString();
  }

  private static List<? extends Certificate> issuingCa(X509Certificate leaf, SigstoreTrustedRoot trustedRoot) throws IOException {
    for (CertificateAuthority ca : trustedRoot.getCAs()) {
      List<? extends Certificate> caPath = ca.getCertPath().getCertificates();
      if (caPath.isEmpty() || !(caPath.get(0) instanceof X509Certificate issuer)) {
        continue;
      }
      if (!issuer.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(issuer.getPublicKey());
        return caPath;
      } catch (Exception e) {
        // Same name, other key: an older CA generation. Keep looking.
      }
    }
    throw new IOException("no certificate authority in the trusted root issued the signing certificate");
  }
}
