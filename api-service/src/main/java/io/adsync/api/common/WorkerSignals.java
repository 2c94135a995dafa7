package io.adsync.api.common;

import io.adsync.common.Channels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.UUID;

/**
 * Tells listening workers about new work through PostgreSQL NOTIFY. It joins the caller's transaction, so the
 * notification is delivered on commit and never announces work that was rolled back.
 */
@ApplicationScoped
public class WorkerSignals {

    private final EntityManager em;

    public WorkerSignals(EntityManager em) {
        this.em = em;
    }

    public void wakeUp(UUID jobId) {
        send(Channels.WAKEUP, jobId.toString());
    }

    private void send(String channel, String payload) {
        em.createNativeQuery("SELECT pg_notify(?1, ?2)").setParameter(1, channel).setParameter(2, payload).getSingleResult();
    }
}
