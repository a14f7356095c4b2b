package dev.coffer.server.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerMessages.APIErrorType;
import dev.coffer.server.secrets.SecretsManagerMessages.BatchGetSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.BatchGetSecretValueResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.DescribeSecretResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.GetSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.GetSecretValueResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretVersionIdsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretVersionIdsResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretsRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.ListSecretsResponse;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretListEntry;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretVersionsListEntry;
import dev.coffer.server.store.SecretRow;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.TagRow;
import dev.coffer.server.store.Transaction;
import dev.coffer.server.store.VersionRow;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The operations that read secrets and their metadata. */
final class SecretReads {
    private static final int DEFAULT_PAGE = 100;
    private static final int DEFAULT_BATCH_PAGE = 20;
    private static final long DAY_MILLIS = 86_400_000L;
    /** Bounded by bytes, not entries: an envelope can be 64 KiB. */
    private static final long CACHE_BYTES = 64L << 20;

    private final Store store;
    private final Clock clock;
    private final SecretValues values;

    private final SecretAccessTargets targets;

    SecretReads(Store store, Clock clock, SecretValues values, SecretAccessTargets targets) {
        this.targets = targets;
        this.store = store;
        this.clock = clock;
        this.values = values;
    }

    private record Found(SecretRow secret, VersionRow version, List<String> stages, long changeCounter) {}

    private record Lookup(String accountId, String region, String secretId, String versionId, String versionStage) {}

    /**
     * Recently resolved versions — sealed, never plaintext — so that a busy reader costs no
     * database round trip. An entry is used only while the store's change counter still
     * equals the one it was read at; any committed write moves the counter, so no entry can
     * hide an acknowledged change.
     */
    private final Cache<Lookup, Found> recent = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .weigher((Lookup key, Found found) -> 512 + found.version().sealedValue().length) // row overhead + envelope
            .build();

    GetSecretValueResponse get(CallContext ctx, GetSecretValueRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        Lookup lookup = new Lookup(ctx.accountId(), ctx.region(), req.SecretId(), req.VersionId(), req.VersionStage());
        long counter = store.changeCounter(ChangeDomain.SECRETS);
        Found found = recent.getIfPresent(lookup);
        if (found == null || found.changeCounter() != counter) {
            found = store.read(tx -> find(tx, ctx, req.SecretId(), req.VersionId(), req.VersionStage(), counter));
            recent.put(lookup, found);
        }
        SecretRow s = found.secret();
        VersionRow v = found.version();
        GetSecretValueResponse response;
        try (SecretBytes plain = values.open(s, v)) {
            response = v.valueType() == VersionRow.STRING
                    ? new GetSecretValueResponse(s.arn(), s.name(), v.versionId(), null,
                            new String(plain.bytes(), StandardCharsets.UTF_8), found.stages(), Instant.ofEpochMilli(v.createdAt()))
                    : new GetSecretValueResponse(s.arn(), s.name(), v.versionId(), plain.bytes().clone(), null,
                            found.stages(), Instant.ofEpochMilli(v.createdAt()));
        }
        recordAccess(s, v);
        return response;
    }

    private static Found find(Transaction tx, CallContext ctx, String secretId, String versionId, String stage,
                              long changeCounter) throws SQLException {
        SecretRow s = SecretLookup.resolve(tx, ctx, secretId);
        if (s.isScheduledForDeletion()) throw SecretErrors.markedForDeletion();
        String owner = s.versionOwnerId();
        VersionRow v;
        if (versionId != null) {
            v = tx.secrets().findVersion(owner, versionId).orElseThrow(() -> SecretErrors.valueNotFoundForVersion(versionId));
        } else {
            String wanted = stage != null ? stage : StagingLabels.CURRENT;
            v = tx.secrets().findVersionByStage(owner, wanted).orElseThrow(() -> SecretErrors.valueNotFoundForStage(wanted));
        }
        List<String> stages = tx.secrets().stagesOf(owner, v.versionId());
        if (versionId != null && stage != null && !stages.contains(stage)) throw SecretErrors.stageNotOnVersion();
        return new Found(s, v, stages, changeCounter);
    }

    /** LastAccessedDate has day granularity, so at most one write per secret and version per day. */
    private void recordAccess(SecretRow s, VersionRow v) {
        long today = clock.millis() / DAY_MILLIS * DAY_MILLIS;
        boolean secretStale = s.lastAccessedAt() == null || s.lastAccessedAt() < today;
        boolean versionStale = v.lastAccessedAt() == null || v.lastAccessedAt() < today;
        if (secretStale || versionStale) {
            store.write(tx -> {
                tx.secrets().markAccessed(s.secretId(), s.versionOwnerId(), v.versionId(), today);
                return null;
            });
        }
    }

    BatchGetSecretValueResponse batchGet(CallContext ctx, BatchGetSecretValueRequest req) {
        boolean byIds = req.SecretIdList() != null;
        boolean byFilters = req.Filters() != null;
        if (byIds == byFilters) {
            throw SecretErrors.invalidParameter("Either SecretIdList or Filters must be provided, but not both.");
        }
        List<String> ids;
        String nextToken = null;
        if (byIds) {
            if (req.MaxResults() != null || req.NextToken() != null) {
                throw SecretErrors.invalidParameter("MaxResults and NextToken can only be used with Filters.");
            }
            ids = req.SecretIdList();
        } else {
            int limit = req.MaxResults() != null ? req.MaxResults() : DEFAULT_BATCH_PAGE;
            ListSecretsResponse page = list(ctx, new ListSecretsRequest(false, limit, req.NextToken(), req.Filters(), "asc"));
            ids = page.SecretList().stream().map(SecretListEntry::ARN).toList();
            nextToken = page.NextToken();
        }
        List<GetSecretValueResponse> found = new ArrayList<>();
        List<APIErrorType> errors = new ArrayList<>();
        for (String id : ids) {
            try {
                // As in AWS, each secret returned needs GetSecretValue too; a refused one is an entry in Errors.
                ctx.permissions().require("secretsmanager:GetSecretValue", targets.secret(ctx, id, Map.of()));
                found.add(get(ctx, new GetSecretValueRequest(id, null, null)));
            } catch (ServiceException e) {
                errors.add(new APIErrorType(id, e.code().wireName(), e.getMessage()));
            }
        }
        return new BatchGetSecretValueResponse(found, nextToken, errors);
    }

