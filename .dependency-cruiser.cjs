// `npm run check:deps` (and CI): the import rules of ARCHITECTURE.md, checked on every change.
const INFRASTRUCTURE = "^app/(db|lib|jobs|shopify|domain-events)/";
const DOMAINS = "^app/(analytics|challenges|flows|loyalty|mail|orders|privacy|referrals|reviews|rewards|shops|storefront|surveys|thank-you|webhooks|sandbox)/";

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "No import cycle, type imports included.", from: {}, to: { circular: true } },
    {
      name: "startup-module-only-from-entries",
      severity: "error",
      comment: "app/app.server.ts is imported only by the web entry and the worker's main.",
      from: { path: "^app/", pathNot: "^app/(entry\\.server\\.tsx|jobs/worker-main\\.ts)$" },
      to: { path: "^app/app\\.server\\.ts$" },
    },
    {
      name: "routes-are-leaves",
      severity: "error",
      comment: "Only Remix imports a route.",
      from: { path: "^app/", pathNot: "^app/routes/" },
      to: { path: "^app/routes/" },
    },
    {
      name: "infrastructure-knows-no-domain",
      severity: "error",
      comment: "db, lib, jobs, shopify and domain-events serve every domain and import none (a domain registers with them).",
      from: { path: INFRASTRUCTURE, pathNot: "^app/shopify/shopify\\.server\\.ts$" },
      to: { path: DOMAINS },
    },
    {
      name: "no-reaching-into-another-domain",
      severity: "error",
      comment: "A domain's subfolders (e.g. flows/actions/) are its own: other folders use the domain's top-level modules.",
      from: { path: "^app/([^/]+)/" },
      to: { path: "^app/([^/]+)/[^/]+/", pathNot: ["^app/$1/", "^app/(db|lib|jobs|shopify|domain-events|generated|components)/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^app/generated/|node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
