package dev.coffer.server.access;

import java.time.Instant;
import java.util.List;

/**
 * The wire records of the Coffer access service ({@code aws-models/coffer-access-2026-12-01.json});
 * component names are the model's member names, letter for letter. None carries a secret value.
 */
public final class AccessMessages {
    private AccessMessages() {}

    public record WhoCanRequest(String SecretId, String Action) {}

    public record WhoCanResponse(String SecretARN, String SecretName, String Action, List<PrincipalAccess> Principals) {}

    public record PrincipalAccess(String AccountId, String PrincipalArn, String PrincipalName, String PrincipalType,
                                  List<String> ViaGroups, Boolean Conditional, List<DecidingStatement> DecidingStatements) {}

    public record DecidingStatement(String PolicySource, String Sid, Integer StatementIndex, Boolean HasConditions) {}

    public record WhatCanRequest(String PrincipalArn, String Action) {}

    public record WhatCanResponse(String PrincipalArn, String Action, List<SecretAccess> Secrets) {}

    public record SecretAccess(String AccountId, String Region, String SecretARN, String SecretName, List<String> ViaGroups,
                               Boolean Conditional, List<DecidingStatement> DecidingStatements) {}

    public record LintAccessRequest() {}

    public record LintAccessResponse(List<LintFinding> Findings, List<RuleNotRun> RulesNotRun) {}

    public record LintFinding(String RuleId, String Severity, String Subject, List<String> Principals, String Message) {}

    public record RuleNotRun(String RuleId, String Reason) {}

    public record HygieneReportRequest(String Region, Integer UnreadDays, Integer ExpiryReminderDays, Integer UnusedKeyDays) {}

    public record HygieneReportResponse(String AccountId, String Region, Instant GeneratedAt, HygieneThresholds Thresholds,
                                        List<String> Rules, List<SecretInventoryEntry> Inventory, List<HygieneFinding> Findings,
                                        List<RuleNotRun> RulesNotRun) {}

    public record HygieneThresholds(Integer UnreadDays, Integer ExpiryReminderDays, Integer UnusedKeyDays) {}

    public record SecretInventoryEntry(String SecretARN, String SecretName, String Region, String Owner, String Classification,
                                       String Environment, Long RotationFrequencyHours, String RotationSource,
                                       Instant LastAccessedDate, Instant LastRotatedDate, Instant ExpirationDate) {}

    public record HygieneFinding(String RuleId, String Severity, String Subject, String SubjectName, String Region,
                                 String Message) {}
}
