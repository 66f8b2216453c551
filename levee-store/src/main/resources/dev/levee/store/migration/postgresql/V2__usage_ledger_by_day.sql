-- PostgreSQL only: the ledger in one partition per UTC day (created ahead by the store's maintenance,
-- rows of a day without one land in the default partition), so retention drops whole days instead
-- of deleting rows one by one. A partitioned table's keys must include the partition column.
ALTER TABLE usage_ledger RENAME TO usage_ledger_unpartitioned;
ALTER INDEX usage_ledger_at RENAME TO usage_ledger_unpartitioned_at;
ALTER INDEX usage_ledger_key RENAME TO usage_ledger_unpartitioned_key;
ALTER TABLE usage_ledger_unpartitioned RENAME CONSTRAINT usage_ledger_pkey TO usage_ledger_unpartitioned_pkey;

CREATE TABLE usage_ledger (
    LIKE usage_ledger_unpartitioned INCLUDING DEFAULTS,
    PRIMARY KEY (row_id, at_ms)
) PARTITION BY RANGE (at_ms);
CREATE TABLE usage_ledger_default PARTITION OF usage_ledger DEFAULT;
INSERT INTO usage_ledger SELECT * FROM usage_ledger_unpartitioned;
DROP TABLE usage_ledger_unpartitioned;

CREATE INDEX usage_ledger_at ON usage_ledger (at_ms);
CREATE INDEX usage_ledger_key ON usage_ledger (key_id, at_ms);
