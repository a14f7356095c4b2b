package dev.coffer.server.testkit;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the API suite on PostgreSQL, before any set-up runs, when no PostgreSQL is reachable —
 * saying so — except under CI (CI=true), where PostgreSQL is part of the machine and the tests must
 * run (and fail). Inert when the suite runs on SQLite. For JUnit Jupiter classes it is registered in
 * the {@code api-on-postgresql} surefire execution by extension autodetection (META-INF/services);
 * a jqwik class that starts a server names it with {@code @AddLifecycleHook}.
 */
public final class PostgresSuiteCondition implements ExecutionCondition, SkipExecutionHook {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String skip = whySkip();
        return skip == null ? ConditionEvaluationResult.enabled("runs") : ConditionEvaluationResult.disabled(skip);
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String skip = whySkip();
        return skip == null ? SkipResult.doNotSkip() : SkipResult.skip(skip);
    }

    private static String whySkip() {
        if (!TestPostgres.requested()) return null;
        String unreachable = TestPostgres.unreachable();
        if (unreachable == null || "true".equals(System.getenv("CI"))) return null;
        return "SKIPPED: the API suite on PostgreSQL needs PostgreSQL at " + PostgresDatabase.SERVER + " (" + unreachable
                + "); start it or set COFFER_TEST_POSTGRES=HOST:PORT";
    }
}
