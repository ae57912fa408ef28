import { checkHealth } from "~/shops/health.server";

// Liveness and readiness for load balancers and the sandbox: the database answers and workers are running.
export const loader = async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
