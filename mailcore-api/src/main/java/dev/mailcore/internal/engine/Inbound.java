package dev.mailcore.internal.engine;

import dev.mailcore.Direction;
import dev.mailcore.EmailAddress;
import dev.mailcore.EmailAttachment;
import dev.mailcore.InboundMail;
import dev.mailcore.Inbox;
import dev.mailcore.MailCoreException;
import dev.mailcore.Mailboxes;
import dev.mailcore.MalformedMessageException;
import dev.mailcore.MessageId;
import dev.mailcore.ReceiptVerdicts;
import dev.mailcore.ReceiveOutcome;
import dev.mailcore.ReceiveResult;
import dev.mailcore.StorageException;
import dev.mailcore.ValidationException;
import dev.mailcore.internal.mime.HeaderListener;
import dev.mailcore.internal.mime.HeaderSummary;
import dev.mailcore.internal.mime.MimeParseException;
import dev.mailcore.internal.mime.MimeParser;
import dev.mailcore.internal.mime.ParseLimits;
import dev.mailcore.internal.mime.ParsedAttachment;
import dev.mailcore.internal.mime.ParsedMessage;
import dev.mailcore.internal.mime.StoredPart;
import dev.mailcore.spi.BlobStore;
import dev.mailcore.spi.StoreTransaction;
import dev.mailcore.spi.WebhookEndpointRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive pipeline (DESIGN section 4): spool, store raw and parse each message, then route,
 * dedupe, thread and persist in one transaction for the message (or the whole batch) across all
 * its inboxes. Thread-safe.
 */
final class Inbound {
  private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
  /** Stands in for a message whose From is missing or unparseable. */
  static final EmailAddress UNKNOWN_SENDER = EmailAddress.of("unknown-sender@invalid.invalid");
  private static final String SYNTHETIC_DOMAIN = "synthesized.mailcore.invalid";

  private final Engine engine;
  private final MimeParser parser;

  Inbound(Engine engine) {
    this.engine = engine;
    var l = engine.config().limits();
    this.parser = new MimeParser(new ParseLimits(l.maxMessageBytes(), l.maxMimeDepth(),
        l.maxParts(), l.maxHeaderBytes(), l.maxHeaderCount(), l.maxBodyBytes()));
  }

  ReceiveResult receive(InboundMail mail) {
    return store(List.of(prepare(mail))).get(0);
  }

  List<ReceiveOutcome> receiveAll(List<InboundMail> mails) {
    if (mails.isEmpty() || mails.size() > Mailboxes.MAX_RECEIVE_BATCH) {
      throw new ValidationException("mails", "a batch must hold 1 to "
          + Mailboxes.MAX_RECEIVE_BATCH + " messages, not " + mails.size()
          + "; split it into several receiveAll calls");
    }
    ReceiveOutcome[] outcomes = new ReceiveOutcome[mails.size()];
    List<Prepared> prepared = new ArrayList<>(mails.size());
    List<Integer> positions = new ArrayList<>(mails.size());
    for (int i = 0; i < mails.size(); i++) {
      try {
        prepared.add(prepare(mails.get(i)));
        positions.add(i);
      } catch (MailCoreException e) {
        outcomes[i] = new ReceiveOutcome.Failed(e);
      }
    }
    if (!prepared.isEmpty()) {
      try {
        List<ReceiveResult> results = store(prepared);
        for (int k = 0; k < results.size(); k++) {
          outcomes[positions.get(k)] = new ReceiveOutcome.Received(results.get(k));
        }
      } catch (MailCoreException e) {
        // One message may be what fails the whole transaction (a value the store rejects): store
        // each on its own so the others still land and only the culprit reports the failure.
        LOG.warn("storing a batch of {} messages failed ({}); storing them one by one",
            prepared.size(), e.getMessage());
        for (int k = 0; k < prepared.size(); k++) {
          try {
            outcomes[positions.get(k)] =
                new ReceiveOutcome.Received(store(List.of(prepared.get(k))).get(0));
          } catch (MailCoreException single) {
            outcomes[positions.get(k)] = new ReceiveOutcome.Failed(single);
          }
        }
      }
    }
    return List.of(outcomes);
  }

