package dev.coffer.server.secrets;

/**
 * The options of a GetRandomPassword request, exactly as the caller sent them: a null field
 * means the caller left it out and AWS's default applies (length 32, every character type
 * allowed, no space, at least one character of each allowed type). Keeping the nulls lets the
 * generator apply the defaults in one place.
 */
public record PasswordOptions(
        Long passwordLength,
        String excludeCharacters,
        Boolean excludeNumbers,
        Boolean excludePunctuation,
        Boolean excludeUppercase,
        Boolean excludeLowercase,
        Boolean includeSpace,
        Boolean requireEachIncludedType) {

    /** No options at all: every AWS default. */
    public static PasswordOptions defaults() {
        return new PasswordOptions(null, null, null, null, null, null, null, null);
    }
}
