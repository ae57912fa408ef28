/**
 * Seeded fuzzing helpers: a seed that can be replayed (FUZZ_SEED), and mutations of real JSON payloads — nulls,
 * wrong types, missing keys, huge numbers, odd unicode, nested garbage — written back as raw JSON text, so that
 * numbers no JavaScript number can hold (ids above 2^53, 1e400) and lone surrogates reach the app verbatim.
 */
import { onTestFailed } from "vitest";
import { seededRandom } from "./random";

/** The seed for a fuzz run: FUZZ_SEED when set (to replay a failure), else the file's fixed default. */
export function fuzzSeed(defaultSeed: number): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === "") return defaultSeed;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** Call inside a test: when it fails, the seed and how to replay it are printed. */
export function reportSeedOnFailure(seed: number, file: string): void {
  onTestFailed(() => {
    console.error(`\n[fuzz] failed with seed ${seed}; replay with: FUZZ_SEED=${seed} npx vitest run ${file}\n`);
  });
}

export class Fuzzer {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A JSON literal written verbatim (a number JavaScript cannot hold, a string with a lone surrogate escape). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonTree = null | boolean | number | string | RawJson | JsonTree[] | { [key: string]: JsonTree };

const RAW_MARK = "$fuzz-raw";

/** Parses JSON text, keeping every integer of 16 or more digits as its exact digits. */
export function parseTree(text: string): JsonTree {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*/g, (token) =>
    token.charCodeAt(0) !== 34 && /^-?[0-9]{16,}$/.test(token) ? `{"${RAW_MARK}":"${token}"}` : token,
  );
  return unmark(JSON.parse(marked) as unknown);
}

function unmark(value: unknown): JsonTree {
  if (Array.isArray(value)) return value.map(unmark);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === RAW_MARK) return new RawJson(record[RAW_MARK] as string);
    return Object.fromEntries(keys.map((k) => [k, unmark(record[k])]));
  }
  return value as JsonTree;
}

/** JSON text of a tree; RawJson goes in as written. */
export function writeTree(value: JsonTree): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeTree).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${writeTree(v)}`)
      .join(",")}}`;
  }
  // Non-finite numbers cannot be JSON; the mutations write them as RawJson.
  return JSON.stringify(value);
}

type Path = Array<string | number>;

function pathsOf(value: JsonTree, prefix: Path = [], out: Path[] = []): Path[] {
  if (value instanceof RawJson || value === null || typeof value !== "object") return out;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const path = [...prefix, key];
    out.push(path);
    pathsOf(child, path, out);
  }
  return out;
}

function getAt(root: JsonTree, path: Path): JsonTree {
  let node: JsonTree = root;
  for (const key of path) node = (node as Record<string | number, JsonTree>)[key]!;
  return node;
}

function setAt(root: JsonTree, path: Path, value: JsonTree | undefined): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, JsonTree> | JsonTree[];
  const key = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else {
    (parent as Record<string | number, JsonTree>)[key] = value;
  }
}

export const HUGE_NUMBERS: readonly RawJson[] = [
  "9007199254740993", // 2^53 + 1
  "18446744073709551617", // 2^64 + 1
  "123456789012345678901234567890123456789",
  "-9223372036854775809",
  "1e308",
  "-1e308",
  "1e400", // Infinity in JavaScript
  "-1",
  "-0",
  "0",
  "0.000000000000000000001",
  "12.345678901234567890",
  "-2500",
].map((text) => new RawJson(text));

/** Strings that have broken text handling elsewhere: emoji, RTL, combining marks, NUL, lone surrogates. */
export const ODD_STRINGS: readonly (string | RawJson)[] = [
  "",
  " ",
  "😀🎉👩‍👩‍👧‍👦🏳️‍🌈",
  "\u202Eمرحبا بالعالم\u202C",
  "שָׁלוֹם",
  "Z̷̡̛̗a̸̢̛l̵̨̛g̶̛̣o̸̢̕",
  "\u0000nul\u0000",
  "line\nbreak\r\ttab",
  "<script>alert(1)</script>",
  '\'; DROP TABLE "WebhookEvent"; --',
  "gid://shopify/Order/",
  "gid://shopify/Order/-1",
  "gid://shopify/Order/9007199254740993",
  "gid://shopify/Refund/abc",
  "12.5.0",
  "NaN",
  "Infinity",
  "-0.00",
  "1e3",
  "2026-13-45T25:61:61Z",
  "not a date",
  "0000-00-00T00:00:00Z",
  "+275760-09-13T00:00:00.001Z",
  "\uFEFFbom",
  "\u200B\u200C\u200D",
  new RawJson('"\\ud800"'),
  new RawJson('"a\\udc00b"'),
  new RawJson('"\\udfff\\ud800"'),
];

