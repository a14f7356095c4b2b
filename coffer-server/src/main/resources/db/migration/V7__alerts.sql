-- Audit alerts (issue 4, item 6): the alert engine's cursor in the audit log and the baselines it keeps, so
-- they survive restarts and move with the singleton work to another node. Times are epoch milliseconds.
-- Migrations seed no rows: the engine inserts its state on its first run.

-- How far the engine has read the audit log, and when it first ran (its learning period starts then).
CREATE TABLE alert_state (
    state_id        INTEGER  NOT NULL PRIMARY KEY,
    processed_upto  BIGINT   NOT NULL,
    started_at      BIGINT   NOT NULL
);

-- Read rates per principal (kind 'P') and per secret (kind 'S'): the count in the current hour and a decayed
-- mean and variance of the hourly counts before it (quiet hours count as zero), in millionths (whole numbers: the
-- snapshot format carries no floating point, and a millionth is far below what a rate of reads can tell apart).
CREATE TABLE alert_rates (
    subject_kind    CHAR(1)        NOT NULL,
    subject         VARCHAR(2048)  NOT NULL,
    first_seen      BIGINT         NOT NULL,
    bucket_hour     BIGINT         NOT NULL,
    bucket_count    BIGINT         NOT NULL,
    mean_micros     BIGINT         NOT NULL,
    variance_micros BIGINT         NOT NULL,
    hours           BIGINT         NOT NULL,
    PRIMARY KEY (subject_kind, subject)
);

-- Per principal: when it was first seen and the hours of the day (UTC, a 24-bit mask) it has been active in.
CREATE TABLE alert_principals (
    principal     VARCHAR(2048)  NOT NULL PRIMARY KEY,
    first_seen    BIGINT         NOT NULL,
    active_hours  INTEGER        NOT NULL
);

-- The source networks (/24 for IPv4, /48 for IPv6) each principal has called from.
CREATE TABLE alert_networks (
    principal   VARCHAR(2048)  NOT NULL,
    network     VARCHAR(64)    NOT NULL,
    first_seen  BIGINT         NOT NULL,
    PRIMARY KEY (principal, network)
);

-- The first read of each secret by each principal.
CREATE TABLE alert_first_reads (
    principal   VARCHAR(2048)  NOT NULL,
    secret_arn  VARCHAR(2048)  NOT NULL,
    first_read  BIGINT         NOT NULL,
    PRIMARY KEY (principal, secret_arn)
);

-- Denials counted per principal ('P') or source IP ('I') in a window that opens with the first denial.
CREATE TABLE alert_denials (
    key_kind      CHAR(1)        NOT NULL,
    denial_key    VARCHAR(2048)  NOT NULL,
    window_start  BIGINT         NOT NULL,
    denials       BIGINT         NOT NULL,
    PRIMARY KEY (key_kind, denial_key)
);

-- Alerts already raised for conditions that last (a secret near its expiry): one per rule, subject and window.
CREATE TABLE alert_raised (
    rule        VARCHAR(64)    NOT NULL,
    subject     VARCHAR(2048)  NOT NULL,
    window_key  VARCHAR(128)   NOT NULL,
    raised_at   BIGINT         NOT NULL,
    PRIMARY KEY (rule, subject, window_key)
);
