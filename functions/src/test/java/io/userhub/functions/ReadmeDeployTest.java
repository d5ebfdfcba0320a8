package io.userhub.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's and docs' deploy commands, as far as a machine without the SAM CLI or an AWS
 * account can check them: every parameter they override exists in template.yaml with an allowed
 * value, the stack names they name are samconfig.toml's, and the function count they state is
 * the template's. (The Makefile targets `sam build` calls run in .ci/run.)
 */
class ReadmeDeployTest {
    private static final Path ROOT = SamTemplate.locatePath().getParent();
    private final SamTemplate template = SamTemplate.locate();

    private static String deployBlock() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("## Deploy with SAM");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** Name=value pairs of --parameter-overrides lines and samconfig.toml's parameter_overrides. */
    private static Map<String, String> overrides(String text) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("\\b([A-Z][A-Za-z]+)=([^\\s\"\\\\]+)").matcher(text);
        while (pair.find()) {
            found.put(pair.group(1), pair.group(2));
        }
        return found;
    }

    @Test
    void everyOverriddenParameterExistsWithAnAllowedValue() throws IOException {
        String samconfig = Files.readString(ROOT.resolve("samconfig.toml"));
        List<String> sources = new ArrayList<>();
        sources.add(deployBlock().replaceAll("(?s)^.*?--parameter-overrides", ""));
        Matcher configured = Pattern.compile("parameter_overrides = \"([^\"]*)\"").matcher(samconfig);
        while (configured.find()) {
            sources.add(configured.group(1));
        }
        JsonNode parameters = template.root().path("Parameters");
        int checked = 0;
        for (String source : sources) {
            for (Map.Entry<String, String> override : overrides(source).entrySet()) {
                JsonNode parameter = parameters.path(override.getKey());
                assertThat(parameter.isObject()).as("template parameter " + override.getKey()).isTrue();
                if (parameter.has("AllowedValues") && !override.getValue().contains("…")) {
                    List<String> allowed = new ArrayList<>();
                    parameter.path("AllowedValues").forEach(v -> allowed.add(v.asText()));
                    assertThat(allowed).as(override.getKey()).contains(override.getValue());
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theStackNamesAndTheFunctionCountTheDocsGiveAreTheRepositorys() throws IOException {
        String samconfig = Files.readString(ROOT.resolve("samconfig.toml"));
        List<String> stacks = new ArrayList<>();
        Matcher stack = Pattern.compile("stack_name = \"([^\"]+)\"").matcher(samconfig);
        while (stack.find()) {
            stacks.add(stack.group(1));
        }
        assertThat(stacks).contains("userhub-dev", "userhub-prod");
        for (Path doc : List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/operations.md"))) {
            Matcher named = Pattern.compile("--stack-name (\\S+)").matcher(Files.readString(doc));
            while (named.find()) {
                assertThat(stacks).as(doc.getFileName() + " names stack " + named.group(1)).contains(named.group(1));
            }
        }
        Matcher count = Pattern.compile("Maven runs once for all (\\d+) functions").matcher(deployBlock());
        assertThat(count.find()).isTrue();
        assertThat(Integer.parseInt(count.group(1))).isEqualTo(template.functions().size());
        assertThat(deployBlock()).contains("stack " + stacks.get(0));
    }
}
