package dev.coffer.server.store;

/** The replication status of one region of a primary secret. */
public record ReplicaRow(String secretId, String region, String kmsKeyId, String status, String statusMessage) {}
