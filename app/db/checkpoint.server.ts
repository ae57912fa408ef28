// SQLite in WAL mode copies the log back into the database file every 1000 pages, inside whichever COMMIT
// crosses that mark: a few milliseconds (and an fsync) on the event loop, once every hundred webhook commits or
// so — the tail of the inbox's latency. SQLite's documented remedy: turn automatic checkpoints off and run
// them from another thread. This thread has its own connection and checkpoints PASSIVE (never blocking a
// reader or a writer) every few hundred milliseconds. Automatic checkpoints are turned off only once it runs,
// and back on if it ever stops, so the log cannot grow unchecked.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy (another checkpointer): next time.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage("stopped");
});
parentPort.postMessage("ready");
`;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Starts the checkpoint thread for the database file `file`. `setAutoCheckpoint(false)` is called once it runs,
 * `setAutoCheckpoint(true)` if it fails or exits; stop() ends it (with a last checkpoint).
 */
export function startBackgroundCheckpoints(file: string, setAutoCheckpoint: (on: boolean) => void, intervalMs = 250): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  let running = false;
  worker.on("message", (message) => {
    if (message === "ready") {
      running = true;
      setAutoCheckpoint(false);
    }
  });
  const fallBack = () => {
    if (running) setAutoCheckpoint(true);
    running = false;
  };
  worker.on("error", (error) => {
    console.error("[db] background checkpoints stopped:", error);
    fallBack();
  });
  worker.on("exit", fallBack);
  return {
    async stop() {
      if (!running) {
        await worker.terminate();
        return;
      }
      const stopped = new Promise<void>((resolve) => worker.on("message", (m) => m === "stopped" && resolve()));
      worker.postMessage("stop");
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      running = false;
      await worker.terminate();
    },
  };
}
