package dev.coffer.server.secrets;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Secret names, ARNs and SecretId resolution rules, as AWS has them:
 * {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX}, where the six
 * characters are random; a SecretId is a name, a full ARN, or a partial ARN (the ARN
 * without the suffix) — except that a partial ARN whose name itself ends in a hyphen and
 * six characters is not resolved, because it cannot be told from a full one.
 */
final class SecretNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]+");
    private static final Pattern SUFFIXED = Pattern.compile(".*-[A-Za-z0-9]{6}");
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ARN_PREFIX = "arn:aws:secretsmanager:";

    private SecretNames() {}

    static void requireValidName(String name) {
        if (!NAME.matcher(name).matches()) throw SecretErrors.invalidName();
    }

    /** Validates the name part of a SecretId, whether given as a name or an ARN. */
    static void requireValidSecretId(String secretId) {
        requireValidName(isArn(secretId) ? nameOfArn(secretId) : secretId);
    }

    static boolean isArn(String secretId) {
        return secretId.startsWith("arn:");
    }

    /** The part after {@code :secret:}; the whole id if the ARN is malformed (so it will not resolve). */
    static String nameOfArn(String arn) {
        int at = arn.indexOf(":secret:");
        return at < 0 ? arn : arn.substring(at + ":secret:".length());
    }

    /** Whether a partial-ARN lookup by this name is allowed. */
    static boolean partialArnResolvable(String name) {
        return !SUFFIXED.matcher(name).matches();
    }

    static String arn(String region, String accountId, String name, String suffix) {
        return ARN_PREFIX + region + ":" + accountId + ":secret:" + name + "-" + suffix;
    }

    /** The same secret's ARN in another region (replicas keep the suffix). */
    static String arnInRegion(String arn, String region) {
        String rest = arn.substring(ARN_PREFIX.length());
        return ARN_PREFIX + region + rest.substring(rest.indexOf(':'));
    }

    static String suffixOf(String arn) {
        return arn.substring(arn.length() - 6);
    }

    static String newSuffix(SecureRandom random) {
        char[] suffix = new char[6];
        for (int i = 0; i < suffix.length; i++) suffix[i] = SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length()));
        return new String(suffix);
    }
}
