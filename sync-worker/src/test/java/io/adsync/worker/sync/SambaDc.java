package io.adsync.worker.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Samba AD DC of the repository's fixture ({@code deploy/samba-ad}), driven from a test: restored fresh from
 * the fixture's tarball cache, stopped/killed/started, and changed like an administrator would (ldapmodify,
 * ldapdelete over LDAP as Administrator). Needs root (the fixture adds 127.0.0.N addresses to lo).
 */
final class SambaDc {

    final Path scripts;
    final Path dir;
    final Map<String, String> env;

    private SambaDc(Path scripts, Path dir, Map<String, String> env) {
        this.scripts = scripts;
        this.dir = dir;
        this.env = env;
    }

    /**
     * A fresh DC in {@code dir} on {@code ip}: whatever was in {@code dir} (a previous run's changed DC) is stopped
     * and removed, then {@code cached-dc.sh} restores it from the cache (building the cache the first time).
     */
    static SambaDc fresh(Path scripts, String ip, Path dir, String... cachedDcArgs) {
        if (Files.exists(dir)) {
            run(Duration.ofSeconds(60), null, scripts.resolve("stop.sh").toString(), dir.toString());
            run(Duration.ofSeconds(60), null, "rm", "-rf", dir.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(scripts.resolve("cached-dc.sh").toString(), "--ip", ip, "--dir", dir.toString()));
        cmd.addAll(Arrays.asList(cachedDcArgs));
        run(Duration.ofMinutes(5), null, cmd.toArray(String[]::new));
        return new SambaDc(scripts, dir, readEnv(dir.resolve("fixture.env")));
    }

    String get(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException(key + " missing from " + dir.resolve("fixture.env"));
        }
        return v;
    }

    String ip() {
        return get("AD_IP");
    }

    String caPem() {
        try {
            return Files.readString(Path.of(get("AD_CA_PEM")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        run(Duration.ofSeconds(60), null, scripts.resolve("stop.sh").toString(), dir.toString());
    }

    void stopAndRemoveIp() {
        run(Duration.ofSeconds(60), null, scripts.resolve("stop.sh").toString(), dir.toString(), "--remove-ip");
    }

    void start() {
        run(Duration.ofSeconds(120), null, scripts.resolve("start.sh").toString(), dir.toString());
    }

    /** SIGTERM to the DC's root process right now (no waiting), like a DC going down. */
    void killNow() {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("run/samba.pid")).trim());
            ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("samba pid " + pid + " is not running"))
                    .destroy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies LDIF changes (changetype records) as Administrator; {@code controls} e.g. "!1.2.840.113556.1.4.417". */
    void ldapmodify(String ldif, String... controls) {
        List<String> cmd = new ArrayList<>(List.of("ldapmodify", "-x", "-H", get("AD_LDAP_URL"), "-D", get("AD_BIND_DN"),
                "-w", get("AD_BIND_PASSWORD")));
        for (String c : controls) {
            cmd.add("-e");
            cmd.add(c);
        }
        run(Duration.ofSeconds(60), ldif, cmd.toArray(String[]::new));
    }

    void delete(String dn) {
        run(Duration.ofSeconds(60), null, "ldapdelete", "-x", "-H", get("AD_LDAP_URL"), "-D", get("AD_BIND_DN"), "-w",
                get("AD_BIND_PASSWORD"), dn);
    }

    /** ldapsearch output (LDIF, unwrapped) */
    String ldapsearch(String base, String filter, String... attrs) {
        List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-LLL", "-o", "ldif-wrap=no", "-x", "-H", get("AD_LDAP_URL"),
                "-D", get("AD_BIND_DN"), "-w", get("AD_BIND_PASSWORD"), "-b", base, filter));
        cmd.addAll(Arrays.asList(attrs));
        return run(Duration.ofSeconds(60), null, cmd.toArray(String[]::new));
    }

    /** ldapsearch with the Show Deleted control (tombstones under CN=Deleted Objects). */
    String ldapsearchShowDeleted(String base, String filter) {
        return run(Duration.ofSeconds(60), null, "ldapsearch", "-LLL", "-o", "ldif-wrap=no", "-x", "-H", get("AD_LDAP_URL"),
                "-D", get("AD_BIND_DN"), "-w", get("AD_BIND_PASSWORD"), "-E", "!1.2.840.113556.1.4.417", "-b", base, filter, "dn");
    }

    /** One entry's attributes (a base-scope search; {@code ""} is the rootDSE), as LDIF. */
    String ldapsearchBase(String dn, String... attrs) {
        List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-LLL", "-o", "ldif-wrap=no", "-x", "-H", get("AD_LDAP_URL"),
                "-D", get("AD_BIND_DN"), "-w", get("AD_BIND_PASSWORD"), "-s", "base", "-b", dn, "(objectClass=*)"));
        cmd.addAll(Arrays.asList(attrs));
        return run(Duration.ofSeconds(60), null, cmd.toArray(String[]::new));
    }

    /** The first value of {@code attr} in LDIF output ({@code attr: v}, or base64 {@code attr:: v} as bytes' text). */
    static String ldifValue(String ldif, String attr) {
        for (String l : ldif.lines().toList()) {
            if (l.startsWith(attr + ": ")) {
                return l.substring(attr.length() + 2).strip();
            }
            if (l.startsWith(attr + ":: ")) {
                return l.substring(attr.length() + 3).strip();
            }
        }
        return null;
    }

    /** Generates entries with the fixture's gen-users.py (its arguments) and loads them with seed.sh (ldb, DC running). */
    void seedGenerated(String... genUsersArgs) {
        List<String> gen = new ArrayList<>(List.of("python3", scripts.resolve("gen-users.py").toString()));
        gen.addAll(Arrays.asList(genUsersArgs));
        String ldif = run(Duration.ofSeconds(120), null, gen.toArray(String[]::new));
        run(Duration.ofMinutes(5), ldif, scripts.resolve("seed.sh").toString(), dir.toString(), "-");
    }

    /** {@code samba-tool user show} against the DC's own database. */
    String sambaToolUserShow(String sam) {
        return run(Duration.ofSeconds(60), null, "samba-tool", "user", "show", sam, "-s", dir.resolve("etc/smb.conf").toString(),
                "-H", dir.resolve("private/sam.ldb").toString());
    }

    static String run(Duration timeout, String stdin, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + printable(cmd));
            }
            reader.join(5000);
            String output = out.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + printable(cmd) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command line with the value after {@code -w} (a password) hidden. */
    private static String printable(String... cmd) {
        List<String> shown = new ArrayList<>(Arrays.asList(cmd));
        for (int i = 0; i + 1 < shown.size(); i++) {
            if (shown.get(i).equals("-w")) {
                shown.set(i + 1, "***");
            }
        }
        return String.join(" ", shown);
    }

    /** fixture.env: {@code export KEY='value'} lines, single-quoted for sh ({@code '\''} for a quote). */
    static Map<String, String> readEnv(Path file) {
        try {
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (!l.startsWith("export ")) {
                    continue;
                }
                int eq = l.indexOf('=');
                String key = l.substring(7, eq).strip();
                String raw = l.substring(eq + 1);
                StringBuilder v = new StringBuilder();
                boolean quoted = false;
                for (int i = 0; i < raw.length(); i++) {
                    char ch = raw.charAt(i);
                    if (ch == '\'') {
                        quoted = !quoted;
                    } else if (ch == '\\' && !quoted && i + 1 < raw.length()) {
                        v.append(raw.charAt(++i));
                    } else {
                        v.append(ch);
                    }
                }
                env.put(key, v.toString());
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
