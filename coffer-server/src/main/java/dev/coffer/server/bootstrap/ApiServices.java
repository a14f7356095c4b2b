package dev.coffer.server.bootstrap;

import dev.coffer.server.access.AccessAnalysis;
import dev.coffer.server.access.AccessService;
import dev.coffer.server.access.HygieneReport;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.Operation;
import dev.coffer.server.audit.CloudTrailService;
import dev.coffer.server.auth.CredentialStore;
import dev.coffer.server.auth.SessionTokens;
import dev.coffer.server.auth.SigV4Authenticator;
import dev.coffer.server.authz.AccessDecider;
import dev.coffer.server.authz.RequestFacts;
import dev.coffer.server.iam.PolicyEvaluator;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.AwsManagedPolicies;
import dev.coffer.server.identities.IamService;
import dev.coffer.server.identities.IdentityDirectory;
import dev.coffer.server.identities.RowMacs;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.organizations.OrganizationsService;
import dev.coffer.server.protocol.JsonProtocol;
import dev.coffer.server.protocol.QueryProtocol;
import dev.coffer.server.protocol.ServiceModel;
import dev.coffer.server.request.LogAuditTrail;
import dev.coffer.server.request.PolicyAuthorizer;
import dev.coffer.server.request.RequestPipeline;
import dev.coffer.server.secrets.SecretsManagerService;
import dev.coffer.server.store.Store;
import dev.coffer.server.sts.JwksSources;
import dev.coffer.server.sts.StsService;
import dev.coffer.server.sts.WebIdentityVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The API's object graph, from the services up to the request pipeline: Secrets Manager, IAM,
 * STS, Organizations, Coffer's access analyses and hygiene report, and CloudTrail's LookupEvents over the audit
 * trail; one identity directory and one access decider
 * shared by the pipeline's authorizer, STS's trust checks and the analyses (so no two of them can
 * answer "may P do A on R?" differently), and the wire protocols with the models they serve.
 */
final class ApiServices {
    private static final String SECRETS_MANAGER_MODEL = "aws-models/secretsmanager-2017-10-17.json";
    private static final String IAM_MODEL = "aws-models/iam-2010-05-08.json";
    private static final String STS_MODEL = "aws-models/sts-2011-06-15.json";
    private static final String ORGANIZATIONS_MODEL = "aws-models/organizations-2016-11-28.json";

    private ApiServices() {}

    /** The request pipeline, and the hygiene report its access service serves (the alerts run it too). */
    record Api(RequestPipeline pipeline, HygieneReport hygieneReport) {}

    /**
     * @param raw   the store itself: for credential lookups (whose bookkeeping writes happen off the call) and the
     *              audit trail's own reads
     * @param audit the audit trail; services get its store, whose writes carry their call's event
     */
    static Api build(Store raw, AuditWiring audit, Keyring keyring, RowMacs macs,
                   AwsManagedPolicies awsPolicies, CofferConfig config, String managementAccountId,
                   Clock clock, SecureRandom random, MeterRegistry metrics) {
        Store store = audit.servicesStore();
        Predicate<String> acceptedRegion = Regions.accepted(config.regions());
        IdentityDirectory directory = new IdentityDirectory(store, macs, awsPolicies);
        AccessDecider decider = new AccessDecider(directory, new PolicyEvaluator());
        SessionTokens sessions = new SessionTokens(keyring, random);

        SecretsManagerService secrets = new SecretsManagerService(store, keyring, clock, random, acceptedRegion);
        // The policy simulator answers from the pipeline's own decider, as a request at this moment would be judged.
        IamService iam = new IamService(store, keyring, macs, awsPolicies, clock, random, directory,
                (principal, action, target, own, extra, boundary, context) -> decider.evaluate(principal, action, target,
                        RequestFacts.none(clock.instant()), own, extra, boundary, context));
        StsService sts = new StsService(sessions, directory::role, directory::oidcProvider,
                new WebIdentityVerifier(new JwksSources(config.oidcJwks()), clock),
                // A web identity is judged by the role's trust policy alone, as the provider it comes through.
                (role, provider, keys) -> decider.decide(
                        new Principal(role.accountId(), provider.arn(), provider.arn(), null, Principal.Kind.FEDERATED),
                        "sts:AssumeRoleWithWebIdentity",
                        new AccessTarget(role.arn(), role.accountId(), role.trustPolicy(), keys, true),
                        RequestFacts.none(clock.instant())).allowed(),
                clock);
        OrganizationsService organizations = new OrganizationsService(store, clock, random, managementAccountId,
                iam::createOrganizationAccessRole);
        StoreIamInventory iamInventory = new StoreIamInventory(store);
        AccessAnalysis analysis = new AccessAnalysis(directory, decider, secrets, iamInventory, clock);
        HygieneReport hygiene = new HygieneReport(secrets, analysis, iamInventory, clock);
        AccessService access = new AccessService(analysis, secrets, hygiene, acceptedRegion);

        List<Operation<?, ?>> operations = new ArrayList<>(secrets.operations());
        operations.addAll(iam.operations());
        operations.addAll(sts.operations());
        operations.addAll(organizations.operations());
        operations.addAll(access.operations());
        operations.addAll(new CloudTrailService(raw).operations());

        JsonProtocol json = new JsonProtocol()
                .withModel(SecretsManagerService.SIGNING_NAME, ServiceModel.load(SECRETS_MANAGER_MODEL))
                .withModel(OrganizationsService.TARGET_PREFIX, ServiceModel.load(ORGANIZATIONS_MODEL))
                .withModel(AccessService.TARGET_PREFIX, ServiceModel.load(AccessService.MODEL))
                .withModel(CloudTrailService.TARGET_PREFIX, ServiceModel.load(CloudTrailService.MODEL));
        QueryProtocol query = new QueryProtocol().withModel(ServiceModel.load(IAM_MODEL)).withModel(ServiceModel.load(STS_MODEL));
        return new Api(new RequestPipeline(
                new SigV4Authenticator(new CredentialStore(raw, keyring, macs, clock), sessions, clock, acceptedRegion),
                new PolicyAuthorizer(decider, clock), new LogAuditTrail(), audit.log(), managementAccountId,
                List.of(query, json), operations, metrics, clock, raw::catchUp), hygiene);
    }
}
