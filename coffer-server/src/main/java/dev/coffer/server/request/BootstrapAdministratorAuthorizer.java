package dev.coffer.server.request;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;

/**
 * Authorization before identities and policies exist: the bootstrap administrator may
 * do everything, and so may Coffer's own service principal; anyone else is refused.
 */
public final class BootstrapAdministratorAuthorizer implements Authorizer {
    private final String administratorArn;

    public BootstrapAdministratorAuthorizer(String administratorArn) {
        this.administratorArn = administratorArn;
    }

    @Override
    public void authorize(CallContext call, Operation<?, ?> operation, AccessTarget target, boolean secureTransport) {
        Principal principal = call.principal();
        if (principal.kind() == Principal.Kind.SERVICE || administratorArn.equals(principal.arn())) return;
        throw new ServiceException(ErrorCode.AccessDeniedException, "User: " + principal.arn()
                + " is not authorized to perform: " + operation.action() + " because no identity-based policy allows the "
                + operation.action() + " action");
    }
}
