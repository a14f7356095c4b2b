-- Audit exports (issue 4 item 5): each sink's cursor, the sequence number of the last audit event the sink
-- confirmed it received (files written and fsynced, syslog frames written to a live connection, a webhook's 2xx).
-- Exporting reads audit_events after the cursor and moves it only after delivery, so a sink that is down falls
-- behind and catches up; a node that takes over a sink continues from here. The first delivery inserts the row.
CREATE TABLE audit_export_cursors (
    sink_name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    last_seq         BIGINT       NOT NULL,
    last_event_time  BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);
