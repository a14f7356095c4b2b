package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.checkTags;
import static dev.coffer.server.identities.IamSupport.distinct;
import static dev.coffer.server.identities.IamSupport.json;
import static dev.coffer.server.identities.IamSupport.listTags;
import static dev.coffer.server.identities.IamSupport.mergeTags;
import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.removeTags;
import static dev.coffer.server.identities.IamSupport.strings;
import static dev.coffer.server.identities.IamSupport.tags;
import static dev.coffer.server.identities.IamSupport.tagsJson;
import static dev.coffer.server.identities.IamTargets.requestTags;
import static dev.coffer.server.identities.IamTargets.tagKeys;
import static dev.coffer.server.identities.IamTargets.target;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.store.IdentityRepository.OidcProviderRow;
import dev.coffer.server.store.Transaction;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** OpenID Connect providers (the identity providers of AssumeRoleWithWebIdentity): URL, client ids, thumbprints, tags. */
final class IamOidcProviders {
    private final IamSupport iam;

    IamOidcProviders(IamSupport iam) {
        this.iam = iam;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("CreateOpenIDConnectProvider", CreateOpenIDConnectProviderRequest.class, false, this::createOidcProvider,
                        (c, r) -> target(c, oidcArn(c.accountId(), r.Url()), requestTags(r.Tags()))),
                op("GetOpenIDConnectProvider", OpenIDConnectProviderArnRequest.class, true, this::getOidcProvider,
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("ListOpenIDConnectProviders", ListOpenIDConnectProvidersRequest.class, true, this::listOidcProviders,
                        (c, r) -> AccessTarget.anyResource(c.accountId())),
                op("DeleteOpenIDConnectProvider", OpenIDConnectProviderArnRequest.class, false, this::deleteOidcProvider,
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("AddClientIDToOpenIDConnectProvider", OpenIDConnectProviderClientIdRequest.class, false,
                        (c, r) -> changeClientIds(c, r.OpenIDConnectProviderArn(), r.ClientID(), true),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("RemoveClientIDFromOpenIDConnectProvider", OpenIDConnectProviderClientIdRequest.class, false,
                        (c, r) -> changeClientIds(c, r.OpenIDConnectProviderArn(), r.ClientID(), false),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("UpdateOpenIDConnectProviderThumbprint", UpdateOpenIDConnectProviderThumbprintRequest.class, false,
                        this::updateThumbprints, (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("TagOpenIDConnectProvider", TagOpenIDConnectProviderRequest.class, false,
                        (c, r) -> retagOidc(c, r.OpenIDConnectProviderArn(), t -> mergeTags(t, r.Tags())),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), requestTags(r.Tags()))),
                op("UntagOpenIDConnectProvider", UntagOpenIDConnectProviderRequest.class, false,
                        (c, r) -> retagOidc(c, r.OpenIDConnectProviderArn(), t -> removeTags(t, r.TagKeys())),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), tagKeys(r.TagKeys()))),
                op("ListOpenIDConnectProviderTags", ListOpenIDConnectProviderTagsRequest.class, true,
                        (c, r) -> listTags(iam.read(tx -> requireOidc(tx, c.accountId(), r.OpenIDConnectProviderArn())).tags(),
                                r.Marker(), r.MaxItems()),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())));
    }

    CreateOpenIDConnectProviderResponse createOidcProvider(CallContext ctx, CreateOpenIDConnectProviderRequest req) {
        String account = ctx.accountId();
        if (req.Url() == null || !req.Url().startsWith("https://") || req.Url().length() <= "https://".length()) {
            throw new ServiceException(ErrorCode.InvalidInput, "Invalid OpenID Connect Provider URL.");
        }
        String arn = oidcArn(account, req.Url());
        List<Tag> tags = checkTags(req.Tags());
        List<String> clientIds = distinct(req.ClientIDList());
        List<String> thumbprints = distinct(req.ThumbprintList());
        return iam.write(tx -> {
            if (tx.identities().findOidcProvider(account, arn).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Provider with url " + req.Url() + " already exists.");
            }
            OidcProviderRow row = withMac(new OidcProviderRow(account, arn, req.Url(), json(clientIds), json(thumbprints),
                    tagsJson(tags), iam.clock.millis(), null));
            tx.identities().insertOidcProvider(row);
            return new CreateOpenIDConnectProviderResponse(arn, tags.isEmpty() ? null : tags);
        });
    }

    GetOpenIDConnectProviderResponse getOidcProvider(CallContext ctx, OpenIDConnectProviderArnRequest req) {
        OidcProviderRow row = iam.read(tx -> requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn()));
        List<Tag> tags = tags(row.tags());
        // IAM answers the URL without its scheme.
        return new GetOpenIDConnectProviderResponse(dev.coffer.server.sts.OidcProvider.withoutScheme(row.url()),
                strings(row.clientIds()), strings(row.thumbprints()), Instant.ofEpochMilli(row.createdAt()),
                tags.isEmpty() ? null : tags);
    }

    ListOpenIDConnectProvidersResponse listOidcProviders(CallContext ctx, ListOpenIDConnectProvidersRequest req) {
        return new ListOpenIDConnectProvidersResponse(iam.read(tx -> tx.identities().oidcProviders(ctx.accountId())).stream()
                .map(p -> new OpenIDConnectProviderListEntry(p.arn())).toList());
    }

    Void deleteOidcProvider(CallContext ctx, OpenIDConnectProviderArnRequest req) {
        return iam.write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn());
            tx.identities().deleteOidcProvider(row.accountId(), row.arn());
            return null;
        });
    }

    private Void changeClientIds(CallContext ctx, String arn, String clientId, boolean add) {
        return iam.write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), arn);
            List<String> ids = new ArrayList<>(strings(row.clientIds()));
            if (add && !ids.contains(clientId)) ids.add(clientId);
            if (!add) ids.remove(clientId);
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), json(ids),
                    row.thumbprints(), row.tags(), row.createdAt(), null)));
            return null;
        });
    }

    Void updateThumbprints(CallContext ctx, UpdateOpenIDConnectProviderThumbprintRequest req) {
        return iam.write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn());
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), row.clientIds(),
                    json(distinct(req.ThumbprintList())), row.tags(), row.createdAt(), null)));
            return null;
        });
    }

    private OidcProviderRow withMac(OidcProviderRow p) {
        return new OidcProviderRow(p.accountId(), p.arn(), p.url(), p.clientIds(), p.thumbprints(), p.tags(), p.createdAt(),
                iam.macs.mac(p));
    }

    private static OidcProviderRow requireOidc(Transaction tx, String account, String arn) throws SQLException {
        return tx.identities().findOidcProvider(account, arn).orElseThrow(() -> noSuchEntity(
                "OpenIDConnect Provider not found for arn " + arn));
    }

    static String oidcArn(String account, String url) {
        return "arn:aws:iam::" + account + ":oidc-provider/" + dev.coffer.server.sts.OidcProvider.withoutScheme(url == null ? "" : url);
    }

    private Void retagOidc(CallContext ctx, String arn, Function<List<Tag>, List<Tag>> change) {
        return iam.write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), arn);
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), row.clientIds(),
                    row.thumbprints(), tagsJson(change.apply(tags(row.tags()))), row.createdAt(), null)));
            return null;
        });
    }
}
