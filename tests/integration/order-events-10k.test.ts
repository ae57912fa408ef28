import "../support/app-env";
import { describeTenThousandDeliveries } from "../support/suites/order-events-10k";

describeTenThousandDeliveries("SQLite + in-process database jobs", "database");
