package dev.coffer.server.access;

import dev.coffer.server.access.AccessMessages.DecidingStatement;
import dev.coffer.server.access.AccessMessages.HygieneFinding;
import dev.coffer.server.access.AccessMessages.HygieneReportRequest;
import dev.coffer.server.access.AccessMessages.HygieneReportResponse;
import dev.coffer.server.access.AccessMessages.HygieneThresholds;
import dev.coffer.server.access.AccessMessages.LintAccessRequest;
import dev.coffer.server.access.AccessMessages.LintAccessResponse;
import dev.coffer.server.access.AccessMessages.LintFinding;
import dev.coffer.server.access.AccessMessages.PrincipalAccess;
import dev.coffer.server.access.AccessMessages.RuleNotRun;
import dev.coffer.server.access.AccessMessages.SecretAccess;
import dev.coffer.server.access.AccessMessages.SecretInventoryEntry;
import dev.coffer.server.access.AccessMessages.WhatCanRequest;
import dev.coffer.server.access.AccessMessages.WhatCanResponse;
import dev.coffer.server.access.AccessMessages.WhoCanRequest;
import dev.coffer.server.access.AccessMessages.WhoCanResponse;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerService;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Coffer's own JSON 1.1 service for the access analyses: {@code WhoCan}, {@code WhatCan},
 * {@code LintAccess} and {@code HygieneReport} under the target prefix {@value #TARGET_PREFIX}, signed for
 * {@value #SIGNING_NAME}. Each is authorized (IAM actions {@code coffer:WhoCan}, {@code coffer:WhatCan},
 * {@code coffer:LintAccess}, {@code coffer:HygieneReport}) and audited like every other call: WhoCan against
 * the secret's ARN, WhatCan against the analysed principal's ARN (so cross-account analysis needs what
 * cross-account access needs), LintAccess and HygieneReport on no particular resource. The analyses act
 * within the caller's account and region; the hygiene report within the caller's account, in every region
 * or the one it names.
 */
public final class AccessService {
    public static final String SIGNING_NAME = "coffer";
    public static final String TARGET_PREFIX = "CofferAccess_20261201";
    public static final String MODEL = "aws-models/coffer-access-2026-12-01.json";

    private final List<Operation<?, ?>> operations;

    /** @param acceptedRegion the regions this server serves, which a hygiene report may name */
    public AccessService(AccessAnalysis analysis, SecretsManagerService secrets, HygieneReport hygiene,
                         Predicate<String> acceptedRegion) {
        operations = List.of(
                new Operation<>(SIGNING_NAME, "WhoCan", WhoCanRequest.class, true, (CallContext ctx, WhoCanRequest req) ->
                        whoCan(analysis.whoCan(ctx.accountId(), ctx.region(), req.SecretId(), req.Action())))
                        .withTarget((ctx, req) -> {
                            AccessTarget secret = secrets.accessTarget(ctx, req.SecretId());
                            // The analysis is about the secret, but the secret's own policy does not grant analysing it.
                            return new AccessTarget(secret.resourceArn(), secret.resourceAccount(), null, Map.of());
                        }),
                new Operation<>(SIGNING_NAME, "WhatCan", WhatCanRequest.class, true, (CallContext ctx, WhatCanRequest req) ->
                        whatCan(analysis.whatCan(req.PrincipalArn(), req.Action())))
                        .withTarget((ctx, req) -> new AccessTarget(req.PrincipalArn(),
                                accountOf(req.PrincipalArn(), ctx.accountId()), null, Map.of())),
                new Operation<>(SIGNING_NAME, "LintAccess", LintAccessRequest.class, true,
                        (CallContext ctx, LintAccessRequest req) -> lint(analysis.lint(ctx.accountId()))),
                new Operation<>(SIGNING_NAME, "HygieneReport", HygieneReportRequest.class, true,
                        (CallContext ctx, HygieneReportRequest req) -> {
                            if (req.Region() != null && !acceptedRegion.test(req.Region())) {
                                throw new ServiceException(ErrorCode.InvalidParameterException,
                                        "The region " + req.Region() + " is not a region this server serves.");
                            }
                            return hygiene(hygiene.run(ctx.accountId(), req.Region(), HygieneReport.Thresholds.of(
                                    req.UnreadDays(), req.ExpiryReminderDays(), req.UnusedKeyDays())));
                        }));
    }

    public List<Operation<?, ?>> operations() {
        return operations;
    }

    private static WhoCanResponse whoCan(AccessAnalysis.WhoCanResult r) {
        return new WhoCanResponse(r.secretArn(), r.secretName(), r.action(), r.principals().stream()
                .map(p -> new PrincipalAccess(p.accountId(), p.principalArn(), p.name(),
                        "role".equals(p.kind()) ? "Role" : "User", p.viaGroups(), p.conditional(), statements(p.statements())))
                .toList());
    }

    private static WhatCanResponse whatCan(AccessAnalysis.WhatCanResult r) {
        return new WhatCanResponse(r.principalArn(), r.action(), r.secrets().stream()
                .map(s -> new SecretAccess(s.accountId(), s.region(), s.secretArn(), s.name(), s.viaGroups(), s.conditional(),
                        statements(s.statements())))
                .toList());
    }

    private static LintAccessResponse lint(AccessAnalysis.LintReport r) {
        return new LintAccessResponse(
                r.findings().stream().map(f -> new LintFinding(f.ruleId(), f.severity().name(), f.subject(), f.principals(),
                        f.message())).toList(),
                r.rulesNotRun().stream().map(n -> new RuleNotRun(n.ruleId(), n.reason())).toList());
    }

    private static HygieneReportResponse hygiene(HygieneReport.Report r) {
        HygieneReport.Thresholds t = r.thresholds();
        return new HygieneReportResponse(r.accountId(), r.region(), r.generatedAt(),
                new HygieneThresholds(t.unreadDays(), t.expiryReminderDays(), t.unusedKeyDays()), r.rules(),
                r.inventory().stream().map(e -> new SecretInventoryEntry(e.secretArn(), e.name(), e.region(), e.owner(),
                        e.classification(), e.environment(), e.rotationFrequency() == null ? null : e.rotationFrequency().toHours(),
                        e.rotationSource() == null ? null : switch (e.rotationSource()) {
                            case AUTOMATIC_ROTATION -> "AutomaticRotation";
                            case ROTATION_DAYS_TAG -> "RotationDaysTag";
                        }, e.lastRead(), e.lastRotated(), e.expires())).toList(),
                r.findings().stream().map(f -> new HygieneFinding(f.ruleId(), f.severity().name(), f.subject(), f.subjectName(),
                        f.region(), f.message())).toList(),
                r.rulesNotRun().stream().map(n -> new RuleNotRun(n.ruleId(), n.reason())).toList());
    }

    private static List<DecidingStatement> statements(List<AccessAnalysis.DecidingStatement> statements) {
        return statements.stream().map(s -> new DecidingStatement(s.policySource(), s.sid(), s.statementIndex(),
                s.hasConditions())).toList();
    }

    private static String accountOf(String arn, String fallback) {
        if (arn == null) return fallback;
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }
}
