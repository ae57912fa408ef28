import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describeReconciliationUnderFaults } from "../support/suites/reconciliation-faults";

onScaleServices("reconciliation heals dropped webhooks", () => describeReconciliationUnderFaults(SCALE_SETUP, "bullmq"));
