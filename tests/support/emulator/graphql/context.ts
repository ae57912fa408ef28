import type { GraphQLResolveInfo, GraphQLSchema } from "graphql";
import type { ShopState, Store } from "../store.js";

/** What every resolver gets: the authenticated shop's state (and nothing of any other shop). */
export interface ResolverContext {
  schema: GraphQLSchema;
  store: Store;
  state: ShopState;
  apiKey: string;
  /** The emulator's own base URL (bulk result files are served from it). */
  baseUrl: string;
  /** True while a bulk operation runs its query: connections then ignore page sizes. */
  bulk: boolean;
  /** Side effects the emulator performs after a mutation (webhooks), injected to keep resolvers pure-ish. */
  hooks: ResolverHooks;
}

export interface ResolverHooks {
  startBulkQuery(state: ShopState, query: string): void;
  /** True when a fault says this bulkOperationRunQuery must answer "already in progress" (consumes the fault). */
  refuseBulkQuery?(): boolean;
  recordUpdated(state: ShopState, kind: "Customer" | "Order" | "Product", id: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;
export type ResolverMap = Record<string, Resolver>;
