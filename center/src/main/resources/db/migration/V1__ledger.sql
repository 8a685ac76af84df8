-- The card center's ledger. Money is bigint fen; a card's uid is its key; every stream change
-- carries a version that commits in order (see StreamVersions).

CREATE TABLE terminals (
  id          text PRIMARY KEY,
  secret      bytea NOT NULL,
  revoked     boolean NOT NULL DEFAULT false,
  applied_seq bigint NOT NULL DEFAULT 0,
  last_mac    bytea NOT NULL
);

CREATE TABLE accounts (
  account_id        bigint PRIMARY KEY,
  holder_name       text NOT NULL,
  status            smallint NOT NULL,
  subsidy_fen       bigint NOT NULL,
  cash_fen          bigint NOT NULL,
  version           bigint NOT NULL,
  pin_verifier      text NOT NULL DEFAULT '',
  expires_day       integer NOT NULL DEFAULT 0,
  national_id       text,
  password_failures integer NOT NULL DEFAULT 0
);
CREATE INDEX accounts_by_version ON accounts(version);

CREATE TABLE cards (
  card_uid    bytea PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts(account_id),
  card_serial bigint NOT NULL
);
CREATE INDEX cards_by_account ON cards(account_id);

CREATE TABLE movements (
  id          bigserial PRIMARY KEY,
  account_id  bigint NOT NULL,
  kind        text NOT NULL,
  terminal_id text,
  seq         bigint,
  subsidy_fen bigint NOT NULL,
  cash_fen    bigint NOT NULL,
  channel     text,
  overdraft   boolean NOT NULL DEFAULT false,
  time_ms     bigint NOT NULL
);
-- A second guard besides the watermark: one movement per (terminal, seq), ever.
CREATE UNIQUE INDEX movements_once ON movements(terminal_id, seq) WHERE terminal_id IS NOT NULL;
CREATE INDEX movements_by_account ON movements(account_id, time_ms);

CREATE TABLE journal (
  terminal_id text NOT NULL,
  seq         bigint NOT NULL,
  row         bytea NOT NULL,
  PRIMARY KEY (terminal_id, seq)
);

CREATE TABLE blacklist (
  card_uid   bytea PRIMARY KEY,
  account_id bigint NOT NULL,
  listed     boolean NOT NULL,
  reason     text NOT NULL,
  version    bigint NOT NULL
);
CREATE INDEX blacklist_by_version ON blacklist(version);

CREATE TABLE messages (
  id         bigserial PRIMARY KEY,
  account_id bigint NOT NULL,
  text       text NOT NULL,
  time_ms    bigint NOT NULL
);
CREATE INDEX messages_by_account ON messages(account_id);

CREATE TABLE stream_versions (
  stream  text PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO stream_versions(stream, version)
VALUES ('accounts', 0), ('blacklist', 0), ('messages', 0), ('qr', 0), ('config', 0);

-- Append-only streams (messages, qr, config); terminal_id NULL = every terminal.
CREATE TABLE stream_log (
  stream      text NOT NULL,
  version     bigint NOT NULL,
  terminal_id text,
  payload     bytea NOT NULL,
  PRIMARY KEY (stream, version)
);

CREATE TABLE qr_cancels (
  token       text PRIMARY KEY,
  sale_id     text NOT NULL,
  terminal_id text NOT NULL,
  time_ms     bigint NOT NULL
);

-- One row per payment code the center has seen: created (parsed) -> paid -> refunded.
CREATE TABLE qr_tokens (
  token         text PRIMARY KEY,
  terminal_id   text NOT NULL,
  sale_id       text NOT NULL,
  amount_fen    bigint NOT NULL,
  merchant_name text,
  account_id    bigint,
  state         text NOT NULL,
  created_ms    bigint NOT NULL,
  paid_ms       bigint
);

CREATE TABLE found_cards (
  id         bigserial PRIMARY KEY,
  card_uid   bytea NOT NULL,
  account_id bigint NOT NULL,
  finder     text NOT NULL,
  place      text NOT NULL,
  time_ms    bigint NOT NULL
);
