package dev.mailcore.internal.engine;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.utils.ECChecks;
import com.nimbusds.jose.jwk.Curve;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.ValidationException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM public keys organizations register and checks that each fits its algorithm
 * (ES256: EC P-256, ES384: EC P-384, RS256: RSA of at least 2048 bits). Parsing is the JDK's
 * ({@link KeyFactory} on the X.509 SubjectPublicKeyInfo); curve identification, the
 * point-on-curve check and the verifiers are nimbus-jose-jwt's. The usual mistakes (a private
 * key, a certificate, a PKCS#1 or OpenSSH public key) are named in the error with the command
 * that converts them. Error messages never echo the PEM. Thread-safe (stateless).
 */
final class PemPublicKeys {
  static final String FIELD = "publicKeyPem";
  static final int MIN_RSA_BITS = 2048;
  /** Larger moduli only make every verification slower; no real key needs more. */
  static final int MAX_RSA_BITS = 8192;
  private static final int MAX_PEM_LENGTH = 16 * 1024;
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]*)-----END PUBLIC KEY-----");

  private PemPublicKeys() {}

  /** A checked key: the JDK key, its canonical PEM, and a verifier for its algorithm. */
  record Checked(PublicKey key, String canonicalPem, JWSVerifier verifier) {}

  /**
   * Parses and checks a PEM public key for an algorithm.
   *
   * @param pem the text the organization registered
   * @param algorithm the algorithm it must fit
   * @return the key, its canonical PEM and a thread-safe verifier
   * @throws ValidationException naming what is wrong with the text or the key
   */
  static Checked parse(String pem, AuthKeyAlgorithm algorithm) {
    String text = pem.strip();
    if (text.length() > MAX_PEM_LENGTH) {
      throw invalid("is " + text.length() + " characters; a public key PEM is under "
          + MAX_PEM_LENGTH + " (give one -----BEGIN PUBLIC KEY----- block)");
    }
    List<String> labels = new ArrayList<>();
    for (Matcher m = BEGIN.matcher(text); m.find(); ) {
      labels.add(m.group(1));
    }
    if (labels.stream().anyMatch(l -> l.contains("PRIVATE KEY"))) {
      throw invalid("is a private key. Register only the public key (openssl pkey -in key.pem"
          + " -pubout) and keep the private key secret; if this private key was sent anywhere"
          + " it should not have been, replace it");
    }
    if (labels.stream().anyMatch(l -> l.contains("CERTIFICATE"))) {
      throw invalid("is a certificate, not a public key; extract its public key with"
          + " openssl x509 -in cert.pem -pubkey -noout");
    }
    if (labels.contains("RSA PUBLIC KEY")) {
      throw invalid("is a PKCS#1 RSA PUBLIC KEY; convert it to a PUBLIC KEY block with"
          + " openssl rsa -RSAPublicKey_in -in key.pem -pubout");
    }
    if (labels.isEmpty()) {
      throw invalid(text.startsWith("ssh-") || text.startsWith("ecdsa-")
          ? "is an OpenSSH public key; convert it with ssh-keygen -e -m PKCS8 -f key.pub"
          : "has no -----BEGIN PUBLIC KEY----- block; give the public key in PEM form, as"
              + " openssl pkey -pubout writes it");
    }
    if (labels.size() != 1 || !labels.get(0).equals("PUBLIC KEY")) {
      throw invalid("must hold exactly one -----BEGIN PUBLIC KEY----- block, found "
          + String.join(", ", labels.stream().map(l -> "BEGIN " + l).toList()));
    }
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw invalid("has a BEGIN PUBLIC KEY line but no matching END PUBLIC KEY line, or"
          + " characters other than base64 between them");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(1).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw invalid("holds invalid base64 between its BEGIN and END lines");
    }
    return check(decode(der), algorithm);
  }

  private static PublicKey decode(byte[] der) {
    for (String type : new String[] {"EC", "RSA"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this type; try the next
      }
    }
    throw invalid("is not an EC or RSA public key (its X.509 SubjectPublicKeyInfo could not be"
        + " read as either; Ed25519 and other key types are not supported)");
  }

  private static Checked check(PublicKey key, AuthKeyAlgorithm algorithm) {
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    try {
      if (key instanceof RSAPublicKey rsa) {
        int bits = rsa.getModulus().bitLength();
        if (algorithm != AuthKeyAlgorithm.RS256) {
          throw invalid("is an RSA key (" + bits + " bits), but " + algorithm
              + " needs an EC " + curveOf(algorithm) + " key; register an RSA key with RS256");
        }
        if (bits < MIN_RSA_BITS) {
          throw invalid("is an RSA key of " + bits + " bits; RS256 keys need at least "
              + MIN_RSA_BITS + " (generate one with openssl genpkey -algorithm RSA"
              + " -pkeyopt rsa_keygen_bits:2048)");
        }
        if (bits > MAX_RSA_BITS) {
          throw invalid("is an RSA key of " + bits + " bits; RS256 keys may have at most "
              + MAX_RSA_BITS + " (4096 is plenty)");
        }
        return new Checked(key, pem, new RSASSAVerifier(rsa));
      }
      ECPublicKey ec = (ECPublicKey) key;
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      String curveName = curve == null ? "an unsupported curve" : curve.getName();
      if (algorithm == AuthKeyAlgorithm.RS256) {
        throw invalid("is an EC key on " + curveName + ", but RS256 needs an RSA key;"
            + suggestion(curve));
      }
      if (!curveOf(algorithm).equals(curve)) {
        throw invalid("is an EC key on " + curveName + ", but " + algorithm + " needs "
            + curveOf(algorithm) + ";" + suggestion(curve));
      }
      if (!ECChecks.isPointOnCurve(ec, ec.getParams())) {
        throw invalid("is not a valid " + curveName + " key (its point is not on the curve)");
      }
      return new Checked(key, pem, new ECDSAVerifier(ec));
    } catch (JOSEException e) {
      throw invalid("cannot verify " + algorithm + " signatures: " + e.getMessage());
    }
  }

  private static Curve curveOf(AuthKeyAlgorithm algorithm) {
    return algorithm == AuthKeyAlgorithm.ES384 ? Curve.P_384 : Curve.P_256;
  }

  private static String suggestion(Curve curve) {
    if (Curve.P_256.equals(curve)) {
      return " register it with ES256";
    }
    if (Curve.P_384.equals(curve)) {
      return " register it with ES384";
    }
    return " EC keys must be on P-256 (ES256) or P-384 (ES384)";
  }

  private static ValidationException invalid(String what) {
    return new ValidationException(FIELD, "the key " + what);
  }
}
