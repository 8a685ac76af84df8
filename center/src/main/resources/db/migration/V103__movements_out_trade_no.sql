-- The daily top-up reconciliation compares a provider's statement with the ledger's TOP_UP
-- movements of each order, not only with the orders. A paid order's TOP_UP movement names its
-- channel and order in `channel` ('wechat:T2026...', written by TopUpOrders.settle through
-- Accounts.topUp); this column is that out_trade_no, computed by PostgreSQL from `channel`
-- for every existing and future row (no row or value is changed, nothing is lost), and indexed
-- so the reconciliation counts each order's credits without scanning the ledger.
ALTER TABLE movements ADD COLUMN out_trade_no text GENERATED ALWAYS AS (
  CASE WHEN kind = 'TOP_UP' AND channel ~ '^(wechat|alipay):.' THEN substr(channel, strpos(channel, ':') + 1) END
) STORED;
CREATE INDEX movements_by_out_trade_no ON movements(out_trade_no) WHERE out_trade_no IS NOT NULL;
