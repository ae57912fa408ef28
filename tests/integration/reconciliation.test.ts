import "../support/app-env";
import { describeReconciliationUnderFaults } from "../support/suites/reconciliation-faults";

describeReconciliationUnderFaults("SQLite + in-process database jobs", "database");
