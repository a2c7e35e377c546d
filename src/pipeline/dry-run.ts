import type { ObjectHeaders } from './headers.js';
import type { SiteFile } from './plan.js';
import {
  type Cdn,
  type ConditionalSupport,
  type ObjectStore,
  PreconditionFailed,
  type WriteCondition,
  type Written,
} from './ports.js';
import type { RedirectStore } from './redirects.js';

/**
 * A store for dry runs: reads go to the real store, writes are recorded and never sent. Conditional writes
 * behave as on a store that honours them (against what the real store holds, overlaid with this run's
 * recorded writes), so the pipeline — release protocol included — runs exactly as it would and a dry run
 * shows the same plan, counts, refusals and invalidation as the real deploy. Only whether the real store
 * honours conditional writes stays `unchecked`: finding out takes a write.
 */
export class DryRunStore implements ObjectStore {
  readonly writes: string[] = [];
  /** ETags of the objects this dry run "wrote" (undefined: "deleted"). */
  private readonly overlay = new Map<string, string | undefined>();

  constructor(private readonly store: ObjectStore) {}

  listPages(prefix: string, startAfter?: string) {
    return this.store.listPages(prefix, startAfter);
  }

  head(key: string, options?: { checksums?: boolean; versionId?: string }) {
    return this.store.head(key, options);
  }

  get(key: string, options?: { versionId?: string }) {
    return this.store.get(key, options);
  }

  throttled(): number {
    return this.store.throttled();
  }

  async putFile(file: SiteFile): Promise<Written> {
    this.writes.push(`put ${file.key}`);
    return { etag: file.md5 };
  }

  async copyWithHeaders(file: SiteFile): Promise<Written> {
    this.writes.push(`copy ${file.key}`);
    return { etag: file.md5 };
  }

  async copyVersion(key: string, versionId: string): Promise<Written> {
    this.writes.push(`copy ${key}?versionId=${versionId}`);
    return { etag: `dry-run-${this.writes.length}` };
  }

  async putRedirect(key: string, location: string): Promise<Written> {
    this.writes.push(`redirect ${key} -> ${location}`);
    return { etag: 'd41d8cd98f00b204e9800998ecf8427e' };
  }

  async conditionalWrites(): Promise<ConditionalSupport> {
    return 'unchecked';
  }

  private async currentEtag(key: string): Promise<string | undefined> {
    if (this.overlay.has(key)) return this.overlay.get(key);
    return (await this.store.head(key))?.etag;
  }

  async putObject(key: string, _body: Buffer, _headers: ObjectHeaders, condition?: WriteCondition): Promise<Written> {
    if (condition) {
      const current = await this.currentEtag(key);
      const holds = 'ifMatch' in condition ? current === condition.ifMatch : current === undefined;
      if (!holds) throw new PreconditionFailed(key);
    }
    const etag = `dry-run-${this.writes.length + 1}`;
    this.writes.push(`put ${key}`);
    this.overlay.set(key, etag);
    return { etag };
  }

  async deleteKeys(keys: string[]) {
    for (const key of keys) {
      this.writes.push(`delete ${key}`);
      this.overlay.set(key, undefined);
    }
    return [];
  }
}

/** A CDN for dry runs: the invalidation is recorded, not sent, and has no ID. */
export class DryRunCdn implements Cdn {
  readonly invalidations: string[][] = [];

  async invalidate(paths: string[]): Promise<undefined> {
    this.invalidations.push(paths);
    return undefined;
  }

  async waitFor(): Promise<void> {}
}

/** A redirect store for dry runs: read from the real one, updates recorded and never sent. */
export class DryRunRedirectStore implements RedirectStore {
  readonly updates: Array<{ put: string[]; delete: string[] }> = [];

  constructor(private readonly store: RedirectStore) {}

  read() {
    return this.store.read();
  }

  async update(etag: string, put: Array<{ key: string; value: string }>, del: string[]): Promise<string> {
    this.updates.push({ put: put.map((entry) => entry.key), delete: del });
    return etag;
  }
}

/** The remote ports of a run: as given, or — for a dry run — the read-only stand-ins over them. */
export function remotePorts(
  remote: { store: ObjectStore; cdn?: Cdn; redirects?: RedirectStore },
  dryRun: boolean,
): { store: ObjectStore; cdn: Cdn | undefined; redirects: RedirectStore | undefined } {
  const { store, cdn, redirects } = remote;
  if (!dryRun) return { store, cdn, redirects };
  return {
    store: new DryRunStore(store),
    cdn: cdn ? new DryRunCdn() : undefined,
    redirects: redirects ? new DryRunRedirectStore(redirects) : undefined,
  };
}
