package dev.manaknight.runtime.effects;

import java.sql.SQLException;

/**
 * The app's migrations cannot be applied to its database: a migration that already ran was
 * changed, one failed, the migration files are not laid out as they must be, or the database has
 * tables but no migration history. The server does not start (exit code 65, as for any app that
 * does not fit its data); the message names the file.
 */
public final class MigrationException extends SQLException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
