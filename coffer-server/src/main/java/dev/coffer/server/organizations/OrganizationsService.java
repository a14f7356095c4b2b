package dev.coffer.server.organizations;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.organizations.OrganizationsMessages.Account;
import dev.coffer.server.organizations.OrganizationsMessages.CreateAccountRequest;
import dev.coffer.server.organizations.OrganizationsMessages.CreateAccountResponse;
import dev.coffer.server.organizations.OrganizationsMessages.CreateAccountStatus;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeAccountRequest;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeAccountResponse;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeCreateAccountStatusRequest;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeCreateAccountStatusResponse;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeOrganizationRequest;
import dev.coffer.server.organizations.OrganizationsMessages.DescribeOrganizationResponse;
import dev.coffer.server.organizations.OrganizationsMessages.ListAccountsRequest;
import dev.coffer.server.organizations.OrganizationsMessages.ListAccountsResponse;
import dev.coffer.server.organizations.OrganizationsMessages.ListCreateAccountStatusRequest;
import dev.coffer.server.organizations.OrganizationsMessages.ListCreateAccountStatusResponse;
import dev.coffer.server.organizations.OrganizationsMessages.Organization;
import dev.coffer.server.organizations.OrganizationsMessages.PolicyTypeSummary;
import dev.coffer.server.store.OrganizationRepository.AccountRow;
import dev.coffer.server.store.OrganizationRepository.CreateRequestRow;
import dev.coffer.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Several accounts in one Coffer, as AWS Organizations members. The deployment is one
 * organization whose management account is the bootstrap account; CreateAccount adds member
 * accounts, each its own namespace of identities and secrets, and gives each the role the
 * management account enters it by ({@code OrganizationAccountAccessRole}), as AWS does.
 *
 * <p>AWS creates accounts asynchronously and answers IN_PROGRESS; Coffer has nothing to wait
 * for, so CreateAccount answers with the final state (SUCCEEDED, or FAILED with AWS's reason),
 * which DescribeCreateAccountStatus then repeats: clients that poll see the end at once.
 */
public final class OrganizationsService {
    public static final String SIGNING_NAME = "organizations";
    public static final String TARGET_PREFIX = "AWSOrganizationsV20161128";
    static final String DEFAULT_ROLE = "OrganizationAccountAccessRole";
    static final String MANAGEMENT_NAME = "management";
    private static final String ORG_ID_KEY = "organization_id";
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int DEFAULT_PAGE = 20;

    private final Store store;
    private final Clock clock;
    private final SecureRandom random;
    private final String managementAccountId;
    private final MemberAccountProvisioner provisioner;
    private final String organizationId;

    public OrganizationsService(Store store, Clock clock, SecureRandom random, String managementAccountId,
                                MemberAccountProvisioner provisioner) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.managementAccountId = managementAccountId;
        this.provisioner = provisioner;
        String candidate = "o-" + randomId(10);
        this.organizationId = store.write(tx -> {
            String id = tx.meta().putIfAbsent(ORG_ID_KEY, candidate);
            if (tx.organization().account(managementAccountId).isEmpty()) {
                tx.organization().insertAccount(new AccountRow(managementAccountId, MANAGEMENT_NAME,
                        "management@" + managementAccountId + ".coffer.invalid", "ACTIVE", "CREATED", clock.millis()));
            }
            return id;
        });
    }

    public List<Operation<?, ?>> operations() {
        return List.of(
                op("CreateAccount", CreateAccountRequest.class, false, this::createAccount),
                op("DescribeCreateAccountStatus", DescribeCreateAccountStatusRequest.class, true, this::describeCreateAccountStatus),
                op("ListCreateAccountStatus", ListCreateAccountStatusRequest.class, true, this::listCreateAccountStatus),
                op("ListAccounts", ListAccountsRequest.class, true, this::listAccounts),
                op("DescribeAccount", DescribeAccountRequest.class, true, this::describeAccount)
                        .withTarget((ctx, req) -> new AccessTarget(accountArn(req.AccountId()), managementAccountId, null,
                                java.util.Map.of())),
                op("DescribeOrganization", DescribeOrganizationRequest.class, true, this::describeOrganization));
    }

    private <Q, R> Operation<Q, R> op(String name, Class<Q> type, boolean readOnly, Operation.Handler<Q, R> handler) {
        return new Operation<>(SIGNING_NAME, name, type, readOnly, handler).withTarget((ctx, req) ->
                new AccessTarget("*", managementAccountId, null, java.util.Map.of()));
    }

    CreateAccountResponse createAccount(CallContext ctx, CreateAccountRequest req) {
        requireManagement(ctx);
        String requestId = "car-" + randomId(32);
        String roleName = req.RoleName() != null ? req.RoleName() : DEFAULT_ROLE;
        long now = clock.millis();
        String accountId = newAccountId();
        CreateRequestRow outcome = store.write(tx -> {
            if (tx.organization().emailTaken(req.Email())) {
                CreateRequestRow failed = new CreateRequestRow(requestId, req.AccountName(), "FAILED", now, now, null,
                        "EMAIL_ALREADY_EXISTS");
                tx.organization().putCreateRequest(failed);
                return failed;
            }
            tx.organization().insertAccount(new AccountRow(accountId, req.AccountName(), req.Email(), "ACTIVE", "CREATED", now));
            CreateRequestRow inProgress = new CreateRequestRow(requestId, req.AccountName(), "IN_PROGRESS", now, null,
                    accountId, null);
            tx.organization().putCreateRequest(inProgress);
            return inProgress;
        });
        if ("IN_PROGRESS".equals(outcome.state())) {
            CreateRequestRow done;
            try {
                provisioner.provision(accountId, managementAccountId, roleName);
                done = new CreateRequestRow(requestId, req.AccountName(), "SUCCEEDED", now, clock.millis(), accountId, null);
            } catch (RuntimeException e) {
                done = new CreateRequestRow(requestId, req.AccountName(), "FAILED", now, clock.millis(), accountId,
                        "INTERNAL_FAILURE");
            }
            CreateRequestRow finalState = done;
            store.write(tx -> {
                tx.organization().putCreateRequest(finalState);
                return null;
            });
            outcome = done;
        }
        return new CreateAccountResponse(status(outcome));
    }

    DescribeCreateAccountStatusResponse describeCreateAccountStatus(CallContext ctx, DescribeCreateAccountStatusRequest req) {
        requireManagement(ctx);
        CreateRequestRow row = store.read(tx -> tx.organization().createRequest(req.CreateAccountRequestId()))
                .orElseThrow(() -> new ServiceException(ErrorCode.CreateAccountStatusNotFoundException,
                        "We can't find an create account request with the CreateAccountRequestId that you specified."));
        return new DescribeCreateAccountStatusResponse(status(row));
    }

    ListCreateAccountStatusResponse listCreateAccountStatus(CallContext ctx, ListCreateAccountStatusRequest req) {
        requireManagement(ctx);
        int limit = req.MaxResults() != null ? req.MaxResults() : DEFAULT_PAGE;
        int offset = req.NextToken() == null ? 0 : Integer.parseInt(decodeToken(req.NextToken()));
        List<CreateRequestRow> rows = store.read(tx -> tx.organization().createRequests(0, Integer.MAX_VALUE)).stream()
                .filter(r -> req.States() == null || req.States().isEmpty() || req.States().contains(r.state())).toList();
        List<CreateAccountStatus> page = rows.stream().skip(offset).limit(limit).map(OrganizationsService::status).toList();
        String next = offset + limit < rows.size() ? encodeToken(String.valueOf(offset + limit)) : null;
        return new ListCreateAccountStatusResponse(page, next);
    }

    ListAccountsResponse listAccounts(CallContext ctx, ListAccountsRequest req) {
        requireManagement(ctx);
        int limit = req.MaxResults() != null ? req.MaxResults() : DEFAULT_PAGE;
        String after = req.NextToken() == null ? null : decodeToken(req.NextToken());
        List<AccountRow> rows = store.read(tx -> tx.organization().accounts(after, limit + 1));
        String next = rows.size() > limit ? encodeToken(rows.get(limit - 1).accountId()) : null;
        return new ListAccountsResponse(rows.stream().limit(limit).map(this::account).toList(), next);
    }

    DescribeAccountResponse describeAccount(CallContext ctx, DescribeAccountRequest req) {
        requireManagement(ctx);
        Optional<AccountRow> row = store.read(tx -> tx.organization().account(req.AccountId()));
        return new DescribeAccountResponse(account(row.orElseThrow(() -> new ServiceException(
                ErrorCode.AccountNotFoundException, "You specified an account that doesn't exist."))));
    }

    DescribeOrganizationResponse describeOrganization(CallContext ctx, DescribeOrganizationRequest req) {
        AccountRow management = store.read(tx -> tx.organization().account(managementAccountId)).orElseThrow();
        if (ctx.accountId() == null || store.read(tx -> tx.organization().account(ctx.accountId())).isEmpty()) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "You don't have permissions to access this resource.");
        }
        return new DescribeOrganizationResponse(new Organization(organizationId,
                "arn:aws:organizations::" + managementAccountId + ":organization/" + organizationId, "ALL",
                accountArn(managementAccountId), managementAccountId, management.email(),
                List.of(new PolicyTypeSummary("SERVICE_CONTROL_POLICY", "DISABLED"))));
    }

    /** Only the management account sees and changes the organization's accounts, as in AWS. */
    private void requireManagement(CallContext ctx) {
        if (!managementAccountId.equals(ctx.accountId())) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "You don't have permissions to access this resource.");
        }
    }

    private Account account(AccountRow row) {
        return new Account(row.accountId(), accountArn(row.accountId()), row.email(), row.name(), row.status(),
                row.joinedMethod(), Instant.ofEpochMilli(row.joinedAt()));
    }

    private String accountArn(String accountId) {
        return "arn:aws:organizations::" + managementAccountId + ":account/" + organizationId + "/" + accountId;
    }

    private static CreateAccountStatus status(CreateRequestRow row) {
        return new CreateAccountStatus(row.requestId(), row.accountName(), row.state(), Instant.ofEpochMilli(row.requestedAt()),
                row.completedAt() == null ? null : Instant.ofEpochMilli(row.completedAt()), row.accountId(),
                row.failureReason());
    }

    private String newAccountId() {
        while (true) {
            StringBuilder id = new StringBuilder().append(1 + random.nextInt(9));
            for (int i = 1; i < 12; i++) id.append(random.nextInt(10));
            String candidate = id.toString();
            if (store.read(tx -> tx.organization().account(candidate)).isEmpty()) return candidate;
        }
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return id.toString();
    }

    private static String encodeToken(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!position.matches("\\d{1,12}")) throw new IllegalArgumentException();
            return position;
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.InvalidInputException, "You specified an invalid value for nextToken.");
        }
    }
}
