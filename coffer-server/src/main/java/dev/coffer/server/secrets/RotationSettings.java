package dev.coffer.server.secrets;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerMessages.RotateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.RotateSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.RotationRules;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.Store;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RotateSecret and CancelRotateSecret: validates and stores a secret's rotation
 * configuration (rotator ARN, schedule) and its next rotation date. Running rotations —
 * the four-step protocol — belongs to the rotation engine, which reads this configuration.
 * Until it exists, a request to rotate immediately is refused exactly as AWS refuses a
 * rotator it cannot invoke, and only {@code RotateImmediately=false} stores a schedule.
 */
final class RotationSettings {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (hour|hours|day|days)\\)");

    private final Store store;
    private final Clock clock;

    RotationSettings(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    RotateSecretResponse rotate(CallContext ctx, RotateSecretRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        if (req.ClientRequestToken() == null) throw SecretErrors.tokenRequired();
        RotationRules rules = req.RotationRules();
        if (rules != null && rules.AutomaticallyAfterDays() != null && rules.ScheduleExpression() != null) {
            throw SecretErrors.invalidParameter("You can't specify both AutomaticallyAfterDays and ScheduleExpression.");
        }
        if (rules != null) intervalMillis(rules); // validates the schedule before anything is written
        return store.write(tx -> {
            long now = clock.millis();
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            String lambda = req.RotationLambdaARN() != null ? req.RotationLambdaARN() : s.rotationLambdaArn();
            if (lambda == null) throw SecretErrors.invalidRequest("No Lambda rotation function ARN is associated with this secret.");
            if (!Boolean.FALSE.equals(req.RotateImmediately())) {
                // An immediate rotation needs the rotator to run now; with no rotation engine yet, Coffer
                // answers as AWS does for a rotator it cannot invoke, and stores nothing.
                throw new ServiceException(ErrorCode.AccessDeniedException, "Secrets Manager cannot invoke the specified "
                        + "Lambda function. Ensure that the function policy grants access to the principal "
                        + "secretsmanager.amazonaws.com.");
            }
            String rulesJson = rules != null ? SecretViews.rotationRulesJson(rules) : s.rotationRules();
            Long interval = rulesJson == null ? null : intervalMillis(SecretViews.rotationRules(rulesJson));
            Long next = interval == null ? null : now + interval;
            tx.secrets().update(s.withRotation(true, lambda, rulesJson, next, now));
            return new RotateSecretResponse(s.arn(), s.name(), null); // no version is created until a rotation runs
        });
    }

    RotateSecretResponse cancel(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.write(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
            if (s.isReplica()) throw SecretErrors.replicaIsReadOnly();
            String pending = StagingLabels.holderOf(tx.secrets().stages(s.secretId()), StagingLabels.PENDING);
            tx.secrets().update(s.withRotation(false, s.rotationLambdaArn(), s.rotationRules(), null, clock.millis()));
            return new RotateSecretResponse(s.arn(), s.name(), pending);
        });
    }

    /** The rotation interval for a days count or a {@code rate(...)} expression; null for cron schedules. */
    private static Long intervalMillis(RotationRules rules) {
        if (rules.AutomaticallyAfterDays() != null) return TimeUnit.DAYS.toMillis(rules.AutomaticallyAfterDays());
        if (rules.ScheduleExpression() == null) return null;
        Matcher m = RATE.matcher(rules.ScheduleExpression().trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return m.group(2).startsWith("hour") ? TimeUnit.HOURS.toMillis(n) : TimeUnit.DAYS.toMillis(n);
        }
        if (rules.ScheduleExpression().trim().startsWith("cron(")) return null;
        throw SecretErrors.invalidParameter("Invalid ScheduleExpression: use rate(N days), rate(N hours) or cron(...).");
    }
}
