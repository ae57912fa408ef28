/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes at exit) and sums self time per function: each sample
 * is charged to the node it landed in, for the time until the next sample (timeDeltas; on average the sampling
 * interval). Functions are grouped by name + script:line, so one function inlined or recompiled stays one row.
 * `window` (µs on the machine's monotonic clock, which V8's profile timestamps and process.hrtime share on
 * Linux) keeps only the samples taken during the measured load, not start-up, set-up or the idle tail.
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy time (every sample but "(idle)"), in %. */
  share: number;
}

export interface SelfTimeSummary {
  rows: SelfTimeRow[];
  busyMs: number;
  idleMs: number;
  /** False when the window did not fall inside the profile (clocks not shared): the whole profile was used. */
  windowed: boolean;
}

/** The URL of a script, short: relative to `root` when inside it, node:… as is. */
function shortUrl(url: string, root: string): string {
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  return file.startsWith(root) ? path.relative(root, file) : file;
}

export function selfTimes(file: string, root: string, window?: { fromUs: number; toUs: number }): SelfTimeSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inWindow = window !== undefined && window.fromUs >= profile.startTime && window.toUs <= profile.endTime + 1_000_000;
  const totals = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // The sample's weight: the time until the next one (the last sample gets the previous delta).
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (inWindow && (at < window.fromUs || at > window.toUs)) continue;
    const frame = byId.get(profile.samples[i]!)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === "(idle)") {
      idleUs += weight;
      continue;
    }
    busyUs += weight;
    const name = frame.functionName || "(anonymous)";
    const where = frame.url ? `${shortUrl(frame.url, root)}:${frame.lineNumber + 1}` : "";
    const key = `${name}\u0000${where}`;
    const row = totals.get(key) ?? { name, where, us: 0 };
    row.us += weight;
    totals.set(key, row);
  }
  const rows = [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .map((r) => ({ name: r.name, where: r.where, ms: r.us / 1000, share: busyUs > 0 ? (100 * r.us) / busyUs : 0 }));
  return { rows, busyMs: busyUs / 1000, idleMs: idleUs / 1000, windowed: inWindow };
}

export function formatSelfTimes(summary: SelfTimeSummary, top = 15): string[] {
  const lines = [
    `top ${top} functions by self time (${summary.windowed ? "during the load" : "whole profile"}: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s; % of busy):`,
  ];
  for (const r of summary.rows.slice(0, top)) {
    lines.push(`  ${r.share.toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
  }
  return lines;
}

/** The .cpuprofile files `node --cpu-prof --cpu-prof-dir=<dir>` wrote there. */
export function profilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f));
}