/** A value of another type than `current`. */
function wrongType(f: Fuzzer, current: JsonTree): JsonTree {
  const options: JsonTree[] = [true, false, 0, 1, "1", "true", [], {}, [1, "a", null], { value: "x" }];
  if (typeof current === "string") options.push(42, 12.5, [current]);
  if (typeof current === "number" || current instanceof RawJson) options.push(String(current instanceof RawJson ? current.text : current), [current]);
  if (Array.isArray(current)) options.push({ 0: current[0] ?? null }, "[]", current.length);
  if (current !== null && typeof current === "object" && !Array.isArray(current) && !(current instanceof RawJson))
    options.push(Object.values(current), JSON.stringify(writeTree(current)));
  return f.pick(options.filter((o) => typeof o !== typeof current || Array.isArray(o) !== Array.isArray(current)));
}

function longString(f: Fuzzer): string {
  const unit = f.pick(["a", "é", "😀", "\u202E", "ß"]);
  return unit.repeat(f.int(1_000, 50_000));
}

function garbage(f: Fuzzer, depth = 0): JsonTree {
  const kind = f.int(0, 5);
  if (kind === 0) {
    // Deep nesting.
    let deep: JsonTree = "bottom";
    for (let i = 0; i < f.int(20, 200); i++) deep = f.chance(0.5) ? [deep] : { a: deep };
    return deep;
  }
  if (kind === 1) return Object.fromEntries(Array.from({ length: f.int(50, 500) }, (_, i) => [`k${i}`, i]));
  if (kind === 2) return Array.from({ length: f.int(100, 2_000) }, (_, i) => (i % 3 === 0 ? null : i % 3 === 1 ? "x" : { id: i }));
  // Own "__proto__" and "constructor" keys, as JSON.parse makes them.
  if (kind === 3) return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":"x","valueOf":1}') as JsonTree;
  if (kind === 4 && depth < 2) return { id: f.pick(HUGE_NUMBERS), admin_graphql_api_id: f.pick(ODD_STRINGS), nested: garbage(f, depth + 1) };
  return f.pick(ODD_STRINGS);
}

export type MutationKind = "null" | "wrong-type" | "delete" | "huge-number" | "odd-string" | "long-string" | "garbage";

/** One mutation at a random place of `tree` (in place); answers what it did, for the failure message. */
export function mutateOnce(f: Fuzzer, tree: JsonTree, focus: readonly string[] = []): string {
  const all = pathsOf(tree);
  if (all.length === 0) return "nothing to mutate";
  // Half the time a field the app reads (top level or a named one), else anywhere.
  const shallow = all.filter((p) => p.length <= 2 || (typeof p.at(-1) === "string" && focus.includes(p.at(-1) as string)));
  const path = f.chance(0.6) && shallow.length ? f.pick(shallow) : f.pick(all);
  const kind: MutationKind = f.pick([
    "null",
    "null",
    "wrong-type",
    "wrong-type",
    "delete",
    "delete",
    "huge-number",
    "huge-number",
    "odd-string",
    "odd-string",
    "long-string",
    "garbage",
  ]);
  const where = path.join(".");
  switch (kind) {
    case "null":
      setAt(tree, path, null);
      return `${where} = null`;
    case "delete":
      setAt(tree, path, undefined);
      return `delete ${where}`;
    case "wrong-type": {
      const value = wrongType(f, getAt(tree, path));
      setAt(tree, path, value);
      return `${where} = ${writeTree(value).slice(0, 60)}`;
    }
    case "huge-number": {
      const value = f.pick(HUGE_NUMBERS);
      setAt(tree, path, value);
      return `${where} = ${value.text}`;
    }
    case "odd-string": {
      const value = f.pick(ODD_STRINGS);
      setAt(tree, path, value);
      return `${where} = ${value instanceof RawJson ? value.text : JSON.stringify(value).slice(0, 40)}`;
    }
    case "long-string": {
      const value = longString(f);
      setAt(tree, path, value);
      return `${where} = string of ${value.length} UTF-16 units`;
    }
    case "garbage":
      setAt(tree, path, garbage(f));
      return `${where} = nested garbage`;
  }
}

/** Whole-body mutations: not an object, not JSON, empty. */
export function brokenBody(f: Fuzzer, validBody: string): { body: string; what: string } {
  const options: Array<() => { body: string; what: string }> = [
    () => ({ body: "", what: "empty body" }),
    () => ({ body: "null", what: "body null" }),
    () => ({ body: "[]", what: "body []" }),
    () => ({ body: "[{}]", what: "body [{}]" }),
    () => ({ body: "42", what: "body 42" }),
    () => ({ body: '"order"', what: "body a string" }),
    () => ({ body: "{}", what: "body {}" }),
    () => ({ body: "not json at all", what: "non-JSON" }),
    () => {
      const at = f.int(1, Math.max(1, validBody.length - 1));
      return { body: validBody.slice(0, at), what: `truncated at ${at}` };
    },
    () => ({ body: `\uFEFF${validBody}`, what: "byte-order mark before the JSON" }),
    () => ({ body: `${validBody}garbage`, what: "trailing garbage" }),
    () => ({ body: validBody.replace("{", '{"id":1,"id":"dup",'), what: "duplicate keys" }),
    () => ({ body: "{".repeat(5_000) + "}".repeat(5_000), what: "5,000 nested objects (invalid)" }),
    () => ({ body: `${"[".repeat(3_000)}${"]".repeat(3_000)}`, what: "3,000 nested arrays" }),
  ];
  return f.pick(options)();
}
