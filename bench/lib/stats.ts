/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return ms > 0
    ? new Promise(resolve => setTimeout(resolve, ms))
    : Promise.resolve();
}

/** Counts calls by name and how many were in flight at once. */
export class CallCounter {
  readonly byName = new Map<string, number>();
  private inFlight = 0;
  maxInFlight = 0;

  /** Notes the start of a call; the returned function notes its end. */
  start(name: string): () => void {
    this.byName.set(name, (this.byName.get(name) ?? 0) + 1);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let ended = false;
    return () => {
      if (!ended) this.inFlight--;
      ended = true;
    };
  }

  get total(): number {
    let sum = 0;
    for (const n of this.byName.values()) sum += n;
    return sum;
  }

  /** Calls whose name starts with the prefix, e.g. `sts:`. */
  totalOf(prefix: string): number {
    let sum = 0;
    for (const [name, n] of this.byName) if (name.startsWith(prefix)) sum += n;
    return sum;
  }

  reset() {
    this.byName.clear();
    this.maxInFlight = 0;
  }

  toJSON() {
    return {
      total: this.total,
      maxInFlight: this.maxInFlight,
      byName: Object.fromEntries([...this.byName].sort()),
    };
  }
}

/** The p-th percentile (0 to 100) of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Samples this process's memory every few milliseconds and keeps the peaks. */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  peakRssMb = 0;
  peakHeapMb = 0;
  readonly startRssMb: number;
  readonly startHeapMb: number;

  constructor(private readonly everyMs = 10) {
    const m = process.memoryUsage();
    this.startRssMb = m.rss / 2 ** 20;
    this.startHeapMb = m.heapUsed / 2 ** 20;
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return {
      peakRssMb: round(this.peakRssMb),
      peakHeapMb: round(this.peakHeapMb),
      startRssMb: round(this.startRssMb),
      startHeapMb: round(this.startHeapMb),
    };
  }

  private sample() {
    const m = process.memoryUsage();
    this.peakRssMb = Math.max(this.peakRssMb, m.rss / 2 ** 20);
    this.peakHeapMb = Math.max(this.peakHeapMb, m.heapUsed / 2 ** 20);
  }
}

/** Rounds to one decimal, for reports. */
export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
