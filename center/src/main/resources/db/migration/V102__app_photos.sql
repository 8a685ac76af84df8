-- Card photos: a student uploads a standard ID photo, the card office reviews it, the newest
-- approved one is the card photo.
CREATE TABLE photos (
  photo_id      bigserial PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES accounts(account_id),
  jpeg          bytea NOT NULL,
  width         integer NOT NULL,
  height        integer NOT NULL,
  state         text NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'REPLACED')),
  reason        text,
  submitted_ms  bigint NOT NULL,
  reviewed_ms   bigint,
  reviewer      text
);
CREATE INDEX photos_pending ON photos(submitted_ms) WHERE state = 'PENDING';
CREATE INDEX photos_by_account ON photos(account_id, photo_id);
