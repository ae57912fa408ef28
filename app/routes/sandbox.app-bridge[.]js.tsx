import { appBridgeStandIn } from "~/sandbox/sandbox.server";

export const loader = () => appBridgeStandIn();
