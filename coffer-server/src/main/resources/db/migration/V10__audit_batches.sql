-- The audit trail's events, stored by the batch (issue 4: the trail's cost on reads). A row per event made a durable
-- read cost a 1.5 KB row written twice (WAL and checkpoint) and twenty bound columns; that was more than the rest of a
-- cached GetSecretValue. A row now holds the events of one append — a group commit's reads, a write's own event —
-- compressed together (LZ4; dev.coffer.server.store.AuditBatch: every field of every event, its seq and hashes included),
-- about 150 bytes per read event. A batch holds at most 128 consecutive events, so the batch holding any seq is
-- found by a short range scan of the primary key. Integrity is unchanged: the hash chain runs through the events, and
-- the verifier decodes and checks each one as it did a row.
CREATE TABLE audit_batches (
    first_seq  ${bigkey}  NOT NULL PRIMARY KEY,
    last_seq   BIGINT     NOT NULL,
    events     ${blob}    NOT NULL
);
-- The events stored a row each before this version are moved into batches by the next migration
-- (dev.coffer.server.store.AuditEventsIntoBatches), which then drops audit_events.
