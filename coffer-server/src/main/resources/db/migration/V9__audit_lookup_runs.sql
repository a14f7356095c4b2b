-- The lookup index, coarser (issue 4: the trail's cost on reads). V6 kept one entry per (event, attribute):
-- six index rows for every GetSecretValue, which cost more than the event itself. An entry now stands for a
-- run of events with one value inside a block of consecutive events (dev.coffer.server.audit.AuditIndexer):
-- the first and last of them (seq, time); events with other values may lie between. A lookup reads the entries
-- newest first and, for each, the events in its seq range that match, so an entry is a short range scan of
-- audit_events (the events table's primary key). A value seen on every event of a block costs one entry, not
-- hundreds, and a rare value's entry spans only the events that hold it.
DROP TABLE audit_lookup;
CREATE TABLE audit_lookup (
    account_id    VARCHAR(32)   NOT NULL,
    attribute     INTEGER       NOT NULL,
    lookup_value  VARCHAR(512)  NOT NULL,
    last_time     BIGINT        NOT NULL,
    first_seq     BIGINT        NOT NULL,
    last_seq      BIGINT        NOT NULL,
    first_time    BIGINT        NOT NULL,
    PRIMARY KEY (account_id, attribute, lookup_value, last_time, first_seq)
) ${clustered};

-- Who called, as the alert engine's baselines know them: an IAM user's ARN, a role session's role ARN; null for
-- service events and callers no principal was established for. Derived from the record's userIdentity (the
-- verifier checks it agrees), so the engine judges an event without reading and parsing its record. Events
-- written before this column have null here, and the engine reads their record as before.
ALTER TABLE audit_events ADD COLUMN actor_arn VARCHAR(2048);

-- Everything is entered again from the first event, in the new shape; until the indexer has caught up,
-- lookups scan the events it has not reached.
DELETE FROM audit_index_state;
