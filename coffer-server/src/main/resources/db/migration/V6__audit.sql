-- The audit trail (issue 4): one row per API call or service event, in CloudTrail's shape.
-- `seq` is the order of the one hash chain every node appends to; `record_json` is the full
-- CloudTrail record and, with `prev_hash`, all that `hash` covers (SHA-256, hex). The other
-- columns are copies of record fields for lookups; the verifier checks they agree with the record.
-- Times are epoch milliseconds. The table has no secondary index on purpose: an append touches only
-- its last page, which is what keeps a durable event per read cheap (BENCHMARKS.md).
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
    resource_type  VARCHAR(128),
    resource_arn   VARCHAR(2048),
    resource_name  VARCHAR(2048),
    -- the resource's owner when it is not the caller's account: the event is found in both, as CloudTrail
    -- delivers a cross-account call to both accounts
    resource_account VARCHAR(32),
    record_json    TEXT          NOT NULL,
    prev_hash      VARCHAR(64)   NOT NULL,
    hash           VARCHAR(64)   NOT NULL
);

-- The lookup index, built from the events shortly after they commit (dev.coffer.server.audit.AuditIndexer),
-- in large sorted batches: one entry per (event, lookup attribute), clustered by (account, attribute,
-- value, time, seq), so "this secret's events, newest first" is one range scan whatever the trail's size.
-- Events after indexed_upto are found by scanning that short tail of audit_events.
CREATE TABLE audit_lookup (
    account_id    VARCHAR(32)   NOT NULL,
    attribute     INTEGER       NOT NULL,
    lookup_value  VARCHAR(512)  NOT NULL,
    event_time    BIGINT        NOT NULL,
    seq           BIGINT        NOT NULL,
    PRIMARY KEY (account_id, attribute, lookup_value, event_time, seq)
) ${clustered};

CREATE TABLE audit_index_state (
    state_id      INTEGER  NOT NULL PRIMARY KEY,
    indexed_upto  BIGINT   NOT NULL
);

-- The head of the chain: the last sequence number and hash. Every append updates it in the
-- appending transaction, so appends from several nodes serialize on it and form one chain. The first
-- append inserts it (migrations seed no rows: a database that was only migrated is empty, so a whole
-- store can be restored into it); until then the chain starts from the all-zero genesis hash.
CREATE TABLE audit_chain (
    chain_id   INTEGER      NOT NULL PRIMARY KEY,
    last_seq   BIGINT       NOT NULL,
    last_hash  VARCHAR(64)  NOT NULL,
    last_time  BIGINT       NOT NULL
);

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
