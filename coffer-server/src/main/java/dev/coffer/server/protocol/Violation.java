package dev.coffer.server.protocol;

/**
 * One broken constraint, printed as AWS prints it:
 * {@code Value 'x' at 'name' failed to satisfy constraint: Member must ...}. The value is left
 * out ({@code Value at 'secretString' ...}) when it is sensitive or cannot be shown, and is
 * {@code null} for a missing required member.
 *
 * @param value the value as shown to the caller, or null to leave it out
 */
record Violation(String path, String value, boolean missing, String constraint) {

    static Violation missing(String path) {
        return new Violation(path, null, true, "Member must not be null");
    }

    static Violation of(String path, String valueOrNull, String constraint) {
        return new Violation(path, valueOrNull, false, constraint);
    }

    String message() {
        String shown = missing ? "Value null" : value == null ? "Value" : "Value '" + value + "'";
        return shown + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }
}
