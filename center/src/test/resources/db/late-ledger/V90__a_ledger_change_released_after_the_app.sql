-- MigrationOrderIT: a ledger migration (V1-V99) released after the app's V100+ were applied.
CREATE TABLE late_ledger_change (id INTEGER PRIMARY KEY);
