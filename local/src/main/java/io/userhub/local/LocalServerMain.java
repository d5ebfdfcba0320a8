package io.userhub.local;

import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local/target/userhub-local.jar [--port 8080] [--data-dir DIR] [--template PATH] [--schedule-seconds N]
 * [--webhook-backoff-scale F]}
 * Prints one JSON line with the URL and the demo app's credentials, then serves until stopped.
 */
public final class LocalServerMain {
    private LocalServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = 8080;
        Path dataDirectory = null;
        Path template = null;
        long scheduleSeconds = 0;
        Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data-dir" -> dataDirectory = Path.of(value(args, ++i, "--data-dir"));
                case "--template" -> template = Path.of(value(args, ++i, "--template"));
                case "--schedule-seconds" -> scheduleSeconds = Long.parseLong(value(args, ++i, "--schedule-seconds"));
                case "--webhook-backoff-scale" -> environment.put("WEBHOOK_BACKOFF_SCALE", value(args, ++i, "--webhook-backoff-scale"));
                case "--help", "-h" -> {
                    System.out.println("usage: userhub-local [--port N (default 8080, 0 = any free port)] [--data-dir DIR (keep data on disk)] [--template template.yaml] [--schedule-seconds N (run the notifiers every N s instead of every minute; -1 never)] [--webhook-backoff-scale F (webhook retry waits times F, 0.00001 to 1; default 1)]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        Path templatePath = template != null ? template : SamTemplate.locatePath();
        LocalUserhub userhub = LocalUserhub.start(
                new LocalUserhub.Options(port, dataDirectory, templatePath, environment, scheduleSeconds),
                line -> System.err.println(line));
        Map<String, Object> banner = readyLine(userhub, dataDirectory);
        System.out.println(Json.write(banner));
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            userhub.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[index];
    }

    /** The one JSON line the server prints when it is ready (the README shows it, ReadmeIT keeps the two equal). */
    static Map<String, Object> readyLine(LocalUserhub userhub, Path dataDirectory) {
        String base = userhub.url().toString().replaceAll("/$", "");
        Map<String, Object> banner = new LinkedHashMap<>();
        banner.put("url", userhub.url().toString());
        banner.put("app_id", userhub.demo().appId());
        banner.put("domain_id", userhub.demo().domainId());
        banner.put("kid", userhub.demo().kid());
        banner.put("secret", userhub.demo().secret());
        banner.put("api_key", userhub.demo().apiKey());
        banner.put("dynamodb", userhub.dynamoEndpoint().toString());
        banner.put("demo", base + "/demo#api_key=" + userhub.demo().apiKey());
        banner.put("openapi", base + "/openapi.json");
        banner.put("console", base + "/console");
        banner.put("webhook_inbox", base + LocalWebhookInbox.PATH);
        banner.put("data", dataDirectory == null ? "memory" : dataDirectory.toAbsolutePath().toString());
        return banner;
    }
}
