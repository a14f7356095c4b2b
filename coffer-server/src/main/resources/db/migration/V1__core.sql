-- Coffer core schema. Portable SQL for both engines (SQLite and PostgreSQL):
-- times are BIGINT epoch milliseconds, flags are INTEGER 0/1, ${blob} is BLOB or BYTEA.
-- Secret values, key material and access-key secrets are stored only as ciphertext.

CREATE TABLE coffer_meta (
    meta_key   VARCHAR(64)   NOT NULL PRIMARY KEY,
    meta_value VARCHAR(4096) NOT NULL
);

-- Key-encryption keys, each wrapped by the root key. Old keys stay for decryption.
CREATE TABLE keyring_keys (
    key_id      INTEGER NOT NULL PRIMARY KEY,
    purpose     VARCHAR(32) NOT NULL,
    wrapped_key ${blob} NOT NULL,
    is_primary  INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE access_keys (
    access_key_id    VARCHAR(128) NOT NULL PRIMARY KEY,
    account_id       VARCHAR(12)  NOT NULL,
    principal_arn    VARCHAR(2048) NOT NULL,
    user_name        VARCHAR(128) NOT NULL,
    secret_sealed    ${blob} NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    created_at       BIGINT NOT NULL,
    last_used_at     BIGINT
);

CREATE TABLE secrets (
    secret_id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id          VARCHAR(12)   NOT NULL,
    region              VARCHAR(64)   NOT NULL,
    name                VARCHAR(512)  NOT NULL,
    arn                 VARCHAR(2048) NOT NULL,
    description         VARCHAR(2048),
    kms_key_id          VARCHAR(2048),
    created_at          BIGINT NOT NULL,
    last_changed_at     BIGINT NOT NULL,
    last_accessed_at    BIGINT,
    deleted_at          BIGINT,
    deletion_date       BIGINT,
    rotation_enabled    INTEGER NOT NULL DEFAULT 0,
    rotation_lambda_arn VARCHAR(2048),
    rotation_rules      VARCHAR(1024),
    last_rotated_at     BIGINT,
    next_rotation_at    BIGINT,
    tagged              INTEGER NOT NULL DEFAULT 0,
    resource_policy     VARCHAR(20480),
    primary_secret_id   VARCHAR(36),
    primary_region      VARCHAR(64),
    CONSTRAINT secrets_name_unique UNIQUE (account_id, region, name),
    CONSTRAINT secrets_arn_unique UNIQUE (arn)
);
CREATE INDEX secrets_primary ON secrets (primary_secret_id);
CREATE INDEX secrets_deletion ON secrets (deletion_date);

CREATE TABLE secret_versions (
    secret_id        VARCHAR(36) NOT NULL,
    version_id       VARCHAR(64) NOT NULL,
    created_at       BIGINT NOT NULL,
    last_accessed_at BIGINT,
    value_type       CHAR(1) NOT NULL,
    sealed_value     ${blob} NOT NULL,
    key_id           INTEGER NOT NULL,
    PRIMARY KEY (secret_id, version_id),
    FOREIGN KEY (secret_id) REFERENCES secrets (secret_id) ON DELETE CASCADE
);

-- Each label sits on at most one version of a secret: the primary key says so.
CREATE TABLE version_stages (
    secret_id  VARCHAR(36)  NOT NULL,
    stage      VARCHAR(256) NOT NULL,
    version_id VARCHAR(64)  NOT NULL,
    PRIMARY KEY (secret_id, stage),
    FOREIGN KEY (secret_id, version_id) REFERENCES secret_versions (secret_id, version_id) ON DELETE CASCADE
);
CREATE INDEX version_stages_version ON version_stages (secret_id, version_id);

CREATE TABLE secret_tags (
    secret_id VARCHAR(36)  NOT NULL,
    tag_key   VARCHAR(128) NOT NULL,
    tag_value VARCHAR(256) NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (secret_id, tag_key),
    FOREIGN KEY (secret_id) REFERENCES secrets (secret_id) ON DELETE CASCADE
);

CREATE TABLE replica_regions (
    secret_id        VARCHAR(36) NOT NULL,
    region           VARCHAR(64) NOT NULL,
    kms_key_id       VARCHAR(2048),
    status           VARCHAR(16) NOT NULL,
    status_message   VARCHAR(1024),
    PRIMARY KEY (secret_id, region),
    FOREIGN KEY (secret_id) REFERENCES secrets (secret_id) ON DELETE CASCADE
);
