// What the benches share: peak-memory sampling, GC and CPU-profile watching, a seeded PRNG.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver } from "node:perf_hooks";

/** Peak RSS and heap, sampled every 50 ms (the timer does not keep the process alive). */
export const memory = { peakRss: 0, peakHeap: 0 };
export const sampleMemory = () => {
  const { rss, heapUsed } = process.memoryUsage();
  if (rss > memory.peakRss) memory.peakRss = rss;
  if (heapUsed > memory.peakHeap) memory.peakHeap = heapUsed;
};
setInterval(sampleMemory, 50).unref();

export const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** A small seeded PRNG (mulberry32): the same data on every run. */
export function mulberry32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Watches a phase of a bench: GC pauses (they explain most latency tails) and, when `profileFile`
 * is given, a CPU profile of just that phase. `stop()` ends both and writes the profile.
 */
export async function watchPhase(profileFile) {
  const gcPauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ["gc"] });
  let profiler;
  if (profileFile) {
    profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  return {
    gcPauses,
    async stop() {
      observer.disconnect();
      if (!profiler) return false;
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(profileFile, JSON.stringify(profile));
      profiler.disconnect();
      return true;
    },
  };
}

/** A command-line flag that must be a positive integer; anything else ends the bench with a message. */
export function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a positive integer, not ${text}`);
    process.exit(2);
  }
  return value;
}
