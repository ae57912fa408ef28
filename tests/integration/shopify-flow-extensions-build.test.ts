// `shopify app build`, offline, of every Shopify Flow extension (extensions/flow-*) in a scratch copy of the app
// holding only them: the CLI validates each flow_action and flow_trigger TOML against its own schema (handle,
// runtime_url, field types). A copy with a broken extension must fail, so the check is known to look.
// The CLI has no offline schema for flow_trigger_lifecycle_callback; tests/unit/shopify-flow/lifecycle.test.ts
// checks that one.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function buildFlowExtensions(edit?: (dir: string) => void): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "afterglow-flow-ext-"));
  scratch.push(dir);
  writeFileSync(path.join(dir, "shopify.app.toml"), readFileSync(path.join(root, "shopify.app.toml")));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "afterglow-flow-build", private: true, type: "module" }));
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  mkdirSync(path.join(dir, "extensions"));
  for (const name of readdirSync(path.join(root, "extensions")).filter((d) => d.startsWith("flow-")))
    cpSync(path.join(root, "extensions", name), path.join(dir, "extensions", name), { recursive: true });
  edit?.(dir);
  const result = spawnSync(
    "timeout",
    ["240", path.join(root, "node_modules", ".bin", "shopify"), "app", "build", "--skip-dependencies-installation", "--no-color", "--path", dir],
    {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1" },
    },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("Shopify Flow extensions", () => {
  it("GIVEN every flow-* extension THEN `shopify app build` passes offline", { timeout: 300_000 }, () => {
    const { status, output } = buildFlowExtensions();
    expect(output).toContain("built!");
    expect(status).toBe(0);
  });

  it("GIVEN a flow action without its runtime_url THEN the same build fails naming it", { timeout: 300_000 }, () => {
    const { status, output } = buildFlowExtensions((dir) => {
      const toml = path.join(dir, "extensions", "flow-action-set-tier", "shopify.extension.toml");
      writeFileSync(toml, readFileSync(toml, "utf8").replace(/^runtime_url = .*$/m, ""));
    });
    expect(status).not.toBe(0);
    expect(output).toContain("[runtime_url]: Required");
  });
});
