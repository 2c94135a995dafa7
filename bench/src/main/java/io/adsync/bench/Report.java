package io.adsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results: a Markdown table for people and the same rows as JSON for machines. */
public final class Report {

    private Report() {
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | runs | median | min–max | target | met | notes |\n");
        sb.append("| --- | ---: | ---: | ---: | --- | :---: | --- |\n");
        for (Row r : rows) {
            sb.append("| ").append(r.scenario())
                    .append(" | ").append(r.samples().size())
                    .append(" | ").append(fmt(r.median())).append(' ').append(r.unit())
                    .append(" | ").append(fmt(r.min())).append('–').append(fmt(r.max()))
                    .append(" | ").append(r.target())
                    .append(" | ").append(r.met() == null ? "" : r.met() ? "yes" : "**NO**")
                    .append(" | ").append(r.notes().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    public static Map<String, Object> json(List<Row> rows, Map<String, Object> environment) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("scenario", r.scenario());
            m.put("unit", r.unit());
            m.put("runs", r.samples().size());
            m.put("median", round(r.median()));
            m.put("min", round(r.min()));
            m.put("max", round(r.max()));
            m.put("samples", r.samples().stream().map(Report::round).toList());
            m.put("target", r.target());
            m.put("met", r.met());
            m.put("notes", r.notes());
            m.put("facts", r.facts());
            out.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generatedAt", Instant.now().toString());
        doc.put("environment", environment);
        doc.put("rows", out);
        return doc;
    }

    public static void write(Path dir, List<Row> rows, Map<String, Object> environment) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown(rows));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("results.json").toFile(), json(rows, environment));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1000.0) / 1000.0;
    }
}
