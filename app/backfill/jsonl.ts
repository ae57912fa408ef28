/**
 * A bulk operation's JSONL, read as a stream of whole objects. Pure (works on any async iterable of lines).
 *
 * Shopify writes one line per connection node; a nested connection's nodes get their own lines, after their
 * parent, with `__parentId`. foldBulkLines puts each child back into its parent as `{ nodes: [...] }` under the
 * connection's field name (from the child's GID type: LineItem → lineItems) and yields a root object only when
 * the next root starts (or the file ends), so at most one root and its children are held at a time.
 */

export type BulkObject = Record<string, unknown>;

export class BulkJsonlError extends Error {
  override name = "BulkJsonlError";
}

/** `gid://shopify/LineItem/1` → `lineItems`: the connection field a child of that type comes from. */
export function childFieldOf(childGid: unknown): string {
  const m = typeof childGid === "string" ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(childGid) : null;
  if (!m) throw new BulkJsonlError(`a child line has no GID id (${JSON.stringify(childGid)}), so its connection is unknown`);
  const type = m[1]!;
  return `${type[0]!.toLowerCase()}${type.slice(1)}s`;
}

export interface FoldOptions {
  /** The parent's field for a child line; default childFieldOf(child.id). */
  fieldOf?: (child: BulkObject) => string;
}

/**
 * Folds `__parentId` children into their parents. A child whose parent is not the current root or one of its
 * descendants is an error naming the line (Shopify always writes children after their parent).
 */
export async function* foldBulkLines(lines: AsyncIterable<string> | Iterable<string>, options: FoldOptions = {}): AsyncGenerator<BulkObject> {
  const fieldOf = options.fieldOf ?? ((child: BulkObject) => childFieldOf(child.id));
  let root: BulkObject | null = null;
  // The current root and its descendants by id, so a grandchild finds its parent.
  let byId = new Map<string, BulkObject>();
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BulkJsonlError(`line ${lineNo} is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new BulkJsonlError(`line ${lineNo} is not an object`);
    const object = value as BulkObject;
    const parentId = object.__parentId;
    if (parentId === undefined) {
      if (root) yield root;
      root = object;
      byId = new Map();
      if (typeof object.id === "string") byId.set(object.id, object);
      continue;
    }
    delete object.__parentId;
    const parent = typeof parentId === "string" ? byId.get(parentId) : undefined;
    if (!parent) throw new BulkJsonlError(`line ${lineNo}: parent ${JSON.stringify(parentId)} is not the object being read`);
    const field = fieldOf(object);
    const existing = parent[field];
    const connection = (
      typeof existing === "object" && existing !== null && Array.isArray((existing as { nodes?: unknown }).nodes) ? existing : { nodes: [] }
    ) as {
      nodes: BulkObject[];
    };
    connection.nodes.push(object);
    parent[field] = connection;
    if (typeof object.id === "string") byId.set(object.id, object);
  }
  if (root) yield root;
}

/** Objects (lines) in a folded root: the root and every child, as Shopify's objectCount counts them. */
export function objectsIn(root: BulkObject): number {
  let n = 1;
  for (const value of Object.values(root)) {
    const nodes = typeof value === "object" && value !== null ? (value as { nodes?: unknown }).nodes : undefined;
    if (Array.isArray(nodes)) for (const child of nodes) if (typeof child === "object" && child !== null) n += objectsIn(child as BulkObject);
  }
  return n;
}
