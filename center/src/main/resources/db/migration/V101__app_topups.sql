-- Top-ups paid through a payment provider (WeChat Pay v3 style, Alipay style). An order is
-- created by the app, paid at the provider, and credited exactly once when the provider's
-- signed notification (or an order query) says it is paid; an unpaid order closes.

CREATE TABLE topup_orders (
  out_trade_no       text PRIMARY KEY,
  account_id         bigint NOT NULL REFERENCES accounts(account_id),
  user_id            bigint NOT NULL REFERENCES app_users(user_id),
  channel            text NOT NULL CHECK (channel IN ('wechat', 'alipay')),
  amount_fen         bigint NOT NULL CHECK (amount_fen > 0),
  state              text NOT NULL CHECK (state IN ('CREATED', 'PAID', 'CLOSED')),
  created_ms         bigint NOT NULL,
  expires_ms         bigint NOT NULL,
  paid_ms            bigint,
  provider_paid_ms   bigint,
  closed_ms          bigint,
  provider_trade_no  text,
  credited_by        text,                           -- 'notification' or 'query'
  last_query_ms      bigint NOT NULL DEFAULT 0
);
CREATE INDEX topup_orders_open ON topup_orders(expires_ms) WHERE state = 'CREATED';
CREATE INDEX topup_orders_by_account ON topup_orders(account_id, created_ms);
CREATE INDEX topup_orders_paid ON topup_orders(channel, provider_paid_ms) WHERE state = 'PAID';

-- Every notification a provider sent, kept whatever became of it.
CREATE TABLE provider_notifications (
  notification_id  bigserial PRIMARY KEY,
  channel          text NOT NULL,
  out_trade_no     text,
  provider_id      text,                             -- the provider's notification id
  received_ms      bigint NOT NULL,
  outcome          text NOT NULL,                    -- CREDITED, DUPLICATE or the refusal's code
  detail           text NOT NULL
);
CREATE INDEX provider_notifications_by_order ON provider_notifications(out_trade_no);

-- One line per difference between a provider's daily statement and the ledger.
CREATE TABLE reconciliation_runs (
  run_id        bigserial PRIMARY KEY,
  channel       text NOT NULL,
  day           date NOT NULL,
  run_ms        bigint NOT NULL,
  statement_lines integer NOT NULL,
  statement_fen bigint NOT NULL,
  ledger_orders integer NOT NULL,
  ledger_fen    bigint NOT NULL,
  differences   integer NOT NULL
);
CREATE TABLE reconciliation_differences (
  run_id        bigint NOT NULL REFERENCES reconciliation_runs(run_id),
  out_trade_no  text NOT NULL,
  kind          text NOT NULL,                       -- NOT_IN_LEDGER, NOT_IN_STATEMENT, AMOUNT_DIFFERS
  statement_fen bigint,
  ledger_fen    bigint,
  detail        text NOT NULL
);
