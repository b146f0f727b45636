-- Webhook delivery retention (WebhookSettings.retention, ADR 0015): the dispatcher deletes
-- delivered and failed rows older than the retention in batches, oldest first. This partial
-- index holds only finished rows, so each batch reads the oldest ones directly instead of
-- scanning the table; pending rows (the claim's index) stay out of it.
CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (created_at)
    WHERE status IN ('delivered', 'failed');
