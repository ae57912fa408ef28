import "../support/app-env";
import { describeWebhookAuthentication } from "../support/suites/webhook-auth";

describeWebhookAuthentication("SQLite + in-process database jobs", "database");
