// One operator-like command parsed by picocli; run by benchmarks/library-choices.sh beside HandOptions.
import picocli.CommandLine;
import picocli.CommandLine.*;
import java.util.concurrent.Callable;

@Command(name = "userhub-operator", mixinStandardHelpOptions = true, subcommands = {PicocliOptions.CreateApp.class, PicocliOptions.SetSettings.class})
public class PicocliOptions implements Callable<Integer> {
    @Option(names = "--apps-table") String appsTable;
    @Option(names = "--endpoint") String endpoint;
    @Option(names = "--region") String region;
    public Integer call() { return 0; }

    @Command(name = "create-app") static class CreateApp implements Callable<Integer> {
        @Option(names = "--domain", required = true) String domain;
        @Option(names = "--app", required = true) String app;
        @Option(names = "--identity-enabled") boolean enabled = true;
        public Integer call() { System.out.println("{\"app\":\"" + app + "\"}"); return 0; }
    }
    @Command(name = "set-settings") static class SetSettings implements Callable<Integer> {
        @Option(names = "--app", required = true) String app;
        @Option(names = "--session-lifetime") String lifetime;
        @Option(names = "--refresh-notice") String notice;
        @Option(names = "--custom-field") java.util.List<String> fields;
        public Integer call() { return 0; }
    }
    public static void main(String[] args) { System.exit(new CommandLine(new PicocliOptions()).execute(args)); }
}
