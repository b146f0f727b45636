-- Webhook delivery write cost (ADR 0015, issue 14 benchmark). Every delivery row is rewritten
-- twice (the claim moves next_attempt_at and sets lease_owner; the settle sets status), and
-- both change columns of the seed index webhook_deliveries_due_idx (status, next_attempt_at),
-- so neither update can be HOT: each writes a new copy of the ~1.5 KB row (the jsonb payload
-- stays inline, below PostgreSQL's 2 KB TOAST threshold, which toast_tuple_target cannot lower)
-- and a new entry in every index of the table.
--  * fillfactor 50: inserts leave half of each page free, so the claim's and the settle's new
--    row versions land on the page of the old one. PostgreSQL then logs only the changed middle
--    of the row (prefix/suffix compression of same-page updates: the payload, which comes
--    before the changed columns, is not written to the WAL again), and page pruning reclaims the
--    dead versions in place instead of the table growing by two row copies per delivery.
--    Measured (WebhookBenchmark): WAL ~3.85 KB -> ~1.36 KB per delivery. Costs: a new table
--    holds half as many rows per page (finished rows kept for the retention period take up to
--    twice the space until rewritten); pages written before this migration keep their layout.
--  * webhook_deliveries_pending_idx (V6) is dropped: the claim (status = 'pending' AND
--    next_attempt_at <= ? ORDER BY next_attempt_at) reads the seed index
--    webhook_deliveries_due_idx just as well (equality on its first column, then its order),
--    and the partial index cost an entry on every insert and every claim.
ALTER TABLE webhook_deliveries SET (fillfactor = 50);
DROP INDEX webhook_deliveries_pending_idx;
