-- The accounts of this deployment, as AWS Organizations members. The bootstrap account is the
-- organization's management account; CreateAccount adds members. Each account is its own
-- namespace of identities and secrets.
CREATE TABLE org_accounts (
    account_id   VARCHAR(12)  NOT NULL PRIMARY KEY,
    name         VARCHAR(64)  NOT NULL,
    email        VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    joined_method VARCHAR(16) NOT NULL,
    joined_at    BIGINT NOT NULL,
    CONSTRAINT org_accounts_email_unique UNIQUE (email)
);

-- CreateAccount requests and how they ended (DescribeCreateAccountStatus, ListCreateAccountStatus).
CREATE TABLE org_create_account_requests (
    request_id     VARCHAR(40) NOT NULL PRIMARY KEY,
    account_name   VARCHAR(64) NOT NULL,
    state          VARCHAR(16) NOT NULL,
    requested_at   BIGINT NOT NULL,
    completed_at   BIGINT,
    account_id     VARCHAR(12),
    failure_reason VARCHAR(64)
);
CREATE INDEX org_create_account_requests_time ON org_create_account_requests (requested_at);
