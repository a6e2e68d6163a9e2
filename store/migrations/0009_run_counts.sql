-- Each run's deliveries counted by channel and state, kept by triggers as
-- the ledger changes: the dashboard, the CLI and /metrics read counts here
-- instead of counting a million rows.

CREATE TABLE run_counts (
    run_id  INTEGER NOT NULL,
    channel TEXT NOT NULL,
    state   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (run_id, channel, state)
) WITHOUT ROWID;

INSERT INTO run_counts (run_id, channel, state, n)
    SELECT run_id, channel, state, count(*) FROM deliveries GROUP BY run_id, channel, state;

CREATE TRIGGER run_counts_insert AFTER INSERT ON deliveries BEGIN
    INSERT INTO run_counts (run_id, channel, state, n) VALUES (new.run_id, new.channel, new.state, 1)
        ON CONFLICT (run_id, channel, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER run_counts_update AFTER UPDATE OF state, run_id, channel ON deliveries
    WHEN old.state != new.state OR old.run_id != new.run_id OR old.channel != new.channel BEGIN
    UPDATE run_counts SET n = n - 1 WHERE run_id = old.run_id AND channel = old.channel AND state = old.state;
    INSERT INTO run_counts (run_id, channel, state, n) VALUES (new.run_id, new.channel, new.state, 1)
        ON CONFLICT (run_id, channel, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER run_counts_delete AFTER DELETE ON deliveries BEGIN
    UPDATE run_counts SET n = n - 1 WHERE run_id = old.run_id AND channel = old.channel AND state = old.state;
END;

-- The deliveries a person must look at or complete, found without reading
-- the million that were simply sent (Deliveries inlines these states, so
-- the planner can use the partial index).
CREATE INDEX deliveries_attention ON deliveries (state, run_id)
    WHERE state IN ('failed', 'dead', 'blocked', 'unknown', 'not_done', 'assigned', 'done');
