#!/usr/bin/env python3
"""Differential check, Python side (issue 11).

Parses every fixture message with Python's email package (policy.default), compares each field
with mailcore's parse of the same file (one JSON object per line, written by
dev.mailcore.benchmarks.fidelity.DifferentialCheck) and writes per-field agreement counts plus
every disagreement to the results file. Run through DifferentialCheck; see benchmarks/README.md.
"""
import argparse
import email
import email.policy
import json
import os
import re
import sys
from collections import defaultdict

FIELDS = ["parsed", "subject", "from", "from-name", "to", "cc", "date", "message-id",
          "in-reply-to", "references", "text", "html", "attachment-count", "attachment-names",
          "attachment-sizes"]
ID = re.compile(r"<([^<>]*)>")

# The disagreement classes left after issue 11, judged against the RFCs (reviewed by hand
# against the listing below; update when the listing changes).
CLASSES = """\
Remaining disagreement classes (which side the RFCs favour)
 1. Undeclared or wrongly declared 8-bit text (subjects, names, bodies: invalid_subject_characters,
    issue149, legacy/020, legacy/052, m0009, m0019/22/23, thirdparty/010, must_supply_encoding,
    content_transfer_encoding_7-bit, attachment_pdf_non_ascii): mailcore decodes valid UTF-8
    sequences as UTF-8 and other bytes as windows-1252; Python gives U+FFFD or surrogate escapes.
    No RFC defines such bytes (RFC 5322 forbids them outside RFC 6532 UTF-8); mailcore keeps the text.
 2. Raw UTF-8 headers (rfc6532/utf8_headers): Python's policy.default shows surrogate escapes;
    RFC 6532 says these are UTF-8: mailcore.
 3. Adjacent encoded words split inside a character or word (m0124, bad_subject): RFC 2047 6.2
    says whitespace between adjacent encoded words is ignored: mailcore (Python inserts spaces).
 4. ISO-2022-JP encoded word (issue116): Python leaves it encoded; RFC 2047 favours decoding:
    mailcore (one character has no mapping in Java's ISO-2022-JP table and shows as U+FFFD).
 5. Obsolete header syntax with whitespace before the colon (obsolete.msg, malformed/019,
    example13): RFC 5322 4.5 obs-optional allows it: mailcore reads the fields, Python ends the
    header there.
 6. UTF-8 byte-order mark before the header (feedback-report): no RFC covers it; mailcore skips
    it and reads the header, Python makes the whole message the body.
 7. Broken address lists (raw_email_multiple_from, raw_email_with_at_display_name, issue358,
    mix_caps_content_type): invalid in RFC 5322 either way; mailcore takes the angle-addr as the
    address (the only RFC reading of `Name@Host <addr>`) and splits a missing comma between
    complete addresses (issue 11); Python keeps a fragment such as `mikel@lindsaar`.
 8. A comment as display name (`addr (Name)`: multi_address_bounce1, bounce, msg_44, example13):
    RFC 5322 says a comment is no display name (Python); mailcore follows the RFC 822-era
    convention mail clients still show. Deliberate.
 9. Group with a trailing comment (delivery-status*): Python raises; mailcore returns the empty
    group (RFC 5322 group syntax): mailcore.
10. Message-ID with several '@' (raw_email_double_at_in_header): invalid either way; mailcore
    keeps the whole bracketed token so References to it still match.
11. Impossible or odd dates: feedback-report's weekday does not match its date and uses EDT
    (RFC 5322 4.3 obsolete zone; mailcore reads it, Python gives none); malformed/019 is class 5.
12. Header field over Limits.maxHeaderBytes (stack-overflow, a 64 KiB+ field): refused by
    design, with the limit named; raise the limit to accept such mail.
13. Named or inline-named text parts (m0014, m0016, msg_44, missing-subtype): mailcore stores a
    text part with a filename as an attachment (nothing lost); Python shows an inline one as the
    body. RFC 2183 (inline = display) favours Python for display.
14. Boundary never found or unusable (ending-boundaries, missing-boundary, missing-inner-boundary,
    raw_email_with_illegal_boundary, raw_email_bad_time, malformed/002/004/017, simple.mbox_003,
    very-long-boundary, weird-boundary, empty-multipart): invalid per RFC 2046; mailcore keeps
    the preamble as text (or, for boundaries longer than mime4j accepts, the whole body), Python
    yields no body and one raw part. Neither is RFC-defined; mailcore keeps content visible.
15. Uuencoded blocks in text bodies (legacy/049): mailcore moves them into named attachments
    (issue 11); Python leaves them in the text. uuencode predates MIME; no RFC applies.
16. NUL in text (thirdparty/000): mailcore stores U+FFFD (PostgreSQL text cannot hold NUL).
17. Attachment names: mailcore drops path components (`/evil/filename`, `attach/01`,
    `/u/nsb/.../RFC-MIME.ps`) and control characters for safety, and decodes RFC 2047 words in
    names and unquoted names with spaces that Python cuts (`This is a test.txt` vs `This`).
18. Attachment sizes of malformed encodings (raw_email4, m0018, thirdparty/003/005,
    malformed/009/016, raw_email_with_binary_encoded, multipart-related-mhtml): base64 with
    garbage or missing padding, quoted-printable soft breaks at the end, parts cut by broken
    boundaries; both sides decode leniently in different ways; no RFC defines the result.
"""


