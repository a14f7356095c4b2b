package dev.coffer.server.protocol;

import java.util.Objects;

/**
 * A reference from a structure member, list element, map key or map value to the shape it
 * holds. {@code sensitive} is true when either the reference or the target shape is marked
 * sensitive, so callers need look in one place only.
 *
 * @param name   the member name as it appears on the wire, or null for list elements and
 *               map keys and values
 * @param target the name of the shape the member holds
 */
record Member(String name, String target, boolean sensitive) {
    Member {
        Objects.requireNonNull(target, "target");
    }
}
