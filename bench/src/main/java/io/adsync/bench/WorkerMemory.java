package io.adsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a worker JVM over one run: the peak RSS (VmHWM, reset before the run through /proc/PID/clear_refs)
 * and the largest heap occupancy right after a GC, from the JVM's own {@code -Xlog:gc} file (lines such as
 * {@code Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(64M) 3.456ms}).
 */
final class WorkerMemory {

    private static final Pattern AFTER_GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final JvmProcess jvm;
    private final Path gcLog;
    private int gcLinesBefore;

    WorkerMemory(JvmProcess jvm, Path gcLog) {
        this.jvm = jvm;
        this.gcLog = gcLog;
    }

    /** The JVM options that make the GC log this class reads. */
    static String gcLogOption(Path gcLog) {
        return "-Xlog:gc:file=" + gcLog + ":uptime";
    }

    /** Call right before a run: resets the peak RSS and remembers where the GC log stands. */
    void reset() throws IOException {
        Files.writeString(Path.of("/proc/" + jvm.pid() + "/clear_refs"), "5");
        gcLinesBefore = lines().size();
    }

    /** Peak RSS since {@link #reset()}, MiB. */
    double peakRssMib() {
        return jvm.peakRssKib() / 1024.0;
    }

    /** The largest heap left after any GC since {@link #reset()}, MiB; NaN if no GC ran. */
    double maxHeapAfterGcMib() throws IOException {
        List<String> all = lines();
        double max = Double.NaN;
        for (String line : all.subList(Math.min(gcLinesBefore, all.size()), all.size())) {
            Matcher m = AFTER_GC.matcher(line);
            if (m.find()) {
                double after = Double.parseDouble(m.group(2));
                max = Double.isNaN(max) ? after : Math.max(max, after);
            }
        }
        return max;
    }

    /** GCs logged since {@link #reset()}. */
    long gcCount() throws IOException {
        List<String> all = lines();
        return all.subList(Math.min(gcLinesBefore, all.size()), all.size()).stream()
                .filter(l -> AFTER_GC.matcher(l).find()).count();
    }

    private List<String> lines() throws IOException {
        return Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
    }
}
