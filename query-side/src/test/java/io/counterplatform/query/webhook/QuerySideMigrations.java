package io.counterplatform.query.webhook;

import io.counterplatform.launcher.LocalPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A new database migrated by the query side's own migrations, up to the version an upgrade test starts from. */
final class QuerySideMigrations {

    private QuerySideMigrations() {}

    static DriverManagerDataSource newDatabase(String name) {
        return new DriverManagerDataSource(
                LocalPostgres.shared().newDatabase(name), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    /** Migrates to {@code target}: a version, or {@code latest}. */
    static void migrate(DriverManagerDataSource database, String target) {
        Flyway.configure()
                .dataSource(database)
                .table("flyway_query_side_history")
                .locations("classpath:db/migration")
                .target(target)
                .load()
                .migrate();
    }
}
