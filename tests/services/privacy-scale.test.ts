import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describePrivacyWebhooks } from "../support/suites/privacy";

onScaleServices("privacy webhooks", () => describePrivacyWebhooks(SCALE_SETUP, "bullmq"));
