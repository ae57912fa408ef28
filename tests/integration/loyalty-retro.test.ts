import "../support/app-env";
import { describeRetroPoints } from "../support/suites/loyalty-retro";

describeRetroPoints("SQLite + in-process database jobs");
