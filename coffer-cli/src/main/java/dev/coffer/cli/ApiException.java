package dev.coffer.cli;

/** An error the service answered with: its AWS code and message, printed the way the AWS CLI prints them. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    ApiException(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** {@code An error occurred (Code): message}. */
    String formatted() {
        return "An error occurred (" + code + ")" + (getMessage() == null || getMessage().isEmpty() ? "" : ": " + getMessage());
    }
}
