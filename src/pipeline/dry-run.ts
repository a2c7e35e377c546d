import type { ObjectHeaders } from './headers.js';
import type { Cdn, ObjectStore } from './ports.js';
import type { SiteFile } from './plan.js';

/**
 * A store for dry runs: reads go to the real store, writes are recorded and never sent. The pipeline runs
 * exactly as it would, so a dry run shows the same plan, counts and invalidation as the real deploy.
 */
export class DryRunStore implements ObjectStore {
  readonly writes: string[] = [];

  constructor(private readonly store: ObjectStore) {}

  list(prefix: string) {
    return this.store.list(prefix);
  }

  head(key: string) {
    return this.store.head(key);
  }

  get(key: string) {
    return this.store.get(key);
  }

  async putFile(file: SiteFile): Promise<string> {
    this.writes.push(`put ${file.key}`);
    return file.md5;
  }

  async copyWithHeaders(file: SiteFile): Promise<string> {
    this.writes.push(`copy ${file.key}`);
    return file.md5;
  }

  async putIfUnchanged(key: string, _body: Buffer, _headers: ObjectHeaders, expectedEtag: string | undefined) {
    this.writes.push(`put ${key}`);
    return expectedEtag ?? 'dry-run';
  }

  async deleteKeys(keys: string[]) {
    for (const key of keys) this.writes.push(`delete ${key}`);
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
