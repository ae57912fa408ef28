import type { ActionFunctionArgs } from "@remix-run/node";
import { advanceSandboxClock } from "~/sandbox/clock.server";

// Sandbox-only: `npm run sandbox:clock -- 7d` (or POST by=7d) moves the sandbox's time forward.
export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await request.formData();
  return Response.json(await advanceSandboxClock(String(form.get("by") ?? "")));
};
