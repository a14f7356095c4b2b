-- The audit trail (issue 4): one row per API call or service event, in CloudTrail's shape.
-- `seq` is the order of the one hash chain every node appends to; `record_json` is the full
-- CloudTrail record and, with `prev_hash`, all that `hash` covers (SHA-256, hex). The other
-- columns are copies of record fields, kept only so lookups are indexed; the verifier checks
-- that they agree with the record. Times are epoch milliseconds.
CREATE TABLE audit_events (
    seq            ${bigkey}     NOT NULL PRIMARY KEY,
    event_id       VARCHAR(64)   NOT NULL,
    event_time     BIGINT        NOT NULL,
    account_id     VARCHAR(32)   NOT NULL,
    region         VARCHAR(64),
    event_source   VARCHAR(128),
    event_name     VARCHAR(128),
    username       VARCHAR(256),
    access_key_id  VARCHAR(128),
    read_only      INTEGER       NOT NULL,
    source_ip      VARCHAR(128),
    error_code     VARCHAR(128),
    record_json    TEXT          NOT NULL,
    prev_hash      VARCHAR(64)   NOT NULL,
    hash           VARCHAR(64)   NOT NULL
);
CREATE UNIQUE INDEX audit_events_event_id ON audit_events (event_id);
-- Newest first within an account, optionally within a time range, by one lookup attribute.
CREATE INDEX audit_events_time ON audit_events (account_id, event_time, seq);
CREATE INDEX audit_events_name ON audit_events (account_id, event_name, event_time, seq);
CREATE INDEX audit_events_source ON audit_events (account_id, event_source, event_time, seq);
CREATE INDEX audit_events_username ON audit_events (account_id, username, event_time, seq);
CREATE INDEX audit_events_access_key ON audit_events (account_id, access_key_id, event_time, seq);
CREATE INDEX audit_events_source_ip ON audit_events (account_id, source_ip, event_time, seq);
-- Most events are successful reads: index only the rare side, so the common one costs no index write.
CREATE INDEX audit_events_writes ON audit_events (account_id, event_time, seq) WHERE read_only = 0;
CREATE INDEX audit_events_errors ON audit_events (account_id, error_code, event_time, seq) WHERE error_code IS NOT NULL;

-- What each event acted on. `shown` rows are the event's Resources (ARN and type); the others
-- are aliases for lookup only (a secret's plain name beside its ARN).
CREATE TABLE audit_event_resources (
    seq            BIGINT        NOT NULL,
    position       INTEGER       NOT NULL,
    account_id     VARCHAR(32)   NOT NULL,
    event_time     BIGINT        NOT NULL,
    resource_type  VARCHAR(128),
    resource_name  VARCHAR(2048) NOT NULL,
    shown          INTEGER       NOT NULL,
    PRIMARY KEY (seq, position)
);
CREATE INDEX audit_event_resources_name ON audit_event_resources (account_id, resource_name, event_time, seq);
CREATE INDEX audit_event_resources_type ON audit_event_resources (account_id, resource_type, event_time, seq);

-- The head of the chain: the last sequence number and hash. Every append updates it in the
-- appending transaction, so appends from several nodes serialize on it and form one chain.
CREATE TABLE audit_chain (
    chain_id   INTEGER      NOT NULL PRIMARY KEY,
    last_seq   BIGINT       NOT NULL,
    last_hash  VARCHAR(64)  NOT NULL,
    last_time  BIGINT       NOT NULL
);
INSERT INTO audit_chain (chain_id, last_seq, last_hash, last_time)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- Signed digests of the chain, made at a fixed interval (Ed25519, key held apart from the data).
-- Each covers the events after the previous digest up to last_seq and carries the previous
-- digest's signature, so digests form a chain of their own.
CREATE TABLE audit_digests (
    digest_seq          BIGINT        NOT NULL PRIMARY KEY,
    created_at          BIGINT        NOT NULL,
    first_seq           BIGINT        NOT NULL,
    last_seq            BIGINT        NOT NULL,
    last_hash           VARCHAR(64)   NOT NULL,
    event_count         BIGINT        NOT NULL,
    start_time          BIGINT        NOT NULL,
    end_time            BIGINT        NOT NULL,
    previous_signature  TEXT,
    key_id              VARCHAR(64)   NOT NULL,
    signature           TEXT          NOT NULL
);
