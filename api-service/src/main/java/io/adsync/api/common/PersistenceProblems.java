package io.adsync.api.common;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;
import org.hibernate.StaleObjectStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns races the service's own checks cannot see (two writers at once) into 409s instead of 500s:
 * a unique index hit, or a concurrent update of the same row version.
 */
public class PersistenceProblems {

    @ServerExceptionMapper
    public Response uniqueViolation(ConstraintViolationException e) {
        if (e.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
            return ApiErrors.conflict("a resource with the same unique value already exists (" + e.getConstraintName() + ")").toResponse();
        }
        if (e.getKind() == ConstraintViolationException.ConstraintKind.FOREIGN_KEY) {
            return ApiErrors.conflict("the change refers to, or is referred to by, another resource (" + e.getConstraintName() + ")").toResponse();
        }
        throw e;
    }

    @ServerExceptionMapper({OptimisticLockException.class, StaleObjectStateException.class})
    public Response concurrentUpdate(RuntimeException e) {
        return ApiErrors.conflict("the resource was changed concurrently; read it again and retry").toResponse();
    }
}
