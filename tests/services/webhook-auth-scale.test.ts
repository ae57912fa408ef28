import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describeWebhookAuthentication } from "../support/suites/webhook-auth";

onScaleServices("webhook authentication", () => describeWebhookAuthentication(SCALE_SETUP, "bullmq"));
