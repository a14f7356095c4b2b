package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.arn;
import static dev.coffer.server.identities.IamSupport.checkTags;
import static dev.coffer.server.identities.IamSupport.listTags;
import static dev.coffer.server.identities.IamSupport.mergeTags;
import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.pageInOrder;
import static dev.coffer.server.identities.IamSupport.parse;
import static dev.coffer.server.identities.IamSupport.path;
import static dev.coffer.server.identities.IamSupport.removeTags;
import static dev.coffer.server.identities.IamSupport.requirePolicy;
import static dev.coffer.server.identities.IamSupport.tags;
import static dev.coffer.server.identities.IamSupport.tagsJson;
import static dev.coffer.server.identities.IamSupport.urlEncode;
import static dev.coffer.server.identities.IamTargets.accountOf;
import static dev.coffer.server.identities.IamTargets.listTarget;
import static dev.coffer.server.identities.IamTargets.policyTarget;
import static dev.coffer.server.identities.IamTargets.requestTags;
import static dev.coffer.server.identities.IamTargets.tagKeys;
import static dev.coffer.server.identities.IamTargets.target;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.PolicyVersionRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Transaction;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Managed policies, customer and AWS managed: the policies, their versions and tags. Who a
 * policy is attached to is {@link IamPolicyAttachments}' job.
 */
final class IamManagedPolicies {
    static final int MAX_POLICY_VERSIONS = 5;

    private final IamSupport iam;

