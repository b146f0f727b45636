package dev.mailcore.benchmarks.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailcore.AuthKey;
import dev.mailcore.AuthKeyAlgorithm;
import dev.mailcore.MailCore;
import dev.mailcore.testkit.InMemoryBlobStore;
import dev.mailcore.testkit.InMemoryMailStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code mail.authKeys().authenticate(jwt)} against nimbus-jose-jwt verifying the same tokens
 * with the key already in hand ({@code SignedJWT.parse(token).verify(verifier)}, the verifier
 * built once), for ES256 and RS256, in one run. The four variants run round-robin in slices of
 * this thread's CPU time (as {@code ParseCpuCompare} does), so a noisy neighbour on the shared
 * machine hits them alike; each variant cycles through the same pool of distinct valid tokens.
 * The mailcore side does everything a request costs: size check, parse, alg and kid checks, the
 * cached key, signature, iss/exp/nbf/iat. Goal (DESIGN.md section 15): at least 0.8x nimbus.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mailcore.benchmarks.auth.AuthBenchmark [rounds] [results-file]} (defaults 15 and
 * {@code benchmarks/results/auth.txt}).
 */
public final class AuthBenchmark {
  private static final int TOKENS = 256;
  private static final long WARMUP_SLICE = 500_000_000L;
  private static final long SLICE = 200_000_000L;

  private AuthBenchmark() {}

  private interface Op {
    Object run(String token) throws Exception;
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional rounds (default 15) and results file
   * @throws Exception if a token fails to verify (the benchmark is then wrong)
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    Path results = Path.of(args.length > 1 ? args[1] : "benchmarks/results/auth.txt");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    MailCore mail = MailCore.builder().store(new InMemoryMailStore())
        .blobStore(new InMemoryBlobStore()).build();
    KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"), 0);
    KeyPair rsa = generate("RSA", null, 2048);
    AuthKey ecKey = mail.authKeys().register("org_bench", "es256", pem(ec),
        AuthKeyAlgorithm.ES256);
    AuthKey rsaKey = mail.authKeys().register("org_bench", "rs256", pem(rsa),
        AuthKeyAlgorithm.RS256);
    String[] esTokens = tokens(JWSAlgorithm.ES256, ecKey.id(),
        new ECDSASigner((ECPrivateKey) ec.getPrivate()));
    String[] rsTokens = tokens(JWSAlgorithm.RS256, rsaKey.id(), new RSASSASigner(rsa.getPrivate()));
    JWSVerifier esVerifier = new ECDSAVerifier((ECPublicKey) ec.getPublic());
    JWSVerifier rsVerifier = new RSASSAVerifier((RSAPublicKey) rsa.getPublic());

    String[] names = {"mailcore ES256", "nimbus ES256", "mailcore RS256", "nimbus RS256"};
    String[][] pools = {esTokens, esTokens, rsTokens, rsTokens};
    Op[] ops = {
        t -> mail.authKeys().authenticate(t),
        t -> nimbus(t, esVerifier),
        t -> mail.authKeys().authenticate(t),
        t -> nimbus(t, rsVerifier)};
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < ops.length; i++) {
        slice(ops[i], pools[i], threads, WARMUP_SLICE);
      }
    }
    double[][] perRound = new double[ops.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < ops.length; i++) {
        perRound[i][r] = slice(ops[i], pools[i], threads, SLICE);
      }
    }
    double[] median = new double[ops.length];
    double[] low = new double[ops.length];
    double[] high = new double[ops.length];
    for (int i = 0; i < ops.length; i++) {
      double[] v = perRound[i].clone();
      Arrays.sort(v);
      median[i] = v[v.length / 2];
      low[i] = v[0];
      high[i] = v[v.length - 1];
    }
    StringBuilder out = new StringBuilder();
    out.append("Auth benchmark: authenticate(jwt) vs nimbus-jose-jwt with the key in hand\n")
        .append("(tokens per second of thread CPU time; median of ").append(rounds)
        .append(" interleaved rounds of 200 ms CPU each, min-max in brackets)\n\n");
    for (int i = 0; i < ops.length; i++) {
      out.append(String.format(Locale.ROOT, "  %-15s %9.0f tokens/cpu-s  [%7.0f - %7.0f]%s%n",
          names[i], median[i], low[i], high[i], i % 2 == 0
              ? String.format(Locale.ROOT, "   ratio to nimbus %.2fx (goal >= 0.80x)",
                  median[i] / median[i + 1]) : ""));
    }
    out.append(String.format(Locale.ROOT, "%nPer-round ratios (same round, adjacent slices):%n"));
    for (int i = 0; i < ops.length; i += 2) {
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = perRound[i][r] / perRound[i + 1][r];
      }
      Arrays.sort(ratios);
      out.append(String.format(Locale.ROOT, "  %-15s median %.2fx  min %.2fx  max %.2fx%n",
          names[i], ratios[rounds / 2], ratios[0], ratios[rounds - 1]));
    }
    System.out.print(out);
    String header = String.format(Locale.ROOT, "Date: %s. OpenJDK %s, nimbus-jose-jwt 10.10,"
        + " %d distinct tokens per algorithm, P-256 and RSA-2048 keys.%n"
        + "Command: java -cp benchmarks/target/benchmarks.jar"
        + " dev.mailcore.benchmarks.auth.AuthBenchmark %d%n%n", Instant.now(),
        System.getProperty("java.version"), TOKENS, rounds);
    write(results, header + out);
  }

  private static Object nimbus(String token, JWSVerifier verifier)
      throws ParseException, JOSEException {
    SignedJWT jwt = SignedJWT.parse(token);
    if (!jwt.verify(verifier)) {
      throw new IllegalStateException("baseline token did not verify");
    }
    return jwt;
  }

  /** Runs op over the pool until cpuNanos of this thread's CPU passed; returns ops/CPU-s. */
  private static double slice(Op op, String[] pool, ThreadMXBean threads, long cpuNanos)
      throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long count = 0;
    long now;
    int next = 0;
    Object sink = null;
    do {
      for (int k = 0; k < 16; k++) {
        sink = op.run(pool[next]);
        next = (next + 1) % pool.length;
      }
      count += 16;
      now = threads.getCurrentThreadCpuTime();
    } while (now - start < cpuNanos);
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return count * 1e9 / (now - start);
  }

  private static String[] tokens(JWSAlgorithm alg, UUID kid, JWSSigner signer)
      throws JOSEException {
    Instant now = Instant.now();
    String[] out = new String[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid.toString()).build(),
          new JWTClaimsSet.Builder().issuer("org_bench").subject("user_" + i)
              .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
              .expirationTime(Date.from(now.plusSeconds(6 * 3600))).build());
      jwt.sign(signer);
      out[i] = jwt.serialize();
    }
    return out;
  }

  private static KeyPair generate(String type, ECGenParameterSpec spec, int bits)
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(type);
    if (spec != null) {
      g.initialize(spec);
    } else {
      g.initialize(bits);
    }
    return g.generateKeyPair();
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic()
            .getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
