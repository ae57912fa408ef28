import type { ResolverMap } from "../context.js";
import { findNode, requireGid } from "./common.js";

// node / nodes: any GID the emulator knows, scoped to the authenticated shop (a GID of another shop is null).

export const nodeResolvers: ResolverMap = {
  "QueryRoot.node": (_s, args: { id: string }, ctx) => {
    requireGid(args.id);
    return findNode(ctx.state, args.id);
  },
  "QueryRoot.nodes": (_s, args: { ids: string[] }, ctx) => {
    if (args.ids.length > 250) throw new Error("The maximum number of ids is 250.");
    for (const id of args.ids) requireGid(id);
    return args.ids.map((id) => findNode(ctx.state, id));
  },
};
