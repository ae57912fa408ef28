// `npm run metrics`: see metrics-cli.server.ts. Prints, closes the database, exits with the CLI's code.
import { disconnectPrisma } from "~/db/db.server";
import { metricsCli } from "./metrics-cli.server";

const result = await metricsCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
await disconnectPrisma().catch(() => {});
process.exit(result.code);
