package io.userhub.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that drive outside programs (bash, node, chromium, python3) ask of the machine. */
final class Tools {
    private Tools() {}

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
