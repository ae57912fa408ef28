import { onScaleServices, SCALE_SETUP } from "../support/scale-suite";
import { describeRetroPoints } from "../support/suites/loyalty-retro";

onScaleServices("points for past orders", () => describeRetroPoints(SCALE_SETUP));
