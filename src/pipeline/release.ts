import { createHash } from 'node:crypto';
import { DeployError, Refusal, errorMessage } from '../shared/errors.js';
import type { ObjectHeaders } from './headers.js';
import {
  type Claim,
  type Manifest,
  MANIFEST_NAME,
  NewerManifestError,
  PROBE_NAME,
  decodeManifest,
  emptyManifest,
  encodeManifest,
} from './manifest.js';
import type { Change, Outcome } from './outcome.js';
import { ConditionsNotSupported, type Log, type ObjectStore, PreconditionFailed } from './ports.js';

// The release protocol: how a deploy takes a prefix, publishes it and lets it go, so that racing runs, a
// dead run and stores without conditional writes can never leave a mix of two builds unsaid.
//
//   1. read the manifest           (refuse a newer format, or another run's live claim)
//   2. claim the prefix            (the manifest rewritten with a claim, If-Match / If-None-Match: *)
//   3. upload assets, 4. pages     (the claim is refreshed while they run)
//   5. publish the manifest        (If-Match on the claim's ETag: only the claim holder can)
//   6. delete stale objects        (only after 5)
//   7. invalidate                  (the paths were recorded as pending in 5)
//   8. record the invalidation as done
//
// The manifest object doubles as the lock, so a claim costs no extra object and a crashed run leaves the
// last published entries in place. Which guarantees hold depends on the store (probe()): see README "Safety".

/** How the store treats `If-Match` / `If-None-Match` on PUT. */
export type ConditionalSupport = NonNullable<Outcome['conditionalWrites']>;

const MANIFEST_HEADERS: ObjectHeaders = { contentType: 'application/gzip', cacheControl: 'no-store' };
/** An ETag no object can have (ETags are hex): a write conditional on it must fail. */
const IMPOSSIBLE_ETAG = 'parlai-site-deploy-probe-no-such-etag';

export interface ReleaseOptions {
  prefix: string;
  /** `s3://bucket/prefix`, for messages. */
  target: string;
  run: { id: string; attempt: string; url?: string };
  lockTimeoutMs: number;
  requireConditionalWrites: boolean;
  now: () => Date;
}

export function planDigest(changes: readonly Change[]): string {
  const hash = createHash('sha256');
  for (const change of changes) hash.update(`${change.kind} ${change.key}\n`);
  return hash.digest('hex');
}

function describeClaim(claim: Claim): string {
  return `${claim.runUrl ?? claim.run} (attempt ${claim.attempt}, started ${claim.started})`;
}

export class Release {
  readonly key: string;
  private readonly probeKey: string;
  /** The manifest object's ETag as this run last read or wrote it; undefined while there is none. */
  private etag?: string;
  private support?: ConditionalSupport;
  private claimed?: Claim;
  private refresher?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private publishedBy?: Manifest['publishedBy'];
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

  /**
   * Step 1: the manifest, and whether the bucket's ETags are opaque (SSE-KMS). Refuses — before anything is
   * written — a manifest of a newer format, and a live claim of another run.
   */
  async read(): Promise<{ manifest: Manifest; opaqueEtags: boolean }> {
    const stored = await this.store.get(this.key);
    if (!stored) return { manifest: emptyManifest(), opaqueEtags: false };
    this.etag = stored.etag;
    const opaqueEtags = stored.encryption === 'aws:kms' || stored.encryption === 'aws:kms:dsse';
    let manifest: Manifest;
    try {
      if (stored.tooLarge) throw new Error('larger than this action reads');
      manifest = decodeManifest(stored.body);
    } catch (error) {
      if (error instanceof NewerManifestError) {
        throw new Refusal(
          `${this.options.target} was deployed by a newer version of parlai-site-deploy (deploy manifest ${error.message}, this version writes format 2): refusing to overwrite what it recorded. Upgrade the action (the \`uses:\` line) and re-run.`,
        );
      }
      this.log.warning(
        `The deploy manifest ${this.key} is unreadable (${errorMessage(error)}); nothing in it is trusted: objects are checked against the build and the manifest is rewritten.`,
      );
      return { manifest: emptyManifest(), opaqueEtags };
    }
    this.checkClaim(manifest.claim);
    return { manifest, opaqueEtags };
  }