  /**
   * Everything before the store transaction: spool, then one pass of the parser that stores the
   * raw bytes as soon as the top-level header names the Message-ID (before any body or
   * attachment is read), and reads the rest. The spool is gone afterwards; the parsed message
   * holds what the store needs.
   */
  private Prepared prepare(InboundMail mail) {
    Instant receivedAt = mail.receivedAt().orElseGet(engine.config().clock()::instant);
    try (RawSpool raw = RawSpool.of(mail, engine.config().limits().maxMessageBytes())) {
      Stored stored = new Stored(raw, receivedAt);
      // Parse before touching the store: the rows for every inbox are then written in one
      // short transaction, and a parse failure leaves no rows behind (the raw bytes are kept).
      ParsedMessage parsed = parse(raw, stored, receivedAt);
      boolean byHeader = mail.recipients().isEmpty();
      HeaderSummary header = stored.header;
      return new Prepared(stored.messageId, stored.rawKey,
          byHeader ? header.recipients() : mail.recipients(),
          byHeader ? header.unusableRecipients() : List.of(), receivedAt, parsed,
          mail.verdicts());
    } catch (UncheckedIOException e) {
      throw new StorageException("reading the inbound message failed: " + e.getMessage(), true, e);
    }
  }

  /**
   * The raw bytes of one message, stored once the parser has read its top-level header (or,
   * when the header cannot be read, under a Message-ID synthesized from the bytes).
   */
  private final class Stored implements HeaderListener {
    private final RawSpool raw;
    private final Instant receivedAt;
    private HeaderSummary header;
    private MessageId messageId;
    private String rawKey;

    Stored(RawSpool raw, Instant receivedAt) {
      this.raw = raw;
      this.receivedAt = receivedAt;
    }

    @Override
    public void topHeader(HeaderSummary h) {
      header = h;
      messageId = h.messageId()
          .orElseGet(() -> new MessageId(raw.sha256().substring(0, 40) + "@" + SYNTHETIC_DOMAIN));
      rawKey = storeRaw(raw, messageId, receivedAt);
    }

    /** Stores the raw bytes if the parse failed before the header was read; the key. */
    String ensureStored() {
      if (rawKey == null) {
        topHeader(HeaderSummary.NONE);
      }
      return rawKey;
    }
  }

