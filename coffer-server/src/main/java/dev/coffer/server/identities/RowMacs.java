package dev.coffer.server.identities;

import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.InlinePolicyRow;
import dev.coffer.server.store.IdentityRepository.MemberRow;
import dev.coffer.server.store.IdentityRepository.OidcProviderRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.PolicyVersionRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MACs of rows that decide access. Each row's canonical form is its kind, its identity
 * (account and primary key) and every column that decides access, each length-prefixed, so a
 * row moved to another owner or with an edited document no longer verifies. A row that does not
 * verify is refused by its readers and logged once as an integrity error (names and ids only).
 */
public final class RowMacs {
    private static final Logger log = LoggerFactory.getLogger(RowMacs.class);
    private final Keyring keyring;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public RowMacs(Keyring keyring) {
        this.keyring = keyring;
    }

    public byte[] mac(UserRow r) {
        return keyring.mac("user", Keyring.canonicalRow(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(), r.boundaryArn(), r.tags()));
    }

    public byte[] mac(GroupRow r) {
        return keyring.mac("group", Keyring.canonicalRow(r.accountId(), r.groupId(), r.groupName(), r.path(), r.arn()));
    }

    public byte[] mac(MemberRow r) {
        return keyring.mac("group-member", Keyring.canonicalRow(r.accountId(), r.groupId(), r.userId()));
    }

    public byte[] mac(RoleRow r) {
        return keyring.mac("role", Keyring.canonicalRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(), r.trustPolicy(),
                Integer.toString(r.maxSessionDuration()), r.boundaryArn(), r.tags()));
    }

    public byte[] mac(InlinePolicyRow r) {
        return keyring.mac("inline-policy", Keyring.canonicalRow(r.accountId(), r.ownerKind(), r.ownerId(), r.policyName(), r.document()));
    }

    public byte[] mac(PolicyRow r) {
        return keyring.mac("managed-policy", Keyring.canonicalRow(r.accountId(), r.policyId(), r.policyName(), r.path(), r.arn(),
                r.defaultVersion()));
    }

    public byte[] mac(PolicyVersionRow r) {
        return keyring.mac("policy-version", Keyring.canonicalRow(r.accountId(), r.policyId(), r.versionId(), r.document()));
    }

    public byte[] mac(AttachmentRow r) {
        return keyring.mac("attachment", Keyring.canonicalRow(r.accountId(), r.ownerKind(), r.ownerId(), r.policyArn()));
    }

    public byte[] mac(OidcProviderRow r) {
        return keyring.mac("oidc-provider", Keyring.canonicalRow(r.accountId(), r.arn(), r.url(), r.clientIds(), r.thumbprints()));
    }

    public byte[] mac(AccessKeyRow r) {
        return keyring.mac("access-key", Keyring.canonicalRow(r.accountId(), r.accessKeyId(), r.userId(), r.principalArn(), r.status()));
    }

    public boolean verify(UserRow r) {
        return check(keyring.verifyMac("user", Keyring.canonicalRow(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(),
                r.boundaryArn(), r.tags()), r.mac()), "user", r.accountId(), r.arn());
    }

    public boolean verify(GroupRow r) {
        return check(keyring.verifyMac("group", Keyring.canonicalRow(r.accountId(), r.groupId(), r.groupName(), r.path(), r.arn()), r.mac()),
                "group", r.accountId(), r.arn());
    }

    public boolean verify(MemberRow r) {
        return check(keyring.verifyMac("group-member", Keyring.canonicalRow(r.accountId(), r.groupId(), r.userId()), r.mac()),
                "group-member", r.accountId(), r.groupId() + "/" + r.userId());
    }

    public boolean verify(RoleRow r) {
        return check(keyring.verifyMac("role", Keyring.canonicalRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.trustPolicy(), Integer.toString(r.maxSessionDuration()), r.boundaryArn(), r.tags()), r.mac()),
                "role", r.accountId(), r.arn());
    }

    public boolean verify(InlinePolicyRow r) {
        return check(keyring.verifyMac("inline-policy", Keyring.canonicalRow(r.accountId(), r.ownerKind(), r.ownerId(), r.policyName(),
                r.document()), r.mac()), "inline-policy", r.accountId(), r.ownerKind() + "/" + r.ownerId() + "#" + r.policyName());
    }

    public boolean verify(PolicyRow r) {
        return check(keyring.verifyMac("managed-policy", Keyring.canonicalRow(r.accountId(), r.policyId(), r.policyName(), r.path(), r.arn(),
                r.defaultVersion()), r.mac()), "managed-policy", r.accountId(), r.arn());
    }

    public boolean verify(PolicyVersionRow r) {
        return check(keyring.verifyMac("policy-version", Keyring.canonicalRow(r.accountId(), r.policyId(), r.versionId(), r.document()),
                r.mac()), "policy-version", r.accountId(), r.policyId() + "/" + r.versionId());
    }

    public boolean verify(AttachmentRow r) {
        return check(keyring.verifyMac("attachment", Keyring.canonicalRow(r.accountId(), r.ownerKind(), r.ownerId(), r.policyArn()), r.mac()),
                "attachment", r.accountId(), r.ownerKind() + "/" + r.ownerId() + "->" + r.policyArn());
    }

    public boolean verify(OidcProviderRow r) {
        return check(keyring.verifyMac("oidc-provider", Keyring.canonicalRow(r.accountId(), r.arn(), r.url(), r.clientIds(), r.thumbprints()),
                r.mac()), "oidc-provider", r.accountId(), r.arn());
    }

    public boolean verify(AccessKeyRow r) {
        return check(keyring.verifyMac("access-key", Keyring.canonicalRow(r.accountId(), r.accessKeyId(), r.userId(), r.principalArn(),
                r.status()), r.mac()), "access-key", r.accountId(), r.accessKeyId());
    }

    private boolean check(boolean ok, String kind, String accountId, String key) {
        if (!ok && reported.add(kind + "\0" + accountId + "\0" + key)) {
            log.error("integrity error: the {} row {} in account {} does not match its MAC; it is refused until rewritten "
                    + "through the API", kind, key, accountId);
        }
        return ok;
    }

}
