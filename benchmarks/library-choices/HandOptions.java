// The operator's own option loop for the same command; run by benchmarks/library-choices.sh beside PicocliOptions.
public class HandOptions {
    public static void main(String[] args) {
        java.util.Map<String, java.util.List<String>> o = new java.util.LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            o.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        System.out.println("{\"app\":\"" + o.get("app").get(0) + "\"}");
    }
}
