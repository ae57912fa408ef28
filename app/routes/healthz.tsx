import { checkHealth } from "~/shops/health.server";
import { droppedDeliveries } from "~/shops/installed.server";

// Liveness and readiness for load balancers and the sandbox: the database answers and workers are running. Also
// how many webhook deliveries this process acknowledged and dropped because their shop is not installed.
export const loader = async () => {
  const health = { ...(await checkHealth()), inbox: { droppedDeliveries: droppedDeliveries().total } };
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
