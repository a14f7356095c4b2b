package dev.coffer.server.request;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.authz.AccessDecider;
import dev.coffer.server.authz.RequestFacts;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Decision;
import dev.coffer.server.iam.Principal;
import java.time.Clock;

/**
 * Authorizes every call with IAM's policy evaluation: the caller's identity policies, the
 * target's resource policy, boundaries and session policies, with the request's global
 * condition keys. A refusal is AccessDeniedException in AWS's words, naming the principal,
 * the action and the resource, and which kind of policy failed to allow or denied.
 */
public final class PolicyAuthorizer implements Authorizer {
    private final AccessDecider decider;
    private final Clock clock;

    public PolicyAuthorizer(AccessDecider decider, Clock clock) {
        this.decider = decider;
        this.clock = clock;
    }

    @Override
    public void authorize(CallContext call, String action, AccessTarget target, boolean secureTransport) {
        Principal principal = call.principal();
        RequestFacts facts = new RequestFacts(call.sourceIp(), secureTransport, clock.instant(), call.region());
        Decision decision = decider.decide(principal, action, target, facts);
        if (!decision.allowed()) {
            throw new ServiceException(ErrorCode.AccessDeniedException,
                    decision.denialMessage(principal.arn(), action, target.resourceInMessages()));
        }
    }
}
