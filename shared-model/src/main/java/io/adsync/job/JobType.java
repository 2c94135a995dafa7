package io.adsync.job;

/** What a sync job does. Only Active Directory user sync exists today; the column and enum leave room for more. */
public enum JobType {
    AD_SYNC
}
