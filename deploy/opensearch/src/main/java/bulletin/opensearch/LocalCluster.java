package bulletin.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local cluster of N nodes, one JVM process a node (LocalNode), for
 * `make opensearch`: HTTP on 127.0.0.1:HTTP..HTTP+N-1, transport on
 * 127.0.0.1:TRANSPORT..TRANSPORT+N-1, data in a temporary folder that is
 * removed when the cluster stops. It runs in the foreground; Ctrl-C or
 * SIGTERM stops every node cleanly (SIGTERM to each, then waits).
 *
 * <pre>
 * java -cp ... bulletin.opensearch.LocalCluster [--nodes 3] [--http 9200] [--transport 9300] [--heap 512m]
 * </pre>
 */
public final class LocalCluster {
    private LocalCluster() {}

    public static void main(String[] args) throws Exception {
        int nodes = 3, http = 9200, transport = 9300;
        String heap = "512m";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--nodes": nodes = Integer.parseInt(v); break;
                case "--http": http = Integer.parseInt(v); break;
                case "--transport": transport = Integer.parseInt(v); break;
                case "--heap": heap = v; break;
                default: throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("bulletin-opensearch-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        StringBuilder seeds = new StringBuilder(), masters = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            if (i > 0) { seeds.append(','); masters.append(','); }
            seeds.append(transport + i);
            masters.append("node-").append(i);
        }
        List<Process> procs = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(procs, dir), "bulletin-cluster-shutdown"));
        for (int i = 0; i < nodes; i++) {
            String name = "node-" + i;
            List<String> cmd = List.of(java, "-Xms256m", "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dbulletin.node=" + name, "-cp", cp, LocalNode.class.getName(),
                "--name", name, "--home", dir.resolve(name).toString(),
                "--http", String.valueOf(http + i), "--transport", String.valueOf(transport + i),
                "--seeds", seeds.toString(), "--masters", masters.toString());
            procs.add(new ProcessBuilder(cmd).inheritIO().start());
        }
        System.out.println("bulletin-cluster: " + nodes + " nodes, HTTP on 127.0.0.1:" + http + "-" + (http + nodes - 1)
            + ", data in " + dir + "; Ctrl-C stops it");
        System.out.flush();
        for (Process p : procs) {
            p.waitFor();
        }
    }

    private static void stop(List<Process> procs, Path dir) {
        for (Process p : procs) {
            p.destroy(); // SIGTERM: the node closes itself
        }
        for (Process p : procs) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("bulletin-cluster: removing " + dir + ": " + e);
        }
    }
}
