package dev.coffer.server.sts;

import java.time.Duration;
import java.util.Map;

/**
 * A role as STS needs it: who it is, how long its sessions may last, and its trust policy.
 *
 * @param roleId             the role's unique id (AROA…), which prefixes its sessions' user ids
 * @param maxSessionDuration the role's MaxSessionDuration
 * @param trustPolicy        the AssumeRolePolicyDocument (JSON)
 * @param tags               the role's tags: principal tags of its sessions, below session tags
 */
public record AssumableRole(String arn, String roleId, String accountId, String name, Duration maxSessionDuration,
                            String trustPolicy, Map<String, String> tags) {
    public AssumableRole {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
