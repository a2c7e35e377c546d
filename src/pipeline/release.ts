import { createHash } from 'node:crypto';
import type { RunContext } from '../context/run-context.js';
import { DeployError, Refusal, errorMessage } from '../shared/errors.js';
import { untrusted } from '../shared/text.js';
import { claimStanding, describeClaim, describeRun } from './claims.js';
import type { ObjectHeaders } from './headers.js';
import {
  type Claim,
  type Manifest,
  MANIFEST_NAME,
  MANIFEST_VERSION,
  NewerManifestError,
  PROBE_NAME,
  type PublishedBy,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  unzippedLimit,
} from './manifest.js';
import type { Change } from './outcome.js';
import type { RemoteObject } from './plan.js';
import {
  type ConditionalSupport,
  ConditionsNotSupported,
  type Log,
  type ObjectStore,
  type Ports,
  PreconditionFailed,
  type StoredObject,
} from './ports.js';

// The release protocol: how a deploy takes a prefix, publishes it and lets it go, so that racing runs, a
// dead run and stores without conditional writes can never leave a mix of two builds unsaid.
//
//   1. read the manifest           (refuse a newer format, or another run's live claim)
//   2. claim the prefix            (the manifest rewritten with a claim, If-Match / If-None-Match: *)
//   3. upload assets, 4. pages     (the claim is refreshed while they run; writes stop when it lapses)
//   5. publish the manifest        (If-Match on the claim's ETag: only the claim holder can)
//   6. delete stale objects        (only after 5)
//   7. invalidate                  (the paths were recorded as pending in 5)
//   8. record the invalidation as done
//
// The manifest object doubles as the lock, so a claim costs no extra object and a crashed run leaves the
// last published entries in place. Which guarantees hold depends on the store (probe()): see README "Safety".
// Everything read back from the manifest is a bucket writer's to forge: a claim is honoured only within what
// a run can claim, and its fields reach messages only as inert text.

const MANIFEST_HEADERS: ObjectHeaders = { contentType: 'application/gzip', cacheControl: 'no-store' };

export interface ReleaseOptions {
  prefix: string;
  /** `s3://bucket/prefix`, for messages. */
  target: string;
  run: { id: string; attempt: string; url?: string };
  /** `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/`: the only run URLs from the manifest shown as such. */
  runUrlBase?: string;
  lockTimeoutMs: number;
  requireConditionalWrites: boolean;
  now: () => Date;
  /** Aborted when the job is cancelled: no write starts after that, and the claim is let go. */
  signal?: AbortSignal;
}

export function planDigest(changes: readonly Change[]): string {
  const hash = createHash('sha256');
  for (const change of changes) hash.update(`${change.kind} ${change.key}\n`);
  return hash.digest('hex');
}

export class Release {
  readonly key: string;
  private readonly probeKey: string;
  private probing?: Promise<ConditionalSupport>;
  /** The manifest object's ETag as this run last read or wrote it; undefined while there is none. */
  private etag?: string;
  private support?: ConditionalSupport;
  private claimed?: Claim;
  /** Until when this run may start writes: the confirmed claim's expiry less a margin for requests in flight. */
  private validUntil = 0;
  private refresher?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private publishedBy?: PublishedBy;
  /** The version the last write of the manifest created (versioned buckets). */
  versionId?: string;
  /** Set when a refresh found the claim taken over: this run must not publish. */
  lost?: string;

  constructor(
    private readonly store: ObjectStore,
    private readonly log: Log,
    private readonly options: ReleaseOptions,
  ) {
    this.key = `${options.prefix}${MANIFEST_NAME}`;
    this.probeKey = `${options.prefix}${PROBE_NAME}`;
  }

  /** What the probe found, once it ran. */
  get conditionalWrites(): ConditionalSupport | undefined {
    return this.support;
  }

  /** Step 1a: the manifest object, read beside the listing. */
  fetch(): Promise<StoredObject | undefined> {
    return this.store.get(this.key);
  }

