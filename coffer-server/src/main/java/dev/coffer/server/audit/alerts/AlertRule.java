package dev.coffer.server.audit.alerts;

/** The alert rules: each one's id (the metric's {@code rule} label, the record's {@code rule}) and its event name. */
public enum AlertRule {
    PRINCIPAL_READ_SPIKE("principal-read-spike", "AlertReadSpike"),
    SECRET_READ_SPIKE("secret-read-spike", "AlertReadSpike"),
    NEW_SOURCE_NETWORK("new-source-network", "AlertNewSourceNetwork"),
    UNUSUAL_HOUR("unusual-hour", "AlertUnusualHour"),
    FIRST_SECRET_READ("first-secret-read", "AlertFirstSecretRead"),
    REPEATED_ACCESS_DENIED("repeated-access-denied", "AlertRepeatedAccessDenied"),
    SECRET_EXPIRING("secret-expiring", "AlertSecretExpiring"),
    SECRET_EXPIRED("secret-expired", "AlertSecretExpired"),
    ROTATION_OVERDUE("rotation-overdue", "AlertRotationOverdue");

    public final String id;
    public final String eventName;

    AlertRule(String id, String eventName) {
        this.id = id;
        this.eventName = eventName;
    }
}
