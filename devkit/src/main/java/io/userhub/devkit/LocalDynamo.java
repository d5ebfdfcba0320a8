package io.userhub.devkit;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB Local as a real HTTP endpoint on 127.0.0.1 (a free port), so that clients talk to it
 * exactly as they talk to DynamoDB, interceptors included. In memory, or on disk with a path.
 */
public final class LocalDynamo implements AutoCloseable {
    /**
     * DynamoDB Local's jar carries sqlite4java's native library for each platform it supports, as
     * {@code native/<OS>/<arch>/libsqlite4java.so|.dylib|sqlite4java.dll}; the platform (as the JVM
     * names it) to that folder. linux/aarch64 and Apple silicon included.
     */
    static final Map<String, String> NATIVE_FOLDERS = Map.of(
            "linux/amd64", "Linux/x86_64",
            "linux/x86_64", "Linux/x86_64",
            "linux/aarch64", "Linux/aarch64",
            "mac/x86_64", "Mac/x86_64",
            "mac/aarch64", "Mac/aarch64",
            "windows/amd64", "Windows/x86_64");

    static final String NATIVE_ROOT = "/software/amazon/dynamodb/services/local/shared/access/sqlite/native/";

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger SQLITE_LOGGER = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    public static LocalDynamo startInMemory() {
        return start(null);
    }

    /** @param dataDirectory where to keep the tables; null keeps them in memory */
    public static LocalDynamo start(Path dataDirectory) {
        ensureNativeLibrary();
        int port = freePort();
        // sharedDb: one database whatever region and credentials a client uses.
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
        if (dataDirectory == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + dataDirectory, e);
            }
            args.add("-dbPath");
            args.add(dataDirectory.toAbsolutePath().toString());
        }
        // DynamoDB Local prints its banner on stdout, which belongs to the caller (the local server's JSON line).
        java.io.PrintStream stdout = System.out;
        // DynamoDB Local prints its configuration banner and sqlite4java logs an "unknown jar
        // version" warning: neither tells a developer anything, so both are kept quiet.
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        SQLITE_LOGGER.setLevel(java.util.logging.Level.OFF);
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            bindToLoopback(server);
            server.start();
            // DynamoDB Local resets java.util.logging while starting: quiet sqlite4java again.
            SQLITE_LOGGER.setLevel(java.util.logging.Level.OFF);
            return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        } finally {
            System.setOut(stdout);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    /** DynamoDB Local offers no host option and would listen on every interface; keep it on loopback. */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(proxy);
        for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector serverConnector) {
                serverConnector.setHost("127.0.0.1");
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * DynamoDB Local hangs without sqlite4java's native library. This jar carries it; extract it
     * once per JVM unless {@code sqlite4java.library.path} already points somewhere.
     */
    static synchronized void ensureNativeLibrary() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        String given = System.getenv("SQLITE4JAVA_LIBRARY_PATH");
        if (given != null && !given.isBlank()) {
            System.setProperty("sqlite4java.library.path", given);
            return;
        }
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        String folder = NATIVE_FOLDERS.get(platform);
        if (folder == null) {
            // Without its native library DynamoDB Local hangs: say so at once, and what to do instead.
            throw new IllegalStateException("DynamoDB Local has no native SQLite library for " + platform
                    + " (it ships for " + new java.util.TreeSet<>(NATIVE_FOLDERS.keySet()) + "). Either set"
                    + " SQLITE4JAVA_LIBRARY_PATH to a folder holding sqlite4java's library for this platform, or run a"
                    + " DynamoDB elsewhere (DynamoDB Local in Docker, LocalStack, moto_server, or AWS) and start userhub with"
                    + " AWS_ENDPOINT_URL=http://host:port: it then uses that one instead of an embedded DynamoDB Local.");
        }
        // sqlite4java also looks for its plain name (libsqlite4java.so, libsqlite4java.dylib, sqlite4java.dll).
        String library = System.mapLibraryName("sqlite4java");
        try {
            Path dir = Files.createTempDirectory("userhub-sqlite4java");
            dir.toFile().deleteOnExit();
            try (InputStream in = DynamoDBProxyServer.class.getResourceAsStream(NATIVE_ROOT + folder + "/" + library)) {
                if (in == null) {
                    throw new IllegalStateException("DynamoDB Local's jar lacks " + NATIVE_ROOT + folder + "/" + library);
                }
                Path target = dir.resolve(library);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
            System.setProperty("sqlite4java.library.path", dir.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract sqlite4java native library", e);
        }
    }

    /** "linux/amd64", "mac/aarch64", "windows/amd64", ...: the key of {@link #NATIVE_FOLDERS}. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        String family = os.startsWith("mac") || os.startsWith("darwin") ? "mac" : os.startsWith("windows") ? "windows" : os.startsWith("linux") ? "linux" : os;
        String arch = osArch.toLowerCase(java.util.Locale.ROOT);
        if (family.equals("mac") && arch.equals("arm64")) {
            arch = "aarch64";
        }
        if (family.equals("windows") && arch.equals("x86_64")) {
            arch = "amd64";
        }
        return family + "/" + arch;
    }
}