def norm_text(s):
    if s is None:
        return None
    lines = [l.rstrip() for l in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    t = "\n".join(lines).strip()
    return t if t else None


def norm_space(s):
    if s is None:
        return None
    t = " ".join(s.split())
    return t if t else None


def safe(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - a field Python cannot read counts as its own value
        return "<python error: %s>" % type(e).__name__


def addresses(msg, name):
    headers = msg.get_all(name)
    if not headers:
        return []
    out = []
    for h in headers:
        for a in getattr(h, "addresses", ()):
            if a.addr_spec and "@" in a.addr_spec:
                out.append([a.display_name or None, a.addr_spec.lower()])
    return out


def ids(value):
    if value is None:
        return []
    found = ID.findall(str(value))
    if not found:
        found = [t for t in re.split(r"[\s,;]+", str(value)) if "@" in t]
    return [i.strip() for i in found if i.strip()]


def first_id(msg, name):
    v = msg.get(name)
    found = ids(v) if v is not None else []
    return found[0] if found else None


def references(msg):
    out = []
    for v in msg.get_all("references") or []:
        for i in ids(v):
            if i not in out:
                out.append(i)
    return out


def body(msg, kind):
    part = msg.get_body(preferencelist=(kind,))
    if part is None:
        return None, None
    return part, norm_text(part.get_content())


def leaves(part, skip):
    # message/* parts are one attachment each on mailcore's side (stored whole, not descended)
    if part.is_multipart() and not part.get_content_type().startswith("message/"):
        for p in part.iter_parts():
            yield from leaves(p, skip)
    elif id(part) not in skip:
        yield part


def attachments(msg, skip):
    names, sizes = [], []
    for p in leaves(msg, skip):
        ctype = p.get_content_type()
        if ctype.startswith("message/"):
            # Python re-serializes a nested message, so its size says nothing about mailcore's
            # (which stores the part's decoded bytes as received): compared as "message"
            payload = p.get_payload()
            data = b"x" if payload else b""
            size = "message"
        else:
            data = p.get_payload(decode=True) or b""
            size = str(len(data))
        name = safe(p.get_filename)
        if not data and not name:
            continue  # an empty nameless part is noise on both sides
        names.append(name)
        sizes.append(size)
    return names, sizes


def python_side(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    r = {"parsed": "yes"}
    r["subject"] = safe(lambda: norm_space(str(msg["subject"])) if msg["subject"] is not None else None)
    frm = safe(lambda: addresses(msg, "from"))
    if isinstance(frm, list):
        r["from"] = frm[0][1] if frm else None
        r["from-name"] = norm_space(frm[0][0]) if frm else None
    else:
        r["from"] = r["from-name"] = frm
    r["to"] = safe(lambda: [a[1] for a in addresses(msg, "to")])
    r["cc"] = safe(lambda: [a[1] for a in addresses(msg, "cc")])

    def date():
        d = msg["date"]
        if d is None or d.datetime is None:
            return None
        dt = d.datetime
        if dt.tzinfo is None:
            import datetime as _dt
            dt = dt.replace(tzinfo=_dt.timezone.utc)
        return str(int(dt.timestamp()))
    r["date"] = safe(date)
    r["message-id"] = safe(lambda: first_id(msg, "message-id"))
    r["in-reply-to"] = safe(lambda: first_id(msg, "in-reply-to"))
    r["references"] = safe(lambda: references(msg))
    skip = set()
    for kind in ("plain", "html"):
        res = safe(lambda: body(msg, kind))
        if isinstance(res, tuple):
            part, text = res
            if part is not None:
                skip.add(id(part))
            r["text" if kind == "plain" else "html"] = text
        else:
            r["text" if kind == "plain" else "html"] = res
    att = safe(lambda: attachments(msg, skip))
    if isinstance(att, tuple):
        r["attachment-count"] = str(len(att[0]))
        r["attachment-names"] = sorted(n for n in att[0] if n)
        r["attachment-sizes"] = sorted(att[1], key=size_key)
    else:
        r["attachment-count"] = r["attachment-names"] = r["attachment-sizes"] = att
    return r


def mailcore_side(m):
    if "error" in m:
        return {"parsed": "error: " + m["error"]}
    r = {"parsed": "yes"}
    r["subject"] = norm_space(m.get("subject"))
    r["from"] = m["from"][1].lower() if m.get("from") else None
    r["from-name"] = norm_space(m["from"][0]) if m.get("from") else None
    r["to"] = [a[1].lower() for a in m.get("to", [])]
    r["cc"] = [a[1].lower() for a in m.get("cc", [])]
    for k in ("date", "message-id", "in-reply-to"):
        r[k] = m.get(k)
    r["references"] = m.get("references", [])
    r["text"] = norm_text(m.get("text"))
    r["html"] = norm_text(m.get("html"))
    r["attachment-count"] = str(len(m.get("attachment-sizes", [])))
    r["attachment-names"] = sorted(n for n in m.get("attachment-names", []) if n)
    types = m.get("attachment-types") or [None] * len(m.get("attachment-sizes", []))
    sizes = ["message" if (t or "").startswith("message/") else n
             for t, n in zip(types, m.get("attachment-sizes", []))]
    r["attachment-sizes"] = sorted(sizes, key=size_key)
    return r


def size_key(s):
    return (0, int(s)) if s.isdigit() else (1, 0)


def short(v, n=110):
    s = json.dumps(v, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")
    return s if len(s) <= n else s[:n] + "..."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--mailcore", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--label", default="current")
    a = ap.parse_args()
    agree = defaultdict(int)
    per_corpus = defaultdict(lambda: defaultdict(int))
    totals = defaultdict(int)
    diffs = defaultdict(list)
    with open(a.mailcore, encoding="utf-8") as f:
        rows = [json.loads(l) for l in f if l.strip()]
    for m in rows:
        path = os.path.join(a.fixtures, m["file"])
        with open(path, "rb") as fh:
            raw = fh.read()
        corpus = m["file"].split(os.sep)[0]
        totals[corpus] += 1
        try:
            py = python_side(raw)
        except Exception as e:  # noqa: BLE001
            py = {"parsed": "error: %r" % e}
        mc = mailcore_side(m)
        for field in FIELDS:
            if field != "parsed" and (py.get("parsed") != "yes" or mc.get("parsed") != "yes"):
                continue
            if py.get(field) == mc.get(field):
                agree[field] += 1
                per_corpus[corpus][field] += 1
            else:
                diffs[field].append((m["file"], mc.get(field), py.get(field)))
    n = len(rows)
    out = []
    out.append("Inbound parse fidelity: mailcore vs Python email (policy.default), run '%s'" % a.label)
    out.append("Python %s; %d messages (%s)" % (sys.version.split()[0], n,
               ", ".join("%s %d" % (c, totals[c]) for c in sorted(totals))))
    out.append("Generated by benchmarks/fidelity/compare.py via DifferentialCheck; bodies compared")
    out.append("after CRLF->LF and trailing-space trimming, subjects/names after whitespace folding.")
    out.append("")
    out.append("%-18s %9s %9s   %s" % ("field", "agree", "differ", "agree per corpus"))
    for field in FIELDS:
        pc = " ".join("%s=%d" % (c, per_corpus[c][field]) for c in sorted(totals))
        out.append("%-18s %9d %9d   %s" % (field, agree[field], len(diffs[field]), pc))
    out.append("")
    out.append(CLASSES)
    out.append("Disagreements (file: mailcore | python)")
    for field in FIELDS:
        if not diffs[field]:
            continue
        out.append("")
        out.append("== %s (%d)" % (field, len(diffs[field])))
        for file, mv, pv in diffs[field]:
            out.append("  %s" % file)
            out.append("      mailcore: %s" % short(mv))
            out.append("      python:   %s" % short(pv))
    os.makedirs(os.path.dirname(os.path.abspath(a.results)), exist_ok=True)
    with open(a.results, "w", encoding="utf-8", errors="backslashreplace") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out[:len(FIELDS) + 6]))


if __name__ == "__main__":
    main()
