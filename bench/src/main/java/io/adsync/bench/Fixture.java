package io.adsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running fixture DC, as its {@code fixture.env} (deploy/samba-ad) describes it. */
public record Fixture(String name, int users, Map<String, String> env) {

    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z0-9_]+)='(.*)'$");

    public static Fixture load(String name, int users, Path fixtureEnv) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(fixtureEnv)) {
            Matcher m = EXPORT.matcher(line.strip());
            if (m.matches()) {
                env.put(m.group(1), m.group(2).replace("'\\''", "'"));
            }
        }
        return new Fixture(name, users, Map.copyOf(env));
    }

    public String get(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException("fixture " + name + ": " + key + " is not in its fixture.env");
        }
        return v;
    }

    public String ip() {
        return get("AD_IP");
    }

    public String caPem() throws IOException {
        return Files.readString(Path.of(get("AD_CA_PEM")));
    }
}
