-- Version cleanup asks for a secret's unlabelled versions older than a day; without this index that
-- scanned every version of the secret on each PutSecretValue once it had more than 100.
CREATE INDEX secret_versions_created ON secret_versions (secret_id, created_at);
