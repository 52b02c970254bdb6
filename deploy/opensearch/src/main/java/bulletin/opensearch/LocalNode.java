package bulletin.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, with the HTTP/transport, analysis and Painless modules
 * taken from the classpath (the way the test framework's MockNode does it), so
 * that no distribution tarball is needed.
 *
 * <pre>
 * java -cp ... bulletin.opensearch.LocalNode --name n0 --home DIR \
 *     --http 9200 --transport 9300 --seeds 9300,9301,9302 --masters n0,n1,n2 \
 *     [--setting KEY=VALUE]...
 * </pre>
 *
 * {@code --setting} adds a node setting (repeatable), e.g. a tiny write
 * thread pool ({@code thread_pool.write.queue_size=1}) for a fault test.
 *
 * It runs in the foreground until SIGTERM/SIGINT (then closes the node),
 * SIGKILL, or the end of the process that started it (then closes the node). It prints "bulletin-node started NAME http=PORT" on stdout once
 * the node is started.
 */
public final class LocalNode {
    private LocalNode() {}

    /** Node with classpath plugins: Node's plugin constructor is protected. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment env, List<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        String name = "node-0", home = null, seeds = "9300", masters = null, cluster = "bulletin-local";
        int http = 9200, transport = 9300;
        List<String> extra = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--name": name = v; break;
                case "--home": home = v; break;
                case "--http": http = Integer.parseInt(v); break;
                case "--transport": transport = Integer.parseInt(v); break;
                case "--seeds": seeds = v; break;
                case "--masters": masters = v; break;
                case "--cluster": cluster = v; break;
                case "--setting": extra.add(v); break;
                default: throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home DIR is required");
        }
        if (masters == null) {
            masters = name;
        }
        Path homePath = Path.of(home).toAbsolutePath();
        Files.createDirectories(homePath.resolve("config"));
        Files.createDirectories(homePath.resolve("data"));
        Files.createDirectories(homePath.resolve("logs"));

        Settings.Builder s = Settings.builder()
            .put("cluster.name", cluster)
            .put("node.name", name)
            .put("path.home", homePath.toString())
            .put("path.data", homePath.resolve("data").toString())
            .put("path.logs", homePath.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", http)
            .put("transport.port", transport)
            .putList("discovery.seed_hosts", seedHosts(seeds))
            .putList("cluster.initial_cluster_manager_nodes", masters.split(","))
            // Every index gets one replica unless it says otherwise, so the
            // cluster answers with one node down.
            .put("cluster.default_number_of_replicas", 1)
            // A shared development disk may be fuller than the default
            // watermarks allow; these clusters hold test data only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("node.max_local_storage_nodes", 1)
            .put("action.auto_create_index", false)
            .put("indices.breaker.total.use_real_memory", false);
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--setting wants KEY=VALUE, not " + kv);
            }
            s.put(kv.substring(0, eq), kv.substring(eq + 1));
        }

        Environment env = InternalSettingsPreparer.prepareEnvironment(
            s.build(), Collections.emptyMap(), homePath.resolve("config"), () -> null);
        Node node = new ClasspathNode(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class));

        CountDownLatch stopped = new CountDownLatch(1);
        final String nodeName = name;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("bulletin-node " + nodeName + ": close: " + e);
            }
            stopped.countDown();
        }, "bulletin-node-shutdown"));

        node.start();
        // A node whose launcher is gone (killed with SIGKILL, crashed) has
        // nobody left to stop it: it stops itself rather than keep its
        // ports and memory as an orphan.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("bulletin-node " + nodeName + ": its launcher ended; stopping");
            System.exit(0);
        }));
        System.out.println("bulletin-node started " + name + " http=" + http);
        System.out.flush();
        stopped.await();
    }

    private static String[] seedHosts(String ports) {
        String[] p = ports.split(",");
        String[] hosts = new String[p.length];
        for (int i = 0; i < p.length; i++) {
            hosts[i] = p[i].contains(":") ? p[i] : "127.0.0.1:" + p[i];
        }
        return hosts;
    }
}
