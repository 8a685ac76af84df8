-- Each terminal's clock as the center last measured it: the center's time minus the terminal's
-- (from its Hello and heartbeats), and when. A payment code's expiry is judged on that clock.
ALTER TABLE terminals ADD COLUMN clock_offset_ms bigint;
ALTER TABLE terminals ADD COLUMN clock_seen_ms bigint;