  /**
   * Step 1b: the manifest, decoded within limits set by the listing (only entries for listed keys are kept).
   * Refuses — before anything is written — a manifest of a newer format, and a live claim of another run.
   */
  read(stored: StoredObject | undefined, listing: RemoteObject[]): Manifest {
    if (!stored) return emptyManifest();
    this.etag = stored.etag;
    // Path → the listing's own string for it: entries are keyed by that (a million paths held once, not twice).
    const listed = new Map<string, string>();
    for (const object of listing) {
      const path = object.key.slice(this.options.prefix.length);
      listed.set(path, path);
    }
    let manifest: Manifest;
    try {
      if (stored.tooLarge) throw new Error('larger than this action reads');
      manifest = decodeManifest(stored.body, {
        unzipped: unzippedLimit(listing.length),
        keep: (p) => listed.get(p) ?? false,
      });
    } catch (error) {
      if (error instanceof NewerManifestError) throw this.newerManifest(error.version);
      this.log.warning(
        `The deploy manifest ${this.key} is unreadable (${errorMessage(error)}); nothing in it is trusted: objects are checked against the build and the manifest is rewritten.`,
      );
      return emptyManifest();
    }
    this.checkClaim(manifest.claim);
    // The newest deploy's entries are in the version just read: rollback finds them by it.
    const newest = manifest.history[0];
    if (newest && !newest.manifestVersion && stored.versionId) newest.manifestVersion = stored.versionId;
    return manifest;
  }

  private newerManifest(version: number): Refusal {
    const object = `s3://${this.options.target.slice('s3://'.length).split('/')[0]}/${this.key}`;
    return new Refusal(
      `${this.options.target} holds a deploy manifest of format ${version}; this version of parlai-site-deploy writes format ${MANIFEST_VERSION} and refuses to overwrite what a newer version recorded. Nothing was written. If a newer version deploys this prefix, upgrade the action (the \`uses:\` line) and re-run. If none does (the manifest was written by someone else), delete it — aws s3 rm ${object} — and re-run: the deploy then checks every object against the build and writes a new manifest.`,
    );
  }

  private describeRun(run: string, runUrl: string | undefined): string {
    return describeRun(run, runUrl, this.options.runUrlBase);
  }

  private describeClaim(claim: Claim): string {
    return describeClaim(claim, this.options.runUrlBase);
  }

  private checkClaim(claim: Claim | undefined): void {
    if (!claim) return;
    switch (claimStanding(claim, this.options.run.id, this.options.now())) {
      case 'own':
        this.log.info(
          `Taking over the claim of an earlier attempt of this workflow run: ${this.describeClaim(claim)}.`,
        );
        return;
      case 'impossible':
        this.log.warning(
          `The claim on ${this.options.target} in its deploy manifest lasts until ${claim.expires}, longer than any run can claim (24 h): it is not honoured, and this deploy takes the prefix.`,
        );
        return;
      case 'expired':
        this.log.warning(
          `Taking over the claim on ${this.options.target} left by ${this.describeClaim(claim)}, which expired at ${claim.expires}: that run stopped without publishing. Objects it uploaded are checked and kept or replaced.`,
        );
        return;
      case 'live':
        throw new Refusal(
          `Another deploy is publishing ${this.options.target}: ${this.describeClaim(claim)}; its claim lasts until ${claim.expires} unless it finishes first. Nothing was written. Re-run this deploy after it, and give deploys of one site a workflow \`concurrency:\` group so they queue instead.`,
        );
    }
  }

  /**
   * Finds out, once, whether the store honours conditional writes (ports.ts `probeConditionalWrites`: one
   * request, two for a store that ignores conditions). A store that cannot tell without writing (a dry run)
   * answers `unchecked`, and the plan says so.
   */
  probe(): Promise<ConditionalSupport> {
    // Once: a deploy may start it early (beside the site check), and the claim awaits the same answer.
    if (this.support) return Promise.resolve(this.support);
    this.probing ??= this.store.conditionalWrites(this.probeKey).then((support) => {
      this.support = support;
      if (support === 'refused' || support === 'ignored') this.unprotected(support);
      if (support === 'unchecked') {
        this.log.info(
          `Conditional writes: not checked, since checking writes a probe object. The deploy checks whether the store behind ${this.options.target} honours If-Match / If-None-Match${this.options.requireConditionalWrites ? ", and with 'require-conditional-writes: true' refuses if it does not" : ', and warns if it does not'}.`,
        );
      }
      return support;
    });
    return this.probing;
  }

  /**
   * Sends the probe now, without waiting for its answer: the claim, which needs it, awaits the same request,
   * and gets its error (a refusal of an unprotected store included) there.
   */
  startProbe(): void {
    this.probe().catch(() => undefined);
  }

