// How many writes a deploy keeps in flight (issue #18). A fixed number is wrong somewhere: 32 leaves most of
// S3's 3,500 PUTs a second per prefix unused at a 25 ms round trip, and is too many for a store that is
// already throttling. So the window adapts, the way TCP's congestion window does: additive increase while
// throughput grows, multiplicative decrease when the store says to slow down (503 SlowDown, 429) or when
// latency rises with no gain in throughput (requests are queuing somewhere, and more of them only add delay).
//
// The window decides once per round: a round is `limit` completions (about one round trip of the whole
// window), at least MIN_ROUND. A throttling answer shrinks it at once (to 0.7 of its size), and only once per
// round, because the requests already in flight were sent at the old rate and may be throttled too. After
// that, the way CUBIC plateaus near where it last lost, the window may grow back to just under the size that
// was throttled but not past it until THROTTLED_HOLD_MS pass with no throttling: a store's limit is a rate
// over a second or so, and probing past it every few round trips costs each throttled write a retry delay
// (the SDK's are up to a second, doubling) while it holds a place in the window.

/** Completions a round needs before it says anything about throughput (fewer are noise). */
const MIN_ROUND = 8;
/** Requests added per round while throughput grows (fewer on a window under 32: an eighth of it, at least 1). */
export const STEP = 4;
/** Throughput must grow by this factor over the previous round to count as growing. */
const GROWTH = 1.05;
/** Latency this many times the lowest seen, with no growth in throughput, means requests are queuing. */
const QUEUING = 2;
/** Latency within this factor of the lowest seen leaves room to probe further even if throughput was flat. */
const ROOM = 1.5;
/** What a throttling answer multiplies the window by (CUBIC's 0.7: its sawtooth stays nearer the store's rate than halving's). */
const THROTTLED_DECREASE = 0.7;
/** How long after a throttling answer the window stays under the size that met it (S3 counts per second). */
export const THROTTLED_HOLD_MS = 2000;
/** What queuing multiplies the window by. */
const QUEUING_DECREASE = 0.75;

export interface WindowSettings {
  /** Writes in flight at the start. */
  initial: number;
  /** The most writes in flight ever (the sockets are sized for it). */
  max: number;
  /** How many answers so far asked to slow down (a counter that only grows; polled at each completion). */
  throttled: () => number;
  /** Milliseconds, monotonic; tests pass a fake. */
  now?: () => number;
  /** THROTTLED_HOLD_MS unless set (tests compare without the hold). */
  holdMs?: number;
}

/** What a round measured. */
export interface Round {
  /** Completions per millisecond. */
  rate: number;
  /** The median completion's latency in milliseconds. */
  latency: number;
  /** Whether the window was full at some point of the round (with less work than the window, size says nothing). */
  full: boolean;
}

export type Decision = 'grow' | 'probe' | 'hold' | 'queuing';

/**
 * The window's decision at the end of a round, from what the round and the previous one measured, the
 * lowest latency seen so far, and whether the store has throttled (a pure function: the tests drive it).
 */
export function decide(
  round: Round,
  previous: Round | undefined,
  lowestLatency: number,
  { throttledBefore = false }: { throttledBefore?: boolean } = {},
): Decision {
  const growing = previous === undefined || round.rate > previous.rate * GROWTH;
  if (!growing && round.latency > QUEUING * lowestLatency) return 'queuing';
  if (!round.full) return 'hold';
  if (growing) return 'grow';
  // Flat throughput at a low latency leaves room to probe. Once the store has throttled, its rate and not
  // the round trip is the likely limit: probe by one a round, so that each SlowDown is rarer.
  if (round.latency > ROOM * lowestLatency) return 'hold';
  return throttledBefore ? 'probe' : 'grow';
}

/** What the window did, for the log. */
export interface WindowReport {
  initial: number;
  peak: number;
  final: number;
  /** Answers that asked to slow down, seen while writing. */
  throttled: number;
  /** Times the window shrank for them. */
  backoffs: number;
  /** Times it shrank because requests were queuing. */
  cuts: number;
}

/** Runs writes with an adaptive number in flight. One window per set of writes (a deploy's assets and pages). */
export class WriteWindow {
  private limit: number;
  private peak: number;
  private inFlight = 0;
  private readonly max: number;
  private readonly now: () => number;
  private throttledSeen: number;
  private readonly throttledAtStart: number;
  private backoffs = 0;
  private cuts = 0;
  private lowestLatency = Number.POSITIVE_INFINITY;
  private previous: Round | undefined;
  // The current round: when it began, its completions' latencies, whether the window filled.
  private roundStart: number;
  private latencies: number[] = [];
  private roundFull = false;
  /**
   * The round after a backoff decides nothing (the throttled requests' retries distort it); what it achieved
   * is what the next round must beat to grow.
   */
  private recovering = false;
  /** When the last backoff for throttling happened, and the size it backed off from. */
  private throttledAt = Number.NEGATIVE_INFINITY;
  private throttledSize = Number.POSITIVE_INFINITY;

