package dev.coffer.server.auth;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.iam.Principal;

/** An active access key: who it belongs to and its secret half (kept in memory only). */
record AccessKeyCredentials(Principal principal, SecretBytes secretAccessKey) {
    @Override
    public String toString() {
        return "AccessKeyCredentials[" + principal.accessKeyId() + "]";
    }
}