  private unprotected(support: 'refused' | 'ignored'): void {
    const what =
      support === 'refused'
        ? 'does not support conditional writes (it answered NotImplemented to If-Match)'
        : 'ignores conditional writes (it accepted a PUT whose If-Match could not hold)';
    if (this.options.requireConditionalWrites) {
      throw new Refusal(
        `The store behind ${this.options.target} ${what}, and 'require-conditional-writes' is true: refusing to deploy without protection against a concurrent deploy. Nothing was written. Use a store that honours If-Match (AWS S3, Cloudflare R2, MinIO, Ceph RGW), or set 'require-conditional-writes: false' and give deploys of this site a workflow \`concurrency:\` group.`,
        'require-conditional-writes',
      );
    }
    this.log.warning(
      `The store behind ${this.options.target} ${what}: this deploy cannot be protected against a concurrent deploy of the same prefix by the store. Give the workflow a \`concurrency:\` group per site so deploys queue (e.g. \`concurrency: deploy-site\`), or set 'require-conditional-writes: true' to refuse instead.`,
    );
  }

  /**
   * One write of the manifest object, only if it still has the ETag this run last saw. Where the store
   * honours conditions that is atomic; elsewhere the ETag is read first, which leaves a window of one
   * request — the warning above says so.
   */
  private async write(manifest: Manifest): Promise<string> {
    const body = encodeManifest(manifest, this.options.now());
    const support = await this.probe();
    if (support === 'honoured' || support === 'unchecked') {
      try {
        const written = await this.store.putObject(
          this.key,
          body,
          MANIFEST_HEADERS,
          this.etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: this.etag },
        );
        this.versionId = written.versionId;
        return written.etag;
      } catch (error) {
        if (!(error instanceof ConditionsNotSupported)) throw error;
        // Some stores take If-None-Match but not If-Match (or the other way round).
        this.support = 'refused';
        this.unprotected('refused');
      }
    }
    const found = (await this.store.head(this.key))?.etag;
    if (found !== this.etag) throw new PreconditionFailed(this.key);
    const written = await this.store.putObject(this.key, body, MANIFEST_HEADERS);
    this.versionId = written.versionId;
    return written.etag;
  }

  private newClaim(planDigest: string, started?: string): Claim {
    const now = this.options.now();
    return {
      run: this.options.run.id,
      attempt: this.options.run.attempt,
      ...(this.options.run.url ? { runUrl: this.options.run.url } : {}),
      started: started ?? now.toISOString(),
      expires: new Date(now.getTime() + this.options.lockTimeoutMs).toISOString(),
      planDigest,
    };
  }

  /** The confirmed claim lets this run start writes until its expiry, less a margin for requests in flight. */
  private confirm(claim: Claim): void {
    this.claimed = claim;
    const margin = Math.min(60_000, this.options.lockTimeoutMs / 4);
    this.validUntil = Date.parse(claim.expires) - margin;
  }

  /** Step 2: the manifest as read, plus this run's claim. Refuses when another run got there first. */
  async claim(base: Manifest, digest: string): Promise<void> {
    const claim = this.newClaim(digest);
    try {
      this.etag = await this.write({ ...base, claim });
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      throw await this.lostRace();
    }
    this.confirm(claim);
    const every = Math.max(1000, Math.floor(this.options.lockTimeoutMs / 3));
    this.refresher = setInterval(() => {
      this.refreshing ??= this.refresh(base).finally(() => (this.refreshing = undefined));
    }, every);
    this.refresher.unref();
  }

  /**
   * Why this run must not start another write, if it must not: the job was cancelled, the claim was taken
   * over, or it lapsed without a confirmed refresh (another run may have taken the prefix since).
   */
  stopReason(): string | undefined {
    if (this.options.signal?.aborted) return 'the job was cancelled';
    if (this.lost) return this.lost;
    if (this.claimed && this.options.now().getTime() >= this.validUntil) {
      return `the claim on the prefix lapsed (it expires at ${this.claimed.expires}) without a confirmed refresh`;
    }
    return undefined;
  }

  /** Someone wrote the manifest between this run's read and its claim: say who, as inert text. */
  private async lostRace(): Promise<Refusal> {
    const stored = await this.store.get(this.key).catch(() => undefined);
    let winner = 'another deploy';
    try {
      const manifest = stored && !stored.tooLarge ? decodeManifest(stored.body, { keep: () => false }) : undefined;
      if (manifest?.claim) winner = `another deploy, ${this.describeClaim(manifest.claim)},`;
      else if (manifest?.publishedBy) {
        const { run, attempt, runUrl, at } = manifest.publishedBy;
        const shownAttempt = /^\d{1,6}$/.test(attempt) ? attempt : untrusted(attempt);
        winner = `another deploy, ${this.describeRun(run, runUrl)} (attempt ${shownAttempt}, published ${at}),`;
      }
    } catch {
      // unreadable: say no more than "another deploy"
    }
    return new Refusal(
      `${winner.charAt(0).toUpperCase()}${winner.slice(1)} took ${this.options.target} while this deploy was planning: nothing was written. Re-run this deploy once it has finished, and give deploys of one site a workflow \`concurrency:\` group so they queue instead.`,
    );
  }

  /** Extends the claim while uploads run; a claim found taken over stops this run from publishing. */
  private async refresh(base: Manifest): Promise<void> {
    if (!this.claimed || this.lost) return;
    const claim = this.newClaim(this.claimed.planDigest, this.claimed.started);
    try {
      this.etag = await this.write({ ...base, claim });
      this.confirm(claim);
    } catch (error) {
      this.lost = `the claim could not be refreshed (${errorMessage(error)})`;
      this.log.warning(`${this.options.target}: ${this.lost}; this deploy will not publish.`);
    }
  }

  private async stopRefreshing(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = undefined;
    await this.refreshing;
  }

  /**
   * Step 5 (or the only write, when nothing but the manifest changes): the next manifest, without a claim,
   * only over this run's own claim (or the manifest as read), and only while the claim holds.
   */
  async publish(next: Manifest): Promise<void> {
    await this.stopRefreshing();
    const stop = this.stopReason();
    if (stop) throw new DeployError(`Not published: ${stop}. Nothing was deleted.`);
    const { id: run, attempt, url: runUrl } = this.options.run;
    const publishedBy = { run, attempt, ...(runUrl ? { runUrl } : {}), at: this.options.now().toISOString() };
    try {
      this.etag = await this.write({ ...next, claim: undefined, publishedBy });
      this.claimed = undefined;
      this.publishedBy = publishedBy;
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      throw new DeployError(
        `Another run wrote the deploy manifest of ${this.options.target} after this deploy claimed it (its claim may have expired: raise 'lock-timeout' for long deploys): this deploy did not publish and deleted nothing. Re-run the deploy you want live.`,
      );
    }
  }

  /** Step 8: the invalidation went through; a later deploy that published meanwhile carries on. */
  async recordInvalidated(next: Manifest): Promise<void> {
    try {
      this.etag = await this.write({
        ...next,
        pendingInvalidation: [],
        publishedBy: this.publishedBy ?? next.publishedBy,
      });
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      this.log.info('The deploy manifest changed after this deploy published; the next deploy invalidates again.');
    }
  }

  /**
   * After failed writes or a cancelled job: lets the prefix go, recording what was written, so the next run
   * need not wait. Not once the claim was lost or lapsed: the prefix may be another run's by then.
   */
  async abandon(partial: Manifest): Promise<void> {
    await this.stopRefreshing();
    if (!this.claimed || this.lost || this.options.now().getTime() >= this.validUntil) return;
    const { id: run, attempt, url: runUrl } = this.options.run;
    const publishedBy = { run, attempt, ...(runUrl ? { runUrl } : {}), at: this.options.now().toISOString() };
    try {
      this.etag = await this.write({ ...partial, claim: undefined, publishedBy });
      this.claimed = undefined;
    } catch (error) {
      this.log.warning(`Could not release the claim on ${this.options.target}: ${errorMessage(error)}`);
    }
  }

  /** Stops the refresh timer, whatever happened. */
  async close(): Promise<void> {
    await this.stopRefreshing();
  }
}

export function targetOf(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}

/** The release protocol's state for this run's prefix. */
export function newRelease(context: RunContext, ports: Ports): Release {
  const { inputs } = context;
  return new Release(ports.store, ports.log, {
    prefix: inputs.prefix,
    target: targetOf(inputs.bucket, inputs.prefix),
    run: context.run,
    runUrlBase: context.runUrlBase,
    lockTimeoutMs: inputs.lockTimeoutMs,
    requireConditionalWrites: inputs.requireConditionalWrites,
    now: ports.now,
    signal: ports.signal,
  });
}
