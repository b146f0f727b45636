-- Schema version 9: a deviation from the seed schema (ADR 0018). The receiving service's verdicts
-- on an inbound message (Amazon SES receipt: spamVerdict, virusVerdict, spfVerdict, dkimVerdict,
-- dmarcVerdict; or an SMTP server's own checks) are stored with it, so a host can show, filter or
-- quarantine on them without re-parsing raw mail. NULL means not checked (or disabled), which
-- is also what every message stored before this version and every outbound message has.
ALTER TABLE messages
    ADD COLUMN spam_verdict  TEXT CHECK (spam_verdict  IN ('pass', 'fail', 'gray', 'processing_failed')),
    ADD COLUMN virus_verdict TEXT CHECK (virus_verdict IN ('pass', 'fail', 'gray', 'processing_failed')),
    ADD COLUMN spf_verdict   TEXT CHECK (spf_verdict   IN ('pass', 'fail', 'gray', 'processing_failed')),
    ADD COLUMN dkim_verdict  TEXT CHECK (dkim_verdict  IN ('pass', 'fail', 'gray', 'processing_failed')),
    ADD COLUMN dmarc_verdict TEXT CHECK (dmarc_verdict IN ('pass', 'fail', 'gray', 'processing_failed'));
