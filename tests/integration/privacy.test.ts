import "../support/app-env";
import { describePrivacyWebhooks } from "../support/suites/privacy";

describePrivacyWebhooks("SQLite + in-process database jobs", "database");
