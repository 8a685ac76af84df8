-- Payment codes (支付码, issue 17): versions 150 and up belong to the payment code.
-- See docs/paycode.md.

-- The "paycode" downstream stream: issuer public keys and certificate revocations.
INSERT INTO stream_versions(stream, version) VALUES ('paycode', 0);

-- Every public key the center has certified device keys under (terminals keep them all).
CREATE TABLE paycode_issuer_keys (
  key_id        integer PRIMARY KEY,             -- first 4 bytes of SHA-256(point)
  point         bytea NOT NULL,                  -- P-256, 65 bytes uncompressed
  published_ms  bigint NOT NULL
);

-- One row per device certificate: a logged-in device's public key, for one account, until not_after.
-- A session has at most one live (unrevoked) certificate; ending the session revokes it.
CREATE TABLE paycode_certificates (
  serial         bigserial PRIMARY KEY,
  account_id     bigint NOT NULL REFERENCES accounts(account_id),
  session_id     bigint NOT NULL REFERENCES app_sessions(session_id),
  device_id      text NOT NULL,
  issuer_key_id  integer NOT NULL REFERENCES paycode_issuer_keys(key_id),
  device_point   bytea NOT NULL,
  issued_ms      bigint NOT NULL,
  not_after_ms   bigint NOT NULL,
  revoked_ms     bigint,
  revoked_reason text
);
CREATE INDEX paycode_certificates_live ON paycode_certificates(session_id) WHERE revoked_ms IS NULL;

-- Each payment code applied once, across all terminals: (certificate, time step, counter).
CREATE TABLE paycode_used (
  serial       bigint NOT NULL,
  time_step    bigint NOT NULL,
  counter      integer NOT NULL,
  terminal_id  text NOT NULL,
  epoch        integer NOT NULL,
  seq          bigint NOT NULL,
  PRIMARY KEY (serial, time_step, counter)
);
