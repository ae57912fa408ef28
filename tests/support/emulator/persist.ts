import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { advanceIdsPast } from "./ids.js";
import type { Store } from "./store.js";

// The emulator's shops, customers, orders, products … kept in a JSON file so a restarted sandbox is the same
// shop the app's database remembers (the sandbox keeps it beside prisma/dev.sqlite). Webhook history, cost
// buckets and statistics are not kept: they belong to one run.

const VERSION = 1;
const MAP = "$map";

export function serializeStore(store: Store): string {
  const replacer = (_key: string, value: unknown) => (value instanceof Map ? { [MAP]: [...value.entries()] } : value);
  return JSON.stringify({ version: VERSION, shops: store.shops, tokens: store.tokens }, replacer);
}

/** Fills `store` from a file written by serializeStore; later ids are handed out above every id it holds. */
export function restoreStore(store: Store, text: string): void {
  const reviver = (_key: string, value: unknown) =>
    value && typeof value === "object" && MAP in value && Object.keys(value).length === 1
      ? new Map((value as Record<string, [unknown, unknown][]>)[MAP])
      : value;
  const parsed = JSON.parse(text, reviver) as { version?: number; shops?: unknown; tokens?: unknown };
  if (parsed.version !== VERSION || !(parsed.shops instanceof Map) || !(parsed.tokens instanceof Map))
    throw new Error(`not an emulator state file of version ${VERSION}`);
  store.reset();
  for (const [domain, state] of parsed.shops as Store["shops"]) store.shops.set(domain, state);
  for (const [token, record] of parsed.tokens as Store["tokens"]) store.tokens.set(token, record);
  // Ids are digits strings (above 2^53); compare them as BigInt.
  let highest = 0n;
  for (const [, digits] of text.matchAll(/(?:"|\/)(\d{15,})"/g)) if (BigInt(digits!) > highest) highest = BigInt(digits!);
  advanceIdsPast(highest);
}

/**
 * Reads `file` into `store`. false when there is none; an unreadable file is moved to `<file>.unreadable` and
 * reported through `warn` (the sandbox then starts on a fresh shop rather than not at all).
 */
export function loadStoreFile(store: Store, file: string, warn: (message: string) => void): boolean {
  if (!existsSync(file)) return false;
  try {
    restoreStore(store, readFileSync(file, "utf8"));
    return true;
  } catch (error) {
    renameSync(file, `${file}.unreadable`);
    warn(`[emulator] could not read ${file} (${(error as Error).message}); moved it to ${file}.unreadable and started a fresh shop`);
    store.reset();
    return false;
  }
}

/** Writes the store to `file` whole (a temporary file renamed over it, so a crash never leaves half a file). */
export function writeStoreFile(store: Store, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, serializeStore(store));
  renameSync(temporary, file);
}

/** Debounced writes: a burst of changes is one write `delayMs` after the last. */
export class StoreSaver {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly store: Store,
    readonly file: string,
    private readonly delayMs = 300,
  ) {}

  changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    writeStoreFile(this.store, this.file);
  }
}