    DescribeSecretResponse describe(CallContext ctx, SecretIdRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        return store.read(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            SecretRow meta = s.isReplica() ? tx.secrets().findById(s.primarySecretId()).orElse(s) : s;
            var replication = s.isReplica() ? null : Replication.statuses(tx, s);
            return SecretViews.describe(s, meta, tx.secrets().tags(meta.secretId()),
                    tx.secrets().stages(s.versionOwnerId()), replication);
        });
    }

    ListSecretsResponse list(CallContext ctx, ListSecretsRequest req) {
        boolean includeDeleted = Boolean.TRUE.equals(req.IncludePlannedDeletion());
        boolean descending = "desc".equals(req.SortOrder());
        int limit = req.MaxResults() != null ? req.MaxResults() : DEFAULT_PAGE;
        return store.read(tx -> {
            List<SecretRow> rows = tx.secrets().listInRegion(ctx.accountId(), ctx.region());
            Map<String, List<TagRow>> tags = new java.util.HashMap<>(tx.secrets().tagsInRegion(ctx.accountId(), ctx.region()));
            Map<String, Map<String, List<String>>> stages = tx.secrets().stagesInRegion(ctx.accountId(), ctx.region());
            Map<String, SecretRow> byId = new java.util.HashMap<>();
            rows.forEach(r -> byId.put(r.secretId(), r));
            // A replica shows its primary's metadata, and the primary lives in another region.
            for (SecretRow r : rows) {
                if (r.isReplica() && !byId.containsKey(r.primarySecretId())) {
                    var primary = tx.secrets().findById(r.primarySecretId());
                    if (primary.isPresent()) {
                        byId.put(primary.get().secretId(), primary.get());
                        tags.put(primary.get().secretId(), tx.secrets().tags(primary.get().secretId()));
                    }
                }
            }

            Comparator<SecretRow> order = Comparator.comparingLong(SecretRow::createdAt).thenComparing(SecretRow::secretId);
            if (descending) order = order.reversed();
            List<SecretRow> matching = rows.stream()
                    .filter(r -> includeDeleted || !r.isScheduledForDeletion())
                    .filter(r -> ListFilters.matches(req.Filters(), metaOf(r, byId), tags.getOrDefault(metaOf(r, byId).secretId(), List.of())))
                    .sorted(order)
                    .toList();
            PageTokens.Page<SecretRow> page = PageTokens.page(matching, SecretReads::position, req.NextToken(), limit);
            List<SecretListEntry> entries = new ArrayList<>();
            for (SecretRow r : page.items()) {
                SecretRow meta = metaOf(r, byId);
                entries.add(SecretViews.listEntry(r, meta, tags.getOrDefault(meta.secretId(), List.of()),
                        stages.get(r.secretId())));
            }
            return new ListSecretsResponse(entries, page.nextToken());
        });
    }

    private static SecretRow metaOf(SecretRow r, Map<String, SecretRow> byId) {
        return r.isReplica() ? byId.getOrDefault(r.primarySecretId(), r) : r;
    }

    private static String position(SecretRow r) {
        return r.createdAt() + ":" + r.secretId();
    }

    ListSecretVersionIdsResponse listVersionIds(CallContext ctx, ListSecretVersionIdsRequest req) {
        SecretNames.requireValidSecretId(req.SecretId());
        boolean includeDeprecated = Boolean.TRUE.equals(req.IncludeDeprecated());
        int limit = req.MaxResults() != null ? req.MaxResults() : DEFAULT_PAGE;
        return store.read(tx -> {
            SecretRow s = SecretLookup.resolve(tx, ctx, req.SecretId());
            Map<String, List<String>> stages = tx.secrets().stages(s.versionOwnerId());
            List<VersionRow> versions = new ArrayList<>(tx.secrets().versions(s.versionOwnerId()));
            versions.removeIf(v -> !includeDeprecated && !stages.containsKey(v.versionId()));
            versions.sort(Comparator.comparingLong(VersionRow::createdAt).thenComparing(VersionRow::versionId).reversed());
            PageTokens.Page<VersionRow> page = PageTokens.page(versions, VersionRow::versionId, req.NextToken(), limit);
            List<String> kmsKeyIds = List.of(s.kmsKeyId() != null ? s.kmsKeyId() : "DefaultEncryptionKey");
            List<SecretVersionsListEntry> entries = new ArrayList<>();
            for (VersionRow v : page.items()) {
                entries.add(new SecretVersionsListEntry(v.versionId(), stages.get(v.versionId()),
                        SecretViews.instant(v.lastAccessedAt()), Instant.ofEpochMilli(v.createdAt()), kmsKeyIds));
            }
            return new ListSecretVersionIdsResponse(entries, page.nextToken(), s.arn(), s.name());
        });
    }
}
