package io.adsync.run;

/** Classified reason a run failed; clients and alerts key on these, so they are part of the API. */
public enum ErrorCategory {
    /** No domain controller answered (refused, unknown host, network down). */
    UNREACHABLE,
    /** TLS handshake or certificate/hostname verification failed. */
    TLS,
    /** The bind was refused: wrong DN/UPN or password, locked or expired bind account. */
    AUTH,
    /** A connect or read timed out. */
    TIMEOUT,
    /** The directory answered with something unexpected (bad filter, no such base DN, protocol error). */
    PROTOCOL,
    /** The adsync database failed. */
    DB,
    /** The run would have deactivated more accounts than the job allows. */
    DELETION_THRESHOLD,
    /** Cancelled by a user, or released by a worker that was shutting down or lost its lease. */
    CANCELLED,
    /** Anything not classified above (a bug): the message says more. */
    INTERNAL
}
