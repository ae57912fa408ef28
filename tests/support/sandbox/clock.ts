/** `npm run sandbox:clock -- 7d`: moves the running sandbox's clock forward (1h, 1d, 7d, 30d, 90d or seconds). */
import { fetchSandbox, findRunningSandbox, runHelper } from "./running";

await runHelper(async () => {
  const { appUrl } = findRunningSandbox();
  const by = process.argv[2] || "1d";
  const response = await fetchSandbox(`${appUrl}/sandbox/clock`, { method: "POST", body: new URLSearchParams({ by }) });
  if (!response.ok) {
    console.error(`The sandbox at ${appUrl} answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
  const clock = (await response.json()) as { label: string; timeZone: string; offsetHours: number };
  console.log(`sandbox time is now ${clock.label} (${clock.timeZone}), ${clock.offsetHours} h ahead of real time; due flow steps run within seconds`);
});
