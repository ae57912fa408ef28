import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describeActivity } from "../support/suites/activity";

onScaleServices("Activity", () => describeActivity(SCALE_SETUP, "bullmq"));
