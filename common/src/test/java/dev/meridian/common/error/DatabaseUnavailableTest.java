package dev.meridian.common.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.transaction.xa.XAException;

import org.junit.jupiter.api.Test;

/** Which failures are the database being out of reach (503) rather than a defect (500). */
class DatabaseUnavailableTest {

    @Test
    void refusedOrLostConnectionsAndAnExhaustedPoolAreUnavailability() {
        assertTrue(ErrorMappers.databaseUnavailable(new RuntimeException("Unable to acquire JDBC Connection",
                new SQLException("FATAL: sorry, too many clients already", "53300"))));
        assertTrue(ErrorMappers.databaseUnavailable(new IllegalStateException(
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))));
        assertTrue(ErrorMappers.databaseUnavailable(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(ErrorMappers.databaseUnavailable(new RuntimeException(
                new SQLTransientConnectionException("Sorry, acquisition timeout!"))));
    }

    @Test
    void aCommitThatLostItsConnectionIsUnavailabilityThoughOnlySuppressedSaysSo() {
        // what Narayana throws when the one-phase commit's connection is gone: the reason is suppressed, not a cause
        XAException resource = new XAException("Error trying to transactionCommit local transaction: This connection"
                + " has been closed.");
        resource.initCause(new SQLException("This connection has been closed.", "08003"));
        Exception heuristic = new Exception("HeuristicMixedException");
        heuristic.addSuppressed(resource);
        assertTrue(ErrorMappers.databaseUnavailable(new RuntimeException(heuristic)));

        Exception unrelated = new Exception("rolled back");
        unrelated.addSuppressed(new IllegalStateException("a defect"));
        assertFalse(ErrorMappers.databaseUnavailable(new RuntimeException(unrelated)));
    }

    @Test
    void aCycleOfCausesEnds() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.addSuppressed(second);
        assertFalse(ErrorMappers.databaseUnavailable(first));
    }

    @Test
    void otherDatabaseErrorsAndOtherFailuresAreNot() {
        assertFalse(ErrorMappers.databaseUnavailable(new SQLException("duplicate key value violates unique constraint", "23505")));
        assertFalse(ErrorMappers.databaseUnavailable(new SQLException("no state")));
        assertFalse(ErrorMappers.databaseUnavailable(new NullPointerException()));
    }
}
