package dev.coffer.server.store;

/**
 * What kind of data a committed write changed, so that caches invalidate only what a write
 * can affect: a burst of PutSecretValue calls must not flush the compiled policies or the
 * opened access keys of every caller. Repositories mark the domain of every write they make.
 */
public enum ChangeDomain {
    /** Secrets, their versions, labels, tags, replicas and resource policies. */
    SECRETS,
    /** Anything that decides who a caller is or what it may do: accounts, identities, keys, policies. */
    IDENTITIES,
    /** Key-encryption keys. */
    KEYRING,
    /** Deployment settings kept in the database. */
    META
}
