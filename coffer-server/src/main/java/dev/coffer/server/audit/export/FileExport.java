package dev.coffer.server.audit.export;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The JSON-lines file sink's settings.
 *
 * @param directory   where the files go (created owner-only if missing)
 * @param rotateBytes a file is closed and a new one begun before it would grow past this
 * @param rotateAfter ... or once it has been open this long
 * @param keepFiles   at most this many files are kept, the oldest deleted first; 0: no limit
 * @param keepFor     files last written longer ago than this are deleted; zero: no limit
 */
public record FileExport(Path directory, long rotateBytes, Duration rotateAfter, int keepFiles, Duration keepFor) {
    public static final long DEFAULT_ROTATE_BYTES = 100L * 1024 * 1024;
    public static final Duration DEFAULT_ROTATE_AFTER = Duration.ofHours(1);
    public static final Duration DEFAULT_KEEP_FOR = Duration.ofDays(90);

    public FileExport {
        if (directory == null) throw new IllegalArgumentException("the audit export file sink needs a directory");
        if (rotateBytes <= 0) throw new IllegalArgumentException("rotate-mb must be positive");
        if (rotateAfter == null || rotateAfter.isNegative() || rotateAfter.isZero()) {
            throw new IllegalArgumentException("rotate-minutes must be positive");
        }
        if (keepFiles < 0) throw new IllegalArgumentException("keep-files cannot be negative");
        if (keepFor == null || keepFor.isNegative()) throw new IllegalArgumentException("keep-days cannot be negative");
    }

    /**
     * Parses {@code DIR[,rotate-mb=N][,rotate-minutes=N][,keep-files=N][,keep-days=N]} (N may be a decimal for the sizes
     * and times; keep-files=0 and keep-days=0 mean no limit). Defaults: 100 MB, 60 minutes, no file limit, 90 days.
     */
    public static FileExport parse(String spec) {
        String[] parts = spec.split(",");
        if (parts[0].isBlank()) throw new IllegalArgumentException("--audit-export-file takes DIR[,option=value...], got " + spec);
        long rotateBytes = DEFAULT_ROTATE_BYTES;
        Duration rotateAfter = DEFAULT_ROTATE_AFTER;
        int keepFiles = 0;
        Duration keepFor = DEFAULT_KEEP_FOR;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("--audit-export-file: expected option=value, got " + part);
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            switch (key) {
                case "rotate-mb" -> rotateBytes = (long) (number(key, value) * 1024 * 1024);
                case "rotate-minutes" -> rotateAfter = Duration.ofMillis((long) (number(key, value) * 60_000));
                case "keep-files" -> keepFiles = (int) whole(key, value);
                case "keep-days" -> keepFor = Duration.ofMillis((long) (number(key, value) * 86_400_000));
                default -> throw new IllegalArgumentException("--audit-export-file: unknown option " + key
                        + " (rotate-mb, rotate-minutes, keep-files, keep-days)");
            }
        }
        return new FileExport(Path.of(parts[0].strip()), rotateBytes, rotateAfter, keepFiles, keepFor);
    }

    private static double number(String key, String value) {
        try {
            double n = Double.parseDouble(value);
            if (!Double.isFinite(n) || n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--audit-export-file: " + key + " takes a non-negative number, got " + value);
        }
    }

    private static long whole(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > Integer.MAX_VALUE) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--audit-export-file: " + key + " takes a non-negative whole number, got " + value);
        }
    }
}
