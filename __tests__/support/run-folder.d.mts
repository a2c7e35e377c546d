export const RUN_PREFIX: string;
export function removeTree(folder: string): void;
export function removeRunFolder(run: string): string[];
export function removeStaleRunFolders(parent: string): void;