  constructor(private readonly settings: WindowSettings) {
    this.max = Math.max(1, settings.max);
    this.limit = Math.min(Math.max(1, settings.initial), this.max);
    this.peak = this.limit;
    this.now = settings.now ?? (() => performance.now());
    this.throttledSeen = this.throttledAtStart = settings.throttled();
    this.roundStart = this.now();
  }

  /** Writes in flight allowed now. */
  get size(): number {
    return this.limit;
  }

  report(): WindowReport {
    return {
      initial: Math.min(Math.max(1, this.settings.initial), this.max),
      peak: this.peak,
      final: this.limit,
      throttled: this.throttledSeen - this.throttledAtStart,
      backoffs: this.backoffs,
      cuts: this.cuts,
    };
  }

  /**
   * Calls `run` for every item, in order, with at most the window's size in flight; resolves when all have
   * finished. Items are taken lazily (only those in flight exist as promises). If one throws, no more start
   * and the first error is thrown once those in flight have finished.
   */
  forEach<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      let next = 0;
      let failed: { error: unknown } | undefined;
      const pump = (): void => {
        while (!failed && next < items.length && this.inFlight < this.limit) {
          const item = items[next++] as T;
          this.inFlight += 1;
          if (this.inFlight >= this.limit) this.roundFull = true;
          const started = this.now();
          run(item)
            .then(
              () => this.completed(started),
              (error: unknown) => {
                failed ??= { error };
                this.completed(started);
              },
            )
            .finally(() => {
              if (this.inFlight === 0 && (failed || next >= items.length)) {
                if (failed) reject(failed.error);
                else resolve();
              } else pump();
            });
        }
        if (this.inFlight === 0 && next >= items.length) resolve();
      };
      pump();
    });
  }

  private completed(started: number): void {
    this.inFlight -= 1;
    const finished = this.now();
    const throttled = this.settings.throttled();
    if (throttled > this.throttledSeen) {
      this.throttledSeen = throttled;
      if (!this.recovering) {
        this.throttledAt = finished;
        this.throttledSize = this.limit;
        this.resize(Math.floor(this.limit * THROTTLED_DECREASE));
        this.backoffs += 1;
        this.recovering = true;
        this.newRound(finished);
        return;
      }
    }
    this.latencies.push(finished - started);
    if (this.latencies.length < Math.max(MIN_ROUND, this.limit)) return;
    const round = this.measure(finished);
    if (this.recovering) {
      // What the smaller window achieved is what the next round must beat to grow.
      this.recovering = false;
      this.previous = round;
    } else {
      this.lowestLatency = Math.min(this.lowestLatency, round.latency);
      const decision = decide(round, this.previous, this.lowestLatency, {
        throttledBefore: this.throttledSeen > this.throttledAtStart,
      });
      // Small windows grow by less: 4 more on a window of 8 would be half again, not an additive step.
      if (decision === 'grow') this.grow(finished, Math.max(1, Math.min(STEP, Math.floor(this.limit / 8))));
      if (decision === 'probe') this.grow(finished, 1);
      if (decision === 'queuing') {
        this.resize(Math.floor(this.limit * QUEUING_DECREASE));
        this.cuts += 1;
      }
      this.previous = round;
    }
    this.newRound(finished);
  }

  private measure(finished: number): Round {
    const sorted = this.latencies.sort((a, b) => a - b);
    return {
      rate: sorted.length / Math.max(finished - this.roundStart, 0.001),
      latency: sorted[sorted.length >> 1] ?? 0,
      full: this.roundFull,
    };
  }

  private newRound(at: number): void {
    this.roundStart = at;
    this.latencies = [];
    this.roundFull = this.inFlight >= this.limit;
  }

  /** Grows by `step`, but soon after a throttling answer not to the size that met it. */
  private grow(at: number, step: number): void {
    const held = at - this.throttledAt < (this.settings.holdMs ?? THROTTLED_HOLD_MS);
    const ceiling = held ? Math.max(this.limit, this.throttledSize - 1) : Number.POSITIVE_INFINITY;
    this.resize(Math.min(ceiling, this.limit + step));
  }

  private resize(limit: number): void {
    this.limit = Math.min(this.max, Math.max(1, limit));
    this.peak = Math.max(this.peak, this.limit);
  }
}
