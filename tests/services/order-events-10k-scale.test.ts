import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describeTenThousandDeliveries } from "../support/suites/order-events-10k";

onScaleServices("domain events from 10,000 webhook deliveries", () => describeTenThousandDeliveries(SCALE_SETUP, "bullmq"));
