-- The campus app's service (issue 13): people who log in, their devices and sessions, SMS
-- codes, counted failures with back-off, card passwords, the card office's audit trail.
-- Versions 100 and up belong to the app's service; the ledger's own migrations stay below 100.

-- One row per person who may log in: a student (with a card account) or card-office staff.
CREATE TABLE app_users (
  user_id        bigserial PRIMARY KEY,
  login_name     text NOT NULL UNIQUE,              -- the student number, or a staff login
  account_id     bigint UNIQUE REFERENCES accounts(account_id),
  role           text NOT NULL CHECK (role IN ('student', 'admin')),
  password_hash  text,                              -- Argon2id (PHC string); NULL = initial password
  phone          text UNIQUE,                       -- the bound mobile number, E.164-ish digits
  created_ms     bigint NOT NULL
);

-- One row per logged-in device. The refresh token is stored only as its SHA-256.
CREATE TABLE app_sessions (
  session_id          bigserial PRIMARY KEY,
  user_id             bigint NOT NULL REFERENCES app_users(user_id),
  device_id           text NOT NULL,
  refresh_hash        bytea NOT NULL UNIQUE,
  previous_hash       bytea,                         -- the refresh token before the last rotation
  created_ms          bigint NOT NULL,
  refreshed_ms        bigint NOT NULL,
  refresh_expires_ms  bigint NOT NULL,
  ended_ms            bigint,
  ended_reason        text
);
CREATE INDEX app_sessions_live ON app_sessions(user_id) WHERE ended_ms IS NULL;
CREATE INDEX app_sessions_previous ON app_sessions(previous_hash) WHERE previous_hash IS NOT NULL;

-- Verification codes sent by SMS: single use, short-lived, stored only as a keyed hash.
CREATE TABLE sms_codes (
  code_id        bigserial PRIMARY KEY,
  phone          text NOT NULL,
  purpose        text NOT NULL,
  code_hash      bytea NOT NULL,
  client_address text NOT NULL,
  sent_ms        bigint NOT NULL,
  expires_ms     bigint NOT NULL,
  failures       integer NOT NULL DEFAULT 0,
  used_ms        bigint
);
CREATE INDEX sms_codes_by_phone ON sms_codes(phone, sent_ms);
CREATE INDEX sms_codes_by_address ON sms_codes(client_address, sent_ms);

-- Counted failures (wrong passwords, wrong codes) with a back-off that expires.
CREATE TABLE attempt_counters (
  kind              text NOT NULL,
  subject           text NOT NULL,
  failures          integer NOT NULL DEFAULT 0,
  last_failure_ms   bigint NOT NULL DEFAULT 0,
  locked_until_ms   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, subject)
);

-- The card password as the app checks it, Argon2id; until a row exists the account's
-- terminal verifier or the default derived from the national ID number decides.
CREATE TABLE card_passwords (
  account_id     bigint PRIMARY KEY REFERENCES accounts(account_id),
  password_hash  text NOT NULL,
  set_ms         bigint NOT NULL
);

-- What the card office did through the admin API, and security events worth a look.
CREATE TABLE audit_log (
  audit_id   bigserial PRIMARY KEY,
  time_ms    bigint NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  target     text NOT NULL,
  detail     text NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log(time_ms);
