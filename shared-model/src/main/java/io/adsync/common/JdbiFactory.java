package io.adsync.common;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import javax.sql.DataSource;

/** The Jdbi of a data source: PostgreSQL types (uuid, arrays of them) bound and mapped by name. */
@jakarta.inject.Singleton
public class JdbiFactory {

    public static Jdbi create(DataSource ds) {
        return Jdbi.create(ds).installPlugin(new PostgresPlugin());
    }

    @Produces
    @Singleton
    Jdbi jdbi(AgroalDataSource ds) {
        return create(ds);
    }
}
