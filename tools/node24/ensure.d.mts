export const NODE24_DIR: string;
export const NODE24: string;
export const NODE24_VERSION: string;
export const NODE24_SUPPORTED: boolean;
export function ensureNode24(): string | undefined;
