// The package as npm would publish it: `npm pack`, installed into a fresh project, imported by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(dirname(fileURLToPath(import.meta.url)));

test("npm pack ships the module, its types and its README, and a fresh project imports it by name", () => {
  const work = mkdtempSync(join(tmpdir(), "userhub-pack-"));
  try {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: here, encoding: "utf8" }));
    const files = packed[0].files.map((f) => f.path).sort();
    assert.deepEqual(files, ["README.md", "package.json", "userhub.d.ts", "userhub.js"]);
    assert.equal(packed[0].name, "@userhub/web");

    const project = join(work, "app");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(work, packed[0].filename)], { cwd: project });
    writeFileSync(join(project, "index.js"), `
      import { createUserhub, UserhubError } from "@userhub/web";
      const hub = createUserhub({ baseUrl: "http://127.0.0.1:9", appId: "demo", deviceId: "d", maxRetries: 0, timeoutMs: 2000 });
      try { await hub.getSession(); } catch (e) { console.log(JSON.stringify({ error: e instanceof UserhubError, reason: e.reason })); }
    `);
    const output = execFileSync("node", ["index.js"], { cwd: project, encoding: "utf8" });
    assert.deepEqual(JSON.parse(output), { error: true, reason: "SESSION_INVALID" });
    const installed = JSON.parse(readFileSync(join(project, "node_modules/@userhub/web/package.json"), "utf8"));
    assert.equal(installed.exports["."].types, "./userhub.d.ts");
    assert.equal(installed.private, undefined);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
