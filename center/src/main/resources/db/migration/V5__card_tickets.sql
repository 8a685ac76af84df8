-- The issuer's ticket of a layout-1 card (key A 6 bytes + digest 16 bytes, docs/card-layout.md),
-- sent to terminals with the account; empty for a layout-2 card.
ALTER TABLE cards ADD COLUMN v1_ticket bytea NOT NULL DEFAULT ''::bytea;
