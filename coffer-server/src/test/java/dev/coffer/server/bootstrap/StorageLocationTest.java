package dev.coffer.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What --storage accepts: one or several PostgreSQL hosts, driver parameters, never a password. */
class StorageLocationTest {

    @Test
    void oneHost_becomesTheDriverUrl_withItsParameters() {
        StorageLocation l = StorageLocation.parse("postgresql://coffer@db.internal:5432/coffer?sslmode=verify-full");
        assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/coffer?sslmode=verify-full");
        assertThat(l.user()).isEqualTo("coffer");
    }

    @Test
    void severalHosts_letTheDriverFindThePrimaryAfterAFailover() {
        StorageLocation l = StorageLocation.parse(
                "postgresql://coffer@pg-a:5432,pg-b:5432,[fd00::7]:5433/coffer?targetServerType=primary");
        assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://pg-a:5432,pg-b:5432,[fd00::7]:5433/coffer?targetServerType=primary");
    }

    @Test
    void aPasswordInTheUrl_isRefused_withoutEchoingIt() {
        assertThatThrownBy(() -> StorageLocation.parse("postgresql://coffer:hunter2-fake@db:5432/coffer"))
                .hasMessageContaining("must not carry a password").hasMessageNotContaining("hunter2-fake");
    }

    @Test
    void otherSchemes_missingParts_andMalformedHosts_areRefused() {
        assertThatThrownBy(() -> StorageLocation.parse("mysql://root@db:3306/coffer")).hasMessageContaining("scheme mysql");
        assertThatThrownBy(() -> StorageLocation.parse("postgresql://coffer@db:5432")).hasMessageContaining("database are required");
        assertThatThrownBy(() -> StorageLocation.parse("postgresql://coffer@db:5432,/coffer")).hasMessageContaining("not a HOST");
    }
}
