package dev.mailcore;

/**
 * Which of a domain's DNS records were found as mailcore asked them to be published.
 * Immutable and thread-safe.
 *
 * @param mx the MX record for inbound mail
 * @param spf the SPF TXT record
 * @param dkim the DKIM CNAME records
 * @param dmarc the DMARC TXT record
 */
public record DnsVerification(boolean mx, boolean spf, boolean dkim, boolean dmarc) {

  /** Nothing verified yet. */
  public static final DnsVerification NONE = new DnsVerification(false, false, false, false);

  /**
   * Whether every record is in place.
   *
   * @return true if all four are verified
   */
  public boolean allVerified() {
    return mx && spf && dkim && dmarc;
  }
}
