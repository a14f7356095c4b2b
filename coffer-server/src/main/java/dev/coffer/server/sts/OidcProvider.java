package dev.coffer.server.sts;

import java.util.List;

/**
 * An OpenID Connect identity provider an account trusts, as IAM's
 * CreateOpenIDConnectProvider registers it.
 *
 * @param arn       {@code arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH}
 * @param url       the issuer, e.g. {@code https://token.actions.githubusercontent.com}
 * @param clientIds the audiences a token must carry one of (ClientIDList)
 */
public record OidcProvider(String arn, String url, List<String> clientIds) {
    public OidcProvider {
        clientIds = List.copyOf(clientIds);
    }

    /** The issuer without its scheme: how IAM names the provider and prefixes its condition keys ({@code HOST/PATH:sub}). */
    public String conditionKeyPrefix() {
        return withoutScheme(url);
    }

    public static String withoutScheme(String url) {
        int scheme = url.indexOf("://");
        String rest = scheme < 0 ? url : url.substring(scheme + 3);
        return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }
}
