-- A refresh token's successor is derived, not drawn: HMAC-SHA256 under the app's refresh-token key
-- (HKDF of the token secret, label onecard-app-refresh-tokens-v1) of the session's random salt and
-- the rotation's generation. So a refresh token presented twice within the reuse interval (two tabs
-- of one phone whose access tokens expired together) gets the same successor both times, and the
-- tabs agree whichever answer is stored last. Only hashes of tokens are stored, as before; the salt
-- alone gives nothing without the key. Sessions opened before this migration have no salt: their
-- next rotation draws one.
ALTER TABLE app_sessions ADD COLUMN refresh_salt bytea;
ALTER TABLE app_sessions ADD COLUMN refresh_generation bigint NOT NULL DEFAULT 0;