  private checkClaim(claim: Claim | undefined): void {
    if (!claim) return;
    const now = this.options.now();
    if (claim.run === this.options.run.id) {
      this.log.info(`Taking over the claim of an earlier attempt of this workflow run: ${describeClaim(claim)}.`);
      return;
    }
    if (Date.parse(claim.expires) <= now.getTime()) {
      this.log.warning(
        `Taking over the claim on ${this.options.target} left by ${describeClaim(claim)}, which expired at ${claim.expires}: that run stopped without publishing. Objects it uploaded are checked and kept or replaced.`,
      );
      return;
    }
    throw new Refusal(
      `Another deploy is publishing ${this.options.target}: ${describeClaim(claim)}; its claim lasts until ${claim.expires} unless it finishes first. Nothing was written. Re-run this deploy after it, and give deploys of one site a workflow \`concurrency:\` group so they queue instead.`,
    );
  }

  /**
   * Finds out, with one request (two for a store that ignores conditions), whether the store honours
   * conditional writes: a PUT of the probe object conditional on an ETag no object has must fail.
   */
  async probe(): Promise<ConditionalSupport> {
    if (this.support) return this.support;
    try {
      await this.store.putObject(this.probeKey, Buffer.from('probe\n'), MANIFEST_HEADERS, { ifMatch: IMPOSSIBLE_ETAG });
      await this.store.deleteKeys([this.probeKey]).catch(() => undefined);
      this.support = 'ignored';
    } catch (error) {
      if (error instanceof PreconditionFailed) this.support = 'honoured';
      else if (error instanceof ConditionsNotSupported) this.support = 'refused';
      else throw error;
    }
    if (this.support !== 'honoured') this.unprotected(this.support);
    return this.support;
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
    if (support === 'honoured') {
      try {
        return await this.store.putObject(
          this.key,
          body,
          MANIFEST_HEADERS,
          this.etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: this.etag },
        );
      } catch (error) {
        if (!(error instanceof ConditionsNotSupported)) throw error;
        // Some stores take If-None-Match but not If-Match (or the other way round).
        this.support = 'refused';
        this.unprotected('refused');
      }
    }
    const found = (await this.store.head(this.key))?.etag;
    if (found !== this.etag) throw new PreconditionFailed(this.key);
    return this.store.putObject(this.key, body, MANIFEST_HEADERS);
  }

  /** Step 2: the manifest as read, plus this run's claim. Refuses when another run got there first. */
  async claim(base: Manifest, digest: string): Promise<void> {
    const now = this.options.now();
    const claim: Claim = {
      run: this.options.run.id,
      attempt: this.options.run.attempt,
      ...(this.options.run.url ? { runUrl: this.options.run.url } : {}),
      started: now.toISOString(),
      expires: new Date(now.getTime() + this.options.lockTimeoutMs).toISOString(),
      planDigest: digest,
    };
    try {
      this.etag = await this.write({ ...base, claim });
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      throw await this.lostRace();
    }
    this.claimed = claim;
    const every = Math.max(1000, Math.floor(this.options.lockTimeoutMs / 3));
    this.refresher = setInterval(() => {
      this.refreshing ??= this.refresh(base).finally(() => (this.refreshing = undefined));
    }, every);
    this.refresher.unref();
  }

  /** Someone wrote the manifest between this run's read and its claim: say who. */
  private async lostRace(): Promise<Refusal> {
    const stored = await this.store.get(this.key).catch(() => undefined);
    let winner = 'another deploy';
    try {
      const manifest = stored && !stored.tooLarge ? decodeManifest(stored.body) : undefined;
      if (manifest?.claim) winner = `another deploy, ${describeClaim(manifest.claim)},`;
      else if (manifest?.publishedBy) {
        const { run, attempt, runUrl, at } = manifest.publishedBy;
        winner = `another deploy, ${runUrl ?? run} (attempt ${attempt}, published ${at}),`;
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
    const now = this.options.now();
    const claim = { ...this.claimed, expires: new Date(now.getTime() + this.options.lockTimeoutMs).toISOString() };
    try {
      this.etag = await this.write({ ...base, claim });
      this.claimed = claim;
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
   * only over this run's own claim (or the manifest as read).
   */
  async publish(next: Manifest): Promise<void> {
    await this.stopRefreshing();
    if (this.lost) throw new DeployError(`Not published: ${this.lost}. Nothing was deleted.`);
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

  /** After a failed upload: lets the prefix go, recording what was written, so the next run need not wait. */
  async abandon(partial: Manifest): Promise<void> {
    await this.stopRefreshing();
    if (!this.claimed || this.lost) return;
    await this.publish(partial).catch((error: unknown) =>
      this.log.warning(`Could not release the claim on ${this.options.target}: ${errorMessage(error)}`),
    );
  }

  /** Stops the refresh timer, whatever happened. */
  async close(): Promise<void> {
    await this.stopRefreshing();
  }
}
