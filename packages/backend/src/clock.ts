/** Where the backend reads the time. Tests pass a manual clock so every timestamp is theirs. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface ManualClock extends Clock {
  /** Sets the time. */
  set(time: Date | string | number): void;
  /** Moves the time forward by `ms`. */
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told: `createBackend({ clock: manualClock("2026-01-01T00:00:00Z") })`. */
export function manualClock(start: Date | string | number = "2026-01-01T00:00:00.000Z"): ManualClock {
  let time = toMillis(start);
  return {
    now: () => time,
    set: (next) => {
      time = toMillis(next);
    },
    advance: (ms) => {
      time += ms;
    },
  };
}

function toMillis(time: Date | string | number): number {
  const ms = typeof time === "number" ? time : new Date(time).getTime();
  if (!Number.isFinite(ms)) throw new TypeError(`not a time: ${String(time)}`);
  return ms;
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
