import { GraphQLError } from "graphql";

// Relay connections the way Shopify pages them: opaque cursors, first/after or last/before, at most 250
// per page, and a `query` search string with Shopify's `field:value` syntax.

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ last_id: key })).toString("base64");
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    if (typeof parsed.last_id === "string") return parsed.last_id;
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

/**
 * Pages an already filtered and sorted list. `keyOf` gives each item a stable unique key (its id).
 * In bulk mode there is no page size: everything is returned, as a bulk operation does.
 */
export function paginate<T>(items: T[], args: ConnectionArgs, keyOf: (item: T) => string, opts: { bulk?: boolean } = {}): Connection<T> {
  let list = args.reverse ? [...items].reverse() : items;
  const { first, last, after, before } = args;
  if (!opts.bulk) {
    if (first == null && last == null) {
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    }
    if (first != null && last != null) {
      throw new GraphQLError("providing both first and last is not supported", { extensions: { code: "BAD_REQUEST" } });
    }
    for (const [name, v] of [
      ["first", first],
      ["last", last],
    ] as const) {
      if (v != null && (v < 0 || v > MAX_PAGE_SIZE)) {
        throw new GraphQLError(`The ${name} argument must be between 0 and ${MAX_PAGE_SIZE}.`, { extensions: { code: "BAD_REQUEST" } });
      }
    }
  }
  let start = 0;
  let end = list.length;
  if (after) {
    const key = decodeCursor(after);
    const idx = list.findIndex((i) => keyOf(i) === key);
    start = idx >= 0 ? idx + 1 : start;
  }
  if (before) {
    const key = decodeCursor(before);
    const idx = list.findIndex((i) => keyOf(i) === key);
    end = idx >= 0 ? idx : end;
  }
  const total = list.length;
  list = list.slice(start, Math.max(start, end));
  let hasNextPage = end < total;
  let hasPreviousPage = start > 0;
  if (!opts.bulk && first != null) {
    hasNextPage = hasNextPage || list.length > first;
    list = list.slice(0, first);
  } else if (!opts.bulk && last != null) {
    hasPreviousPage = hasPreviousPage || list.length > last;
    list = list.slice(Math.max(0, list.length - last));
  }
  const edges = list.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes: list,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

// ---- Search syntax -------------------------------------------------------------------------------------

export type SearchValue = string | number | boolean | null | undefined | string[];
export type SearchFields<T> = Record<string, (item: T) => SearchValue>;

interface Term {
  negate: boolean;
  field: string | null;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /(-?[\w.]+:(?:[<>]=?)?(?:"[^"]*"|'[^']*'|\S+))|("[^"]*")|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query))) tokens.push(m[0]);
  return tokens;
}

function parseTerm(token: string): Term {
  let negate = false;
  let t = token;
  if (t.startsWith("-")) {
    negate = true;
    t = t.slice(1);
  }
  const m = /^([\w.]+):(>=|<=|>|<)?(.*)$/.exec(t);
  const strip = (v: string) => v.replace(/^["'](.*)["']$/, "$1");
  if (!m) return { negate, field: null, op: ":", value: strip(t) };
  return { negate, field: m[1]!.toLowerCase(), op: (m[2] as Term["op"]) ?? ":", value: strip(m[3] ?? "") };
}

function compare(actual: SearchValue, term: Term): boolean {
  if (actual === undefined || actual === null) return term.value === "" || false;
  if (Array.isArray(actual)) return actual.some((a) => compare(a, term));
  if (term.op === ":") {
    const a = String(actual).toLowerCase();
    const v = term.value.toLowerCase();
    if (v === "*") return a !== "";
    if (v.endsWith("*")) return a.startsWith(v.slice(0, -1));
    return a === v;
  }
  const asDate = (x: string) => (/^\d{4}-\d{2}-\d{2}/.test(x) ? Date.parse(x) : NaN);
  let left: number;
  let right: number;
  if (typeof actual === "number") {
    left = actual;
    right = Number(term.value);
  } else {
    left = asDate(String(actual));
    right = asDate(term.value);
    if (Number.isNaN(left) || Number.isNaN(right)) {
      const a = String(actual);
      return term.op === ">" ? a > term.value : term.op === ">=" ? a >= term.value : term.op === "<" ? a < term.value : a <= term.value;
    }
  }
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  return term.op === ">" ? left > right : term.op === ">=" ? left >= right : term.op === "<" ? left < right : left <= right;
}

/**
 * Shopify search: whitespace-separated terms are ANDed, `OR` between terms makes alternatives, `-field:x` or
 * `NOT field:x` negates, comparisons `>`, `>=`, `<`, `<=` work on dates and numbers, a trailing `*` is a
 * prefix match, and a bare word matches the `default` field. Unknown fields match nothing, like Shopify.
 */
export function searchFilter<T>(query: string | null | undefined, fields: SearchFields<T>): (item: T) => boolean {
  if (!query || !query.trim()) return () => true;
  const alternatives: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      alternatives.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    const term = parseTerm(token);
    if (negateNext) term.negate = !term.negate;
    negateNext = false;
    alternatives[alternatives.length - 1]!.push(term);
  }
  return (item: T) =>
    alternatives.some((terms) =>
      terms.every((term) => {
        let hit: boolean;
        if (term.field === null) {
          const def = fields.default;
          const value = def ? def(item) : undefined;
          const needle = term.value.toLowerCase();
          hit = Array.isArray(value)
            ? value.some((v) => v.toLowerCase().includes(needle))
            : String(value ?? "")
                .toLowerCase()
                .includes(needle);
        } else {
          const getter = fields[term.field];
          hit = getter ? compare(getter(item), term) : false;
        }
        return term.negate ? !hit : hit;
      }),
    );
}

/** Sort helper: by a key, ties broken by numeric id, both ascending. */
export function sortBy<T extends { id: string }>(items: T[], key: (item: T) => string | number = (i) => i.id): T[] {
  const num = (id: string) => BigInt(id);
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (typeof ka === "string" && typeof kb === "string" && /^\d+$/.test(ka) && /^\d+$/.test(kb)) return num(ka) < num(kb) ? -1 : 1;
      return ka < kb ? -1 : 1;
    }
    const ia = num(a.id);
    const ib = num(b.id);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}
