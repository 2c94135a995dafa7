package io.adsync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the results table: a measured quantity over several runs (median, min-max), the target it is held
 * against, and whether it met it. {@code facts} are extra numbers for the JSON (and the notes column).
 *
 * @param id       stable key, e.g. "2.first-full-sync"
 * @param scenario what was measured, for people
 * @param unit     "s", "runs/s", "MiB", "ms"...
 * @param samples  one value per run
 * @param target   the target, for people ("<= 2x raw read (6.1 s)"), or "" when there is none
 * @param met      null when there is no target
 * @param notes    short remarks for the table
 */
public record Row(String id, String scenario, String unit, List<Double> samples, String target, Boolean met,
                  String notes, Map<String, Object> facts) {

    public Row {
        samples = List.copyOf(samples);
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public static Row of(String id, String scenario, String unit, List<Double> samples) {
        return new Row(id, scenario, unit, samples, "", null, "", Map.of());
    }

    public Row target(String text, boolean ok) {
        return new Row(id, scenario, unit, samples, text, ok, notes, facts);
    }

    public Row notes(String text) {
        return new Row(id, scenario, unit, samples, target, met, text, facts);
    }

    public Row fact(String key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>(facts);
        f.put(key, value);
        return new Row(id, scenario, unit, samples, target, met, notes, f);
    }

    public double median() {
        return median(samples);
    }

    public double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN if there are none. */
    public static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
