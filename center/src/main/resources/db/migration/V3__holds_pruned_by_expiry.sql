-- Housekeeping deletes holds that stopped counting long ago (Holds.prune): found by expiry.
CREATE INDEX holds_by_expiry ON holds(expires_ms);