    IamManagedPolicies(IamSupport iam) {
        this.iam = iam;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("CreatePolicy", CreatePolicyRequest.class, false, this::createPolicy,
                        (c, r) -> target(c, arn(c.accountId(), "policy", r.Path(), r.PolicyName()), requestTags(r.Tags()))),
                op("GetPolicy", PolicyArnRequest.class, true, this::getPolicy, (c, r) -> policyTarget(c, r.PolicyArn())),
                op("ListPolicies", ListPoliciesRequest.class, true, this::listPolicies, (c, r) -> listTarget(c, "policy")),
                op("DeletePolicy", PolicyArnRequest.class, false, this::deletePolicy, (c, r) -> policyTarget(c, r.PolicyArn())),
                op("CreatePolicyVersion", CreatePolicyVersionRequest.class, false, this::createPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("GetPolicyVersion", PolicyVersionRequest.class, true, this::getPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("ListPolicyVersions", ListPolicyVersionsRequest.class, true, this::listPolicyVersions,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("DeletePolicyVersion", PolicyVersionRequest.class, false, this::deletePolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("SetDefaultPolicyVersion", PolicyVersionRequest.class, false, this::setDefaultPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                // tags of managed policies
                op("TagPolicy", TagPolicyRequest.class, false,
                        (c, r) -> retagPolicy(c, r.PolicyArn(), t -> mergeTags(t, r.Tags())),
                        (c, r) -> new AccessTarget(r.PolicyArn(), accountOf(r.PolicyArn(), c.accountId()), null,
                                requestTags(r.Tags()))),
                op("UntagPolicy", UntagPolicyRequest.class, false,
                        (c, r) -> retagPolicy(c, r.PolicyArn(), t -> removeTags(t, r.TagKeys())),
                        (c, r) -> new AccessTarget(r.PolicyArn(), accountOf(r.PolicyArn(), c.accountId()), null,
                                tagKeys(r.TagKeys()))),
                op("ListPolicyTags", ListPolicyTagsRequest.class, true,
                        (c, r) -> listTags(iam.read(tx -> requirePolicy(tx, r.PolicyArn())).tags(), r.Marker(), r.MaxItems()),
                        (c, r) -> policyTarget(c, r.PolicyArn())));
    }

    PolicyResponse createPolicy(CallContext ctx, CreatePolicyRequest req) {
        parse(req.PolicyDocument(), PolicyKind.IDENTITY);
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        return iam.write(tx -> {
            if (tx.identities().findPolicyByName(account, req.PolicyName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "A policy called " + req.PolicyName()
                        + " already exists. Duplicate names are not allowed.");
            }
            long now = iam.clock.millis();
            PolicyRow row = withMac(new PolicyRow(account, iam.newId("ANPA"), req.PolicyName(), path,
                    arn(account, "policy", path, req.PolicyName()), req.Description(), "v1", 2, now, now, tagsJson(tags), null));
            tx.identities().insertPolicy(row);
            insertVersion(tx, row, "v1", req.PolicyDocument(), now);
            return new PolicyResponse(policy(row, 0, 0, true));
        });
    }

    PolicyResponse getPolicy(CallContext ctx, PolicyArnRequest req) {
        String account = ctx.accountId();
        Optional<AwsManagedPolicies.Managed> aws = iam.awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            int attached = iam.read(tx -> tx.identities().attachmentsOf(account, req.PolicyArn()).size());
            return new PolicyResponse(awsPolicy(aws.get(), attached, boundaryUses(account, req.PolicyArn()), true));
        }
        return iam.read(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            int attached = tx.identities().attachmentsOf(row.accountId(), row.arn()).size();
            return new PolicyResponse(policy(row, attached, boundaryUses(tx, row.accountId(), row.arn()), true));
        });
    }

    ListPoliciesResponse listPolicies(CallContext ctx, ListPoliciesRequest req) {
        String account = ctx.accountId();
        String scope = req.Scope() == null ? "All" : req.Scope();
        boolean onlyAttached = Boolean.TRUE.equals(req.OnlyAttached());
        String usage = req.PolicyUsageFilter();
        List<Policy> all = iam.read(tx -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (AttachmentRow a : tx.identities().allAttachments(account)) counts.merge(a.policyArn(), 1, Integer::sum);
            Map<String, Integer> boundaries = new LinkedHashMap<>();
            for (UserRow u : tx.identities().users(account)) {
                if (u.boundaryArn() != null) boundaries.merge(u.boundaryArn(), 1, Integer::sum);
            }
            for (RoleRow r : tx.identities().roles(account)) {
                if (r.boundaryArn() != null) boundaries.merge(r.boundaryArn(), 1, Integer::sum);
            }
            List<Policy> out = new ArrayList<>();
            if (!"Local".equals(scope)) {
                for (AwsManagedPolicies.Managed m : iam.awsPolicies.all()) {
                    out.add(awsPolicy(m, counts.getOrDefault(m.arn(), 0), boundaries.getOrDefault(m.arn(), 0), false));
                }
            }
            if (!"AWS".equals(scope)) {
                for (PolicyRow p : tx.identities().policies(account)) {
                    out.add(policy(p, counts.getOrDefault(p.arn(), 0), boundaries.getOrDefault(p.arn(), 0), false));
                }
            }
            return out;
        });
        String prefix = req.PathPrefix() == null ? "/" : req.PathPrefix();
        List<Policy> filtered = all.stream()
                .filter(p -> p.Path().startsWith(prefix))
                .filter(p -> (!onlyAttached && usage == null) || used(p, usage))
                .sorted(Comparator.comparing((Policy p) -> p.PolicyName().toLowerCase(Locale.ROOT)).thenComparing(Policy::Arn))
                .toList();
        Page<Policy> page = page(filtered, p -> p.PolicyName().toLowerCase(Locale.ROOT) + "\0" + p.Arn(), req.Marker(),
                req.MaxItems());
        return new ListPoliciesResponse(page.items(), page.truncated(), page.marker());
    }

    /** Whether a policy is in use the way PolicyUsageFilter asks (either way when it is not given). */
    private static boolean used(Policy p, String usage) {
        if ("PermissionsPolicy".equals(usage)) return p.AttachmentCount() > 0;
        if ("PermissionsBoundary".equals(usage)) return p.PermissionsBoundaryUsageCount() > 0;
        return p.AttachmentCount() > 0 || p.PermissionsBoundaryUsageCount() > 0;
    }

    Void deletePolicy(CallContext ctx, PolicyArnRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return iam.write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            if (!tx.identities().attachmentsOf(row.accountId(), row.arn()).isEmpty()) {
                throw new ServiceException(ErrorCode.DeleteConflict, "Cannot delete a policy attached to entities.");
            }
            if (tx.identities().policyVersions(row.accountId(), row.policyId()).size() > 1) {
                throw new ServiceException(ErrorCode.DeleteConflict, "This policy has more than one version. Before you delete "
                        + "a policy, you must delete the policy's versions. The default version is deleted with the policy.");
            }
            tx.identities().deletePolicy(row.accountId(), row.policyId());
            return null;
        });
    }

    PolicyVersionResponse createPolicyVersion(CallContext ctx, CreatePolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        parse(req.PolicyDocument(), PolicyKind.IDENTITY);
        boolean setDefault = Boolean.TRUE.equals(req.SetAsDefault());
        return iam.write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            if (tx.identities().policyVersions(row.accountId(), row.policyId()).size() >= MAX_POLICY_VERSIONS) {
                throw new ServiceException(ErrorCode.LimitExceeded, "A managed policy can have up to " + MAX_POLICY_VERSIONS
                        + " versions. Before you create a new version, you must delete an existing version.");
            }
            long now = iam.clock.millis();
            String versionId = "v" + row.nextVersion();
            insertVersion(tx, row, versionId, req.PolicyDocument(), now);
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), setDefault ? versionId : row.defaultVersion(), row.nextVersion() + 1,
                    row.createdAt(), setDefault ? now : row.updatedAt(), row.tags(), null)));
            return new PolicyVersionResponse(new PolicyVersion(null, versionId, setDefault, Instant.ofEpochMilli(now)));
        });
    }

    PolicyVersionResponse getPolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        Optional<AwsManagedPolicies.Managed> aws = iam.awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            if (!aws.get().defaultVersion().equals(req.VersionId())) throw noSuchVersion(req.PolicyArn(), req.VersionId());
            return new PolicyVersionResponse(new PolicyVersion(urlEncode(aws.get().document()), req.VersionId(), true,
                    aws.get().updated()));
        }
        return iam.read(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            PolicyVersionRow v = requireVersion(tx, row, req.PolicyArn(), req.VersionId());
            return new PolicyVersionResponse(new PolicyVersion(urlEncode(v.document()), v.versionId(),
                    v.versionId().equals(row.defaultVersion()), Instant.ofEpochMilli(v.createdAt())));
        });
    }

    ListPolicyVersionsResponse listPolicyVersions(CallContext ctx, ListPolicyVersionsRequest req) {
        List<PolicyVersion> versions;
        Optional<AwsManagedPolicies.Managed> aws = iam.awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            versions = List.of(new PolicyVersion(null, aws.get().defaultVersion(), true, aws.get().updated()));
        } else {
            versions = iam.read(tx -> {
                PolicyRow row = requirePolicy(tx, req.PolicyArn());
                return tx.identities().policyVersions(row.accountId(), row.policyId()).stream()
                        .sorted(Comparator.comparingInt((PolicyVersionRow v) -> Integer.parseInt(v.versionId().substring(1))).reversed())
                        .map(v -> new PolicyVersion(null, v.versionId(), v.versionId().equals(row.defaultVersion()),
                                Instant.ofEpochMilli(v.createdAt())))
                        .toList();
            });
        }
        Page<PolicyVersion> page = pageInOrder(versions, PolicyVersion::VersionId, req.Marker(), req.MaxItems());
        return new ListPolicyVersionsResponse(page.items(), page.truncated(), page.marker());
    }

    Void deletePolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return iam.write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            requireVersion(tx, row, req.PolicyArn(), req.VersionId());
            if (req.VersionId().equals(row.defaultVersion())) {
                throw new ServiceException(ErrorCode.DeleteConflict, "Cannot delete the default version of a policy.");
            }
            tx.identities().deletePolicyVersion(row.accountId(), row.policyId(), req.VersionId());
            return null;
        });
    }

    Void setDefaultPolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return iam.write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            requireVersion(tx, row, req.PolicyArn(), req.VersionId());
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), req.VersionId(), row.nextVersion(), row.createdAt(), iam.clock.millis(),
                    row.tags(), null)));
            return null;
        });
    }

    private Void retagPolicy(CallContext ctx, String arn, Function<List<Tag>, List<Tag>> change) {
        refuseAwsManaged(arn);
        return iam.write(tx -> {
            PolicyRow row = requirePolicy(tx, arn);
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), row.defaultVersion(), row.nextVersion(), row.createdAt(), row.updatedAt(),
                    tagsJson(change.apply(tags(row.tags()))), null)));
            return null;
        });
    }

    private void insertVersion(Transaction tx, PolicyRow policy, String versionId, String document, long now) throws SQLException {
        PolicyVersionRow v = new PolicyVersionRow(policy.accountId(), policy.policyId(), versionId, document, now, null);
        tx.identities().insertPolicyVersion(new PolicyVersionRow(v.accountId(), v.policyId(), v.versionId(), v.document(),
                v.createdAt(), iam.macs.mac(v)));
    }

    private PolicyRow withMac(PolicyRow p) {
        return new PolicyRow(p.accountId(), p.policyId(), p.policyName(), p.path(), p.arn(), p.description(), p.defaultVersion(),
                p.nextVersion(), p.createdAt(), p.updatedAt(), p.tags(), iam.macs.mac(p));
    }

    private static Policy policy(PolicyRow p, int attachments, int boundaryUses, boolean full) {
        List<Tag> tags = full ? tags(p.tags()) : List.of();
        return new Policy(p.policyName(), p.policyId(), p.arn(), p.path(), p.defaultVersion(), attachments, boundaryUses, true,
                full ? p.description() : null, Instant.ofEpochMilli(p.createdAt()), Instant.ofEpochMilli(p.updatedAt()),
                tags.isEmpty() ? null : tags);
    }

    private static Policy awsPolicy(AwsManagedPolicies.Managed m, int attachments, int boundaryUses, boolean full) {
        return new Policy(m.name(), m.policyId(), m.arn(), m.path(), m.defaultVersion(), attachments, boundaryUses, true,
                full ? m.description() : null, m.created(), m.updated(), null);
    }

    private int boundaryUses(String account, String arn) {
        return iam.read(tx -> boundaryUses(tx, account, arn));
    }

    private static int boundaryUses(Transaction tx, String account, String arn) throws SQLException {
        int n = 0;
        for (UserRow u : tx.identities().users(account)) if (arn.equals(u.boundaryArn())) n++;
        for (RoleRow r : tx.identities().roles(account)) if (arn.equals(r.boundaryArn())) n++;
        return n;
    }

    private void refuseAwsManaged(String arn) {
        if (AwsManagedPolicies.isAwsManaged(arn)) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "Cannot modify or delete an AWS managed policy: " + arn);
        }
    }

    private static PolicyVersionRow requireVersion(Transaction tx, PolicyRow policy, String arn, String versionId)
            throws SQLException {
        return tx.identities().findPolicyVersion(policy.accountId(), policy.policyId(), versionId)
                .orElseThrow(() -> noSuchVersion(arn, versionId));
    }

    private static ServiceException noSuchVersion(String arn, String versionId) {
        return noSuchEntity("Policy " + arn + " version " + versionId + " does not exist or is not attachable.");
    }
}
