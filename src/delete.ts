/** What deleting needs from S3 (the ObjectStore, or a fake in tests). */
export interface ObjectDeleter {
  deleteKeys(keys: string[]): Promise<Array<{ key: string; message: string }>>;
}

export interface DeleteResult {
  deleted: string[];
  failed: Array<{ key: string; message: string }>;
}

/** Deletes the keys (DeleteObjects, 1,000 a call); a key S3 refuses is reported, not thrown. */
export async function deleteRemoved(store: ObjectDeleter, keys: string[]): Promise<DeleteResult> {
  if (keys.length === 0) return { deleted: [], failed: [] };
  const failed = await store.deleteKeys(keys);
  const failedKeys = new Set(failed.map((failure) => failure.key));
  return { deleted: keys.filter((key) => !failedKeys.has(key)), failed };
}
