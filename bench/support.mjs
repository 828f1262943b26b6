// What the benches share: peak-memory sampling, GC and CPU-profile watching, a seeded PRNG.
import { readFileSync, writeFileSync } from "node:fs";
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

/**
 * The machine's CPU time since boot from /proc/stat (Linux; undefined elsewhere): `busy`, `idle` and
 * `steal` in clock ticks over all CPUs. On a shared VM, `steal` is time the hypervisor gave to other
 * guests while this one wanted to run: the figure that explains a bench running slower than its code.
 */
export function cpuTimes() {
  let text;
  try {
    text = readFileSync("/proc/stat", "utf8");
  } catch {
    return undefined;
  }
  const fields = text.slice(0, text.indexOf("\n")).trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** The share of CPU time stolen between two `cpuTimes()` readings, in percent (undefined when unknown). */
export function stealPercent(before, after) {
  if (!before || !after) return undefined;
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  const steal = after.steal - before.steal;
  const total = busy + idle + steal;
  return total > 0 ? (100 * steal) / total : undefined;
}
