/**
 * Builds one UI extension (the thank-you block by default) with the Shopify CLI (offline), in a scratch copy of the app that holds only this
 * extension (other extensions are not this build's business), linked to the repository's node_modules and app/.
 * Always under `timeout`: a CLI that hangs must not hang the caller.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const EXTENSION_HANDLE = "afterglow-thank-you";
/** The customer account's rewards page and profile block. */
export const CUSTOMER_ACCOUNT_HANDLE = "afterglow-customer-account";
const root = path.resolve(import.meta.dirname, "../../..");

export interface ExtensionBuild {
  /** The bundle Shopify would serve (dist/<handle>.js). */
  bundle: Buffer;
  /** esbuild's metafile of the bundle. */
  metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  /** The CLI's own size line, e.g. "31.7 KB original, ~11.9 KB compressed". */
  cliLine: string;
  seconds: number;
}

export function buildExtension(handle: string = EXTENSION_HANDLE): ExtensionBuild {
  const dir = mkdtempSync(path.join(os.tmpdir(), "afterglow-ext-"));
  try {
    writeFileSync(path.join(dir, "shopify.app.toml"), readFileSync(path.join(root, "shopify.app.toml")));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "afterglow-extension-build", private: true, type: "module" }));
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    symlinkSync(path.join(root, "app"), path.join(dir, "app"), "dir");
    mkdirSync(path.join(dir, "extensions"));
    cpSync(path.join(root, "extensions", handle), path.join(dir, "extensions", handle), {
      recursive: true,
      filter: (source) => !/[\\/](dist|manifest\.json|shopify\.d\.ts)$/.test(source),
    });
    const started = Date.now();
    const cli = path.join(root, "node_modules", ".bin", "shopify");
    const result = spawnSync("timeout", ["300", cli, "app", "build", "--skip-dependencies-installation", "--no-color", "--path", dir], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1" },
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) throw new Error(`shopify app build failed (exit ${result.status}):\n${output.slice(-3000)}`);
    const dist = path.join(dir, "extensions", handle, "dist");
    return {
      bundle: readFileSync(path.join(dist, `${handle}.js`)),
      metafile: JSON.parse(readFileSync(path.join(dist, `${handle}.metafile.json`), "utf8")) as ExtensionBuild["metafile"],
      cliLine: /\(([\d.]+ KB original, ~[\d.]+ KB compressed)\)/.exec(output)?.[1] ?? "(no size line)",
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
