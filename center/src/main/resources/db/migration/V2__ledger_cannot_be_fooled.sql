-- Terminal epochs (re-seat), quarantine of a diverged journal, reversal bookkeeping, rows the
-- center refused or could not read (for the card office), holds for online authorization, and
-- the campus a terminal or account belongs to (routing of account changes).

ALTER TABLE terminals ADD COLUMN epoch integer NOT NULL DEFAULT 1;
ALTER TABLE terminals ADD COLUMN quarantined_seq bigint;
ALTER TABLE terminals ADD COLUMN quarantine_reason text;
ALTER TABLE terminals ADD COLUMN quarantined_ms bigint;
ALTER TABLE terminals ADD COLUMN campus text;

ALTER TABLE accounts ADD COLUMN campus text;

-- A journal row belongs to one epoch of its terminal; status says what the center did with it:
-- APPLIED, REFUSED (a reversal that may not credit), UNKNOWN_KIND (stored raw, flagged),
-- CARRIED (the same row, same MAC, already applied in an earlier epoch).
ALTER TABLE journal ADD COLUMN epoch integer NOT NULL DEFAULT 1;
ALTER TABLE journal ADD COLUMN status text NOT NULL DEFAULT 'APPLIED';
ALTER TABLE journal DROP CONSTRAINT journal_pkey;
ALTER TABLE journal ADD PRIMARY KEY (terminal_id, epoch, seq);

ALTER TABLE movements ADD COLUMN epoch integer;
UPDATE movements SET epoch = 1 WHERE terminal_id IS NOT NULL;
DROP INDEX movements_once;
CREATE UNIQUE INDEX movements_once ON movements(terminal_id, epoch, seq) WHERE terminal_id IS NOT NULL;

-- A sale is reversed at most once, ever: the primary key is the sale row's MAC, which no other
-- row of any terminal or epoch shares.
CREATE TABLE reversals (
  reversed_mac bytea PRIMARY KEY,
  terminal_id  text NOT NULL,
  epoch        integer NOT NULL,
  reversed_seq bigint NOT NULL,
  reversal_seq bigint NOT NULL
);

-- What the card office must look at: refused reversals, unknown row kinds, diverged journals.
CREATE TABLE flagged_rows (
  id          bigserial PRIMARY KEY,
  terminal_id text NOT NULL,
  epoch       integer NOT NULL,
  seq         bigint NOT NULL,
  kind        integer NOT NULL,
  code        text NOT NULL,
  detail      text NOT NULL,
  time_ms     bigint NOT NULL
);
CREATE INDEX flagged_rows_by_terminal ON flagged_rows(terminal_id, id);

-- Online authorization holds: HELD until the sale's row consumes it (CONSUMED), the terminal
-- releases it (RELEASED) or it expires (expires_ms).
CREATE TABLE holds (
  sale_id     text PRIMARY KEY,
  terminal_id text NOT NULL,
  account_id  bigint NOT NULL,
  amount_fen  bigint NOT NULL,
  state       text NOT NULL,
  created_ms  bigint NOT NULL,
  expires_ms  bigint NOT NULL
);
CREATE INDEX holds_held_by_account ON holds(account_id) WHERE state = 'HELD';
