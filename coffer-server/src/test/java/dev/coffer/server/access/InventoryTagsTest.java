package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hygiene report's tag conventions: keys in any case and common spellings, values checked. */
class InventoryTagsTest {

    @Test
    void keysAreMatchedInAnyCaseAndTheirCommonSpellings() {
        InventoryTags.Read read = InventoryTags.read(Map.of("Owned-By", "team-payments", "DATA_CLASSIFICATION", "high",
                "RotationDays", "30", "Expiry", "2027-01-31"));
        assertThat(read.owner()).isEqualTo("team-payments");
        assertThat(read.classification()).isEqualTo("High");
        assertThat(read.rotationDays()).isEqualTo(30);
        assertThat(read.expires()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(read.problems()).isEmpty();

        assertThat(InventoryTags.read(Map.of("owner", "ops", "classification", "Low", "rotation-days", "7",
                "expires", "2027-01-31T12:30:00Z"))).isEqualTo(new InventoryTags.Read("ops", "Low", 7,
                Instant.parse("2027-01-31T12:30:00Z"), java.util.List.of()));
    }

    @Test
    void blankValuesAreAbsentNotInvalid() {
        InventoryTags.Read read = InventoryTags.read(Map.of("owner", " ", "classification", ""));
        assertThat(read.owner()).isNull();
        assertThat(read.classification()).isNull();
        assertThat(read.problems()).isEmpty();
    }

    @Test
    void valuesThatCannotBeReadAreNamedAsProblems() {
        InventoryTags.Read read = InventoryTags.read(Map.of("classification", "Secret", "rotation-days", "0",
                "expires", "next spring"));
        assertThat(read.classification()).isNull();
        assertThat(read.rotationDays()).isNull();
        assertThat(read.expires()).isNull();
        assertThat(read.problems()).containsExactlyInAnyOrder(
                "classification 'Secret' is not Low, Medium or High",
                "rotation-days '0' is not a whole number of days from 1 to 3650",
                "expires 'next spring' is not an ISO 8601 date (2027-01-31)");
        assertThat(InventoryTags.read(Map.of("rotation-days", "3651")).problems()).hasSize(1);
        assertThat(InventoryTags.read(Map.of("rotation-days", "30.5")).problems()).hasSize(1);
    }

    @Test
    void otherTagsAreNotTakenForInventory() {
        InventoryTags.Read read = InventoryTags.read(Map.of("owners-manual", "x", "class", "High", "rotation", "30"));
        assertThat(read).isEqualTo(new InventoryTags.Read(null, null, null, null, java.util.List.of()));
    }
}
