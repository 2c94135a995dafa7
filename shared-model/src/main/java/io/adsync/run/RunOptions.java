package io.adsync.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a manual run asks for.
 *
 * @param mode                  FULL forces a full enumeration; null lets the worker choose
 * @param allowMassDeactivation lets this run deactivate more accounts than the job's deletion guard allows
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunOptions(SyncMode mode, Boolean allowMassDeactivation) {
    public static final RunOptions DEFAULT = new RunOptions(null, null);

    public boolean massDeactivationAllowed() {
        return Boolean.TRUE.equals(allowMassDeactivation);
    }
}
