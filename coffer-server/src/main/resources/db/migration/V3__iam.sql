-- IAM identities. Portable SQL (SQLite and PostgreSQL); times are BIGINT epoch milliseconds.
-- Names are unique per account case-insensitively, as in IAM: each entity keeps its name as given
-- and a lower-cased copy under a unique constraint. Tags are JSON text ([{"Key":..,"Value":..}]).
-- Every row that decides access carries row_mac: HMAC-SHA256 under the keyring's row-integrity key
-- over the row's identity (account, kind, primary key) and every column that decides access. A row
-- whose MAC does not verify is refused (treated as absent for authorization).

CREATE TABLE iam_users (
    account_id    VARCHAR(12)   NOT NULL,
    user_id       VARCHAR(32)   NOT NULL,
    user_name     VARCHAR(64)   NOT NULL,
    name_lower    VARCHAR(64)   NOT NULL,
    path          VARCHAR(512)  NOT NULL,
    arn           VARCHAR(2048) NOT NULL,
    created_at    BIGINT        NOT NULL,
    boundary_arn  VARCHAR(2048),
    tags          VARCHAR(20480) NOT NULL,
    row_mac       ${blob}       NOT NULL,
    PRIMARY KEY (account_id, user_id),
    CONSTRAINT iam_users_name UNIQUE (account_id, name_lower)
);

CREATE TABLE iam_groups (
    account_id    VARCHAR(12)   NOT NULL,
    group_id      VARCHAR(32)   NOT NULL,
    group_name    VARCHAR(128)  NOT NULL,
    name_lower    VARCHAR(128)  NOT NULL,
    path          VARCHAR(512)  NOT NULL,
    arn           VARCHAR(2048) NOT NULL,
    created_at    BIGINT        NOT NULL,
    row_mac       ${blob}       NOT NULL,
    PRIMARY KEY (account_id, group_id),
    CONSTRAINT iam_groups_name UNIQUE (account_id, name_lower)
);

CREATE TABLE iam_group_members (
    account_id VARCHAR(12) NOT NULL,
    group_id   VARCHAR(32) NOT NULL,
    user_id    VARCHAR(32) NOT NULL,
    row_mac    ${blob}     NOT NULL,
    PRIMARY KEY (account_id, group_id, user_id)
);
CREATE INDEX iam_group_members_user ON iam_group_members (account_id, user_id);

CREATE TABLE iam_roles (
    account_id           VARCHAR(12)   NOT NULL,
    role_id              VARCHAR(32)   NOT NULL,
    role_name            VARCHAR(64)   NOT NULL,
    name_lower           VARCHAR(64)   NOT NULL,
    path                 VARCHAR(512)  NOT NULL,
    arn                  VARCHAR(2048) NOT NULL,
    created_at           BIGINT        NOT NULL,
    trust_policy         VARCHAR(20480) NOT NULL,
    description          VARCHAR(1000),
    max_session_duration INTEGER       NOT NULL,
    boundary_arn         VARCHAR(2048),
    tags                 VARCHAR(20480) NOT NULL,
    last_used_at         BIGINT,
    last_used_region     VARCHAR(64),
    row_mac              ${blob}       NOT NULL,
    PRIMARY KEY (account_id, role_id),
    CONSTRAINT iam_roles_name UNIQUE (account_id, name_lower)
);

-- Inline policies of users, groups and roles (owner_kind 'user' | 'group' | 'role', owner_id the entity's unique id).
CREATE TABLE iam_inline_policies (
    account_id  VARCHAR(12)   NOT NULL,
    owner_kind  VARCHAR(8)    NOT NULL,
    owner_id    VARCHAR(32)   NOT NULL,
    policy_name VARCHAR(128)  NOT NULL,
    document    VARCHAR(20480) NOT NULL,
    row_mac     ${blob}       NOT NULL,
    PRIMARY KEY (account_id, owner_kind, owner_id, policy_name)
);

-- Customer managed policies. The default version decides access, so it is under the MAC.
CREATE TABLE iam_policies (
    account_id       VARCHAR(12)   NOT NULL,
    policy_id        VARCHAR(32)   NOT NULL,
    policy_name      VARCHAR(128)  NOT NULL,
    name_lower       VARCHAR(128)  NOT NULL,
    path             VARCHAR(512)  NOT NULL,
    arn              VARCHAR(2048) NOT NULL,
    description      VARCHAR(1000),
    default_version  VARCHAR(16)   NOT NULL,
    next_version     INTEGER       NOT NULL,
    created_at       BIGINT        NOT NULL,
    updated_at       BIGINT        NOT NULL,
    tags             VARCHAR(20480) NOT NULL,
    row_mac          ${blob}       NOT NULL,
    PRIMARY KEY (account_id, policy_id),
    CONSTRAINT iam_policies_name UNIQUE (account_id, name_lower),
    CONSTRAINT iam_policies_arn UNIQUE (arn)
);

CREATE TABLE iam_policy_versions (
    account_id  VARCHAR(12)   NOT NULL,
    policy_id   VARCHAR(32)   NOT NULL,
    version_id  VARCHAR(16)   NOT NULL,
    document    VARCHAR(20480) NOT NULL,
    created_at  BIGINT        NOT NULL,
    row_mac     ${blob}       NOT NULL,
    PRIMARY KEY (account_id, policy_id, version_id)
);

-- Managed policies (customer or AWS managed) attached to users, groups and roles.
CREATE TABLE iam_attachments (
    account_id  VARCHAR(12)   NOT NULL,
    owner_kind  VARCHAR(8)    NOT NULL,
    owner_id    VARCHAR(32)   NOT NULL,
    policy_arn  VARCHAR(2048) NOT NULL,
    attached_at BIGINT        NOT NULL,
    row_mac     ${blob}       NOT NULL,
    PRIMARY KEY (account_id, owner_kind, owner_id, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

-- client_ids and thumbprints are JSON arrays of strings.
CREATE TABLE iam_oidc_providers (
    account_id   VARCHAR(12)   NOT NULL,
    arn          VARCHAR(2048) NOT NULL,
    url          VARCHAR(255)  NOT NULL,
    client_ids   VARCHAR(20480) NOT NULL,
    thumbprints  VARCHAR(2048) NOT NULL,
    tags         VARCHAR(20480) NOT NULL,
    created_at   BIGINT        NOT NULL,
    row_mac      ${blob}       NOT NULL,
    PRIMARY KEY (account_id, arn)
);

-- Access keys belong to a user (by unique id, so a renamed user keeps its keys); status and owner are under the MAC.
ALTER TABLE access_keys ADD COLUMN user_id VARCHAR(32);
ALTER TABLE access_keys ADD COLUMN last_used_region VARCHAR(64);
ALTER TABLE access_keys ADD COLUMN last_used_service VARCHAR(64);
ALTER TABLE access_keys ADD COLUMN row_mac ${blob};
CREATE INDEX access_keys_user ON access_keys (account_id, user_id);

-- A secret's resource policy decides access: its MAC sits beside it.
ALTER TABLE secrets ADD COLUMN resource_policy_mac ${blob};
