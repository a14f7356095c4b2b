package dev.coffer.server.protocol;

import java.util.Locale;

/**
 * The shape types a botocore service model uses. Every shape in a loaded model has one of
 * these, so a model with a type Coffer does not know fails at load time rather than being
 * half-validated at request time.
 */
enum ShapeType {
    STRUCTURE, LIST, MAP, STRING, BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, TIMESTAMP, BLOB;

    static ShapeType of(String botocoreType) {
        try {
            return valueOf(botocoreType.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unsupported shape type: " + botocoreType, e);
        }
    }

    boolean isIntegral() {
        return this == INTEGER || this == LONG;
    }
}
