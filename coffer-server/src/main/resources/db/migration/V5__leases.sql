-- Leases for singleton work (purging deleted secrets, audit digests, rotation): on several nodes
-- sharing one database, the node holding a job's lease is the only one that runs it. A lease names
-- its holder (a node id, new at every start) and expires unless renewed, so when a node dies its
-- work moves to another node once the lease runs out.
CREATE TABLE coffer_leases (
    lease_name  VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder      VARCHAR(64)  NOT NULL,
    acquired_at BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL
);
