package dev.coffer.server.sts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The condition keys a verified web-identity token supplies to the role's trust policy, as
 * IAM names them: the provider's URL without scheme, a colon, and the claim
 * ({@code token.actions.githubusercontent.com:sub}, {@code oidc.eks…/id/X:aud}), plus
 * {@code aws:FederatedProvider}.
 */
final class WebIdentityClaims {
    private WebIdentityClaims() {}

    static Map<String, List<String>> conditionKeys(OidcProvider provider, WebIdentityVerifier.Verified verified) {
        String prefix = provider.conditionKeyPrefix() + ":";
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put(prefix + "sub", List.of(verified.subject()));
        keys.put(prefix + "aud", List.of(verified.audience()));
        List<String> audiences = verified.claims().getAudience();
        if (audiences != null && !audiences.isEmpty()) keys.put(prefix + "oaud", List.copyOf(audiences));
        Object amr = verified.claims().getClaim("amr");
        if (amr instanceof List<?> list) keys.put(prefix + "amr", list.stream().map(String::valueOf).toList());
        // Providers such as GitHub put more claims in the token (repository, ref, environment…);
        // they are offered too, so trust policies can test them where IAM's documentation allows.
        for (Map.Entry<String, Object> claim : verified.claims().getClaims().entrySet()) {
            if (claim.getValue() instanceof String value) keys.putIfAbsent(prefix + claim.getKey(), List.of(value));
        }
        keys.put("aws:FederatedProvider", List.of(provider.arn()));
        return keys;
    }
}
