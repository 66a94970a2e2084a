package io.counterplatform.query;

import io.counterplatform.launcher.LocalPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A new database migrated by the query side's own migrations, up to the version an upgrade test starts from. */
public final class QuerySideMigrations {

    private QuerySideMigrations() {}

    public static DriverManagerDataSource newDatabase(String name) {
        return new DriverManagerDataSource(
                LocalPostgres.shared().newDatabase(name), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    /** Migrates to {@code target}: a version, or {@code latest}. */
    public static void migrate(DriverManagerDataSource database, String target) {
        Flyway.configure()
                .dataSource(database)
                .table("flyway_query_side_history")
                .locations("classpath:db/migration")
                .target(target)
                .load()
                .migrate();
    }
}