  /**
   * Routes, threads and stores prepared messages in one transaction, in the given order (a reply
   * later in the list finds its parent earlier in it). Every inbox the batch touches is locked
   * up front in id order, so two batches never wait for each other's locks.
   */
  private List<ReceiveResult> store(List<Prepared> batch) {
    Instant now = engine.config().clock().instant();
    List<Routing> routings = engine.inTransactionRetrying(tx -> {
      List<Routing> routed = route(tx, batch);
      Map<UUID, Inbox> inboxes = new TreeMap<>();
      routed.forEach(r -> r.routes().values()
          .forEach(x -> inboxes.put(x.inbox().id(), x.inbox())));
      // Read before the locks, once per domain: the lock is held to the commit, so every round
      // trip taken under it delays the next message for the same inbox.
      Map<UUID, List<WebhookEndpointRecord>> endpoints =
          engine.outbox().endpointsOf(tx, inboxes.values());
      inboxes.keySet().forEach(tx::lockInbox);
      List<MessageWriter.Item> items = new ArrayList<>();
      List<Routing> itemRouting = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Prepared p = batch.get(i);
        Routing r = routed.get(i);
        List<Route> byInbox = r.routes().values().stream()
            .sorted(Comparator.comparing(x -> x.inbox().id())).toList();
        for (Route route : byInbox) {
          items.add(new MessageWriter.Item(route.domainName(), draft(route, p, now)));
          itemRouting.add(r);
        }
      }
      List<MessageWriter.Written> written = engine.writer().writeAll(tx, items, now);
      for (int k = 0; k < written.size(); k++) {
        MessageWriter.Written w = written.get(k);
        engine.outbox().written(tx, w, endpoints.get(w.message().inboxId()));
        itemRouting.get(k).deliveries()
            .add(new ReceiveResult.InboxDelivery(w.message(), w.duplicate()));
      }
      return routed;
    });
    List<ReceiveResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Prepared p = batch.get(i);
      Routing r = routings.get(i);
      if (!r.unknown().isEmpty()) {
        LOG.info("message {} had recipients that match no inbox: {}", p.messageId(), r.unknown());
      }
      results.add(new ReceiveResult(p.messageId(), p.rawKey(), r.deliveries(), r.unknown()));
    }
    return results;
  }

  private String storeRaw(RawSpool raw, MessageId messageId, Instant at) {
    BlobStore blobs = engine.config().blobs();
    String key = StorageKeys.raw(messageId, at);
    if (blobs.exists(BlobStore.Namespace.RAW, key)) {
      if (raw.sha256().equals(storedSha256(blobs, key))) {
        return key;
      }
      // Different bytes under a Message-ID already stored today: keep both.
      key = StorageKeys.rawVariant(messageId, at, raw.sha256());
    }
    try (InputStream in = raw.open()) {
      blobs.put(BlobStore.Namespace.RAW, key, in, raw.size(), "message/rfc822");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return key;
  }

  private static String storedSha256(BlobStore blobs, String key) {
    Optional<InputStream> stored = blobs.get(BlobStore.Namespace.RAW, key);
    if (stored.isEmpty()) {
      return "";
    }
    MessageDigest d = StorageKeys.sha256();
    try (InputStream in = new DigestInputStream(stored.get(), d)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private ParsedMessage parse(RawSpool raw, Stored stored, Instant at) {
    BlobStore blobs = engine.config().blobs();
    try (InputStream in = raw.open()) {
      return parser.parse(in, stored, (info, content) -> {
        // The key is derived from the raw bytes and the part's position, so a redelivery of
        // the same bytes maps to the same keys: nothing is uploaded twice or left orphaned.
        UUID keyId = UUID.nameUUIDFromBytes((raw.sha256() + "/" + info.index())
            .getBytes(StandardCharsets.US_ASCII));
        String key = StorageKeys.attachment(stored.messageId, at, keyId, info.filename());
        CountingInputStream counting = new CountingInputStream(content);
        if (blobs.exists(BlobStore.Namespace.ATTACHMENTS, key)) {
          try {
            counting.transferTo(OutputStream.nullOutputStream());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        } else {
          blobs.put(BlobStore.Namespace.ATTACHMENTS, key, counting, -1, info.contentType());
        }
        return new StoredPart(key, counting.count());
      });
    } catch (MimeParseException e) {
      throw new MalformedMessageException(e.getMessage(), stored.ensureStored(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MailCoreException e) {
      throw e;
    } catch (RuntimeException e) {
      // Never let a parser defect lose the message: the raw bytes are stored and named.
      String rawKey = stored.ensureStored();
      LOG.warn("parser failed on message {} (raw at {})", stored.messageId, rawKey, e);
      throw new MalformedMessageException("the message could not be parsed: " + e, rawKey, e);
    }
  }

  private static MessageDraft draft(Route route, Prepared prepared, Instant now) {
    ParsedMessage p = prepared.parsed();
    MessageId messageId = prepared.messageId();
    String rawKey = prepared.rawKey();
    Instant receivedAt = prepared.receivedAt();
    List<EmailAttachment> attachments = new ArrayList<>(p.attachments().size());
    for (ParsedAttachment a : p.attachments()) {
      attachments.add(new EmailAttachment(Uuids.next(), a.info().filename(),
          a.info().contentType(), a.stored().sizeBytes(), a.stored().storageKey(),
          a.info().contentId(), a.info().inline()));
    }
    Set<String> visible = new LinkedHashSet<>();
    p.to().forEach(x -> visible.add(x.normalized()));
    p.cc().forEach(x -> visible.add(x.normalized()));
    List<EmailAddress> bcc = new ArrayList<>(p.bcc());
    for (EmailAddress rcpt : route.recipients()) {
      if (!visible.contains(rcpt.normalized())
          && bcc.stream().noneMatch(b -> b.normalized().equals(rcpt.normalized()))) {
        bcc.add(rcpt);
      }
    }
    return new MessageDraft(Uuids.next(), messageId, route.inbox().id(), Direction.INBOUND,
        p.from().orElse(UNKNOWN_SENDER), p.to(), p.cc(), bcc, p.replyTo(), p.subject().orElse(""), p.date().orElse(receivedAt), p.inReplyTo(), p.references(),
        p.bodyText(), p.bodyHtml(), attachments, rawKey, now, prepared.verdicts());
  }

  /**
   * Routes each message's recipients to active inboxes; unknown ones are collected, not dropped.
   * One store lookup per recipient domain for the whole batch.
   */
  private static List<Routing> route(StoreTransaction tx, List<Prepared> batch) {
    Map<String, Set<String>> lookups = new LinkedHashMap<>();
    List<Map<String, EmailAddress>> distinctPerMessage = new ArrayList<>(batch.size());
    for (Prepared p : batch) {
      Map<String, EmailAddress> distinct = new LinkedHashMap<>();
      for (EmailAddress rcpt : p.recipients()) {
        String norm = rcpt.normalized();
        if (distinct.putIfAbsent(norm, rcpt) == null) {
          lookups.computeIfAbsent(rcpt.domain(), k -> new LinkedHashSet<>())
              .addAll(Routes.lookups(localPart(norm)));
        }
      }
      distinctPerMessage.add(distinct);
    }
    Map<String, List<Inbox>> candidates = new HashMap<>();
    lookups.forEach((domain, localParts) ->
        candidates.put(domain, tx.inboxes().findRouteCandidates(domain, localParts)));
    List<Routing> out = new ArrayList<>(batch.size());
    for (int m = 0; m < batch.size(); m++) {
      Map<String, EmailAddress> distinct = distinctPerMessage.get(m);
      Map<UUID, Route> routes = new LinkedHashMap<>();
      // header entries that name no usable address are reported, never dropped silently
      List<String> unknown = new ArrayList<>(batch.get(m).unusableRecipients());
      distinct.forEach((norm, rcpt) -> {
        Optional<Inbox> inbox = Routes.resolve(candidates.get(rcpt.domain()), localPart(norm));
        if (inbox.isPresent()) {
          routes.computeIfAbsent(inbox.get().id(), k -> new Route(rcpt.domain(), inbox.get(),
              new ArrayList<>())).recipients().add(rcpt);
        } else {
          unknown.add(norm);
        }
      });
      out.add(new Routing(routes, unknown, new ArrayList<>()));
    }
    return out;
  }

  private static String localPart(String normalizedAddress) {
    return normalizedAddress.substring(0, normalizedAddress.lastIndexOf('@'));
  }

  private record Route(String domainName, Inbox inbox, List<EmailAddress> recipients) {}

  /** A message that is stored raw and parsed, ready for the store transaction. */
  private record Prepared(MessageId messageId, String rawKey, List<EmailAddress> recipients,
      List<String> unusableRecipients, Instant receivedAt, ParsedMessage parsed,
      ReceiptVerdicts verdicts) {}

  private record Routing(Map<UUID, Route> routes, List<String> unknown,
      List<ReceiveResult.InboxDelivery> deliveries) {}
}
