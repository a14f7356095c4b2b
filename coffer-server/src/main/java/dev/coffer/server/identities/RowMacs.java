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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        return keyring.mac("user", canon(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(), r.boundaryArn(), r.tags()));
    }

    public byte[] mac(GroupRow r) {
        return keyring.mac("group", canon(r.accountId(), r.groupId(), r.groupName(), r.path(), r.arn()));
    }

    public byte[] mac(MemberRow r) {
        return keyring.mac("group-member", canon(r.accountId(), r.groupId(), r.userId()));
    }

    public byte[] mac(RoleRow r) {
        return keyring.mac("role", canon(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(), r.trustPolicy(),
                Integer.toString(r.maxSessionDuration()), r.boundaryArn(), r.tags()));
    }

    public byte[] mac(InlinePolicyRow r) {
        return keyring.mac("inline-policy", canon(r.accountId(), r.ownerKind(), r.ownerId(), r.policyName(), r.document()));
    }

    public byte[] mac(PolicyRow r) {
        return keyring.mac("managed-policy", canon(r.accountId(), r.policyId(), r.policyName(), r.path(), r.arn(),
                r.defaultVersion()));
    }

    public byte[] mac(PolicyVersionRow r) {
        return keyring.mac("policy-version", canon(r.accountId(), r.policyId(), r.versionId(), r.document()));
    }

    public byte[] mac(AttachmentRow r) {
        return keyring.mac("attachment", canon(r.accountId(), r.ownerKind(), r.ownerId(), r.policyArn()));
    }

    public byte[] mac(OidcProviderRow r) {
        return keyring.mac("oidc-provider", canon(r.accountId(), r.arn(), r.url(), r.clientIds(), r.thumbprints()));
    }

    public byte[] mac(AccessKeyRow r) {
        return keyring.mac("access-key", canon(r.accountId(), r.accessKeyId(), r.userId(), r.principalArn(), r.status()));
    }

    public boolean verify(UserRow r) {
        return check(keyring.verifyMac("user", canon(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(),
                r.boundaryArn(), r.tags()), r.mac()), "user", r.accountId(), r.arn());
    }

    public boolean verify(GroupRow r) {
        return check(keyring.verifyMac("group", canon(r.accountId(), r.groupId(), r.groupName(), r.path(), r.arn()), r.mac()),
                "group", r.accountId(), r.arn());
    }

    public boolean verify(MemberRow r) {
        return check(keyring.verifyMac("group-member", canon(r.accountId(), r.groupId(), r.userId()), r.mac()),
                "group-member", r.accountId(), r.groupId() + "/" + r.userId());
    }

    public boolean verify(RoleRow r) {
        return check(keyring.verifyMac("role", canon(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.trustPolicy(), Integer.toString(r.maxSessionDuration()), r.boundaryArn(), r.tags()), r.mac()),
                "role", r.accountId(), r.arn());
    }

    public boolean verify(InlinePolicyRow r) {
        return check(keyring.verifyMac("inline-policy", canon(r.accountId(), r.ownerKind(), r.ownerId(), r.policyName(),
                r.document()), r.mac()), "inline-policy", r.accountId(), r.ownerKind() + "/" + r.ownerId() + "#" + r.policyName());
    }

    public boolean verify(PolicyRow r) {
        return check(keyring.verifyMac("managed-policy", canon(r.accountId(), r.policyId(), r.policyName(), r.path(), r.arn(),
                r.defaultVersion()), r.mac()), "managed-policy", r.accountId(), r.arn());
    }

    public boolean verify(PolicyVersionRow r) {
        return check(keyring.verifyMac("policy-version", canon(r.accountId(), r.policyId(), r.versionId(), r.document()),
                r.mac()), "policy-version", r.accountId(), r.policyId() + "/" + r.versionId());
    }

    public boolean verify(AttachmentRow r) {
        return check(keyring.verifyMac("attachment", canon(r.accountId(), r.ownerKind(), r.ownerId(), r.policyArn()), r.mac()),
                "attachment", r.accountId(), r.ownerKind() + "/" + r.ownerId() + "->" + r.policyArn());
    }

    public boolean verify(OidcProviderRow r) {
        return check(keyring.verifyMac("oidc-provider", canon(r.accountId(), r.arn(), r.url(), r.clientIds(), r.thumbprints()),
                r.mac()), "oidc-provider", r.accountId(), r.arn());
    }

    public boolean verify(AccessKeyRow r) {
        return check(keyring.verifyMac("access-key", canon(r.accountId(), r.accessKeyId(), r.userId(), r.principalArn(),
                r.status()), r.mac()), "access-key", r.accountId(), r.accessKeyId());
    }

    private boolean check(boolean ok, String kind, String accountId, String key) {
        if (!ok && reported.add(kind + "\0" + accountId + "\0" + key)) {
            log.error("integrity error: the {} row {} in account {} does not match its MAC; it is refused until rewritten "
                    + "through the API", kind, key, accountId);
        }
        return ok;
    }

    /** Length-prefixed UTF-8 fields; null is distinct from the empty string. */
    static byte[] canon(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (String f : fields) {
            if (f == null) {
                out.write(0xff);
                continue;
            }
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            out.write(0x01);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
