// What a test's code writes to stdout, captured instead of printed (workflow commands, log lines).
import { afterEach, beforeEach, jest } from '@jest/globals';

/** Registers the capture for each test of the enclosing block; `chunks` holds what was written so far. */
export function captureStdout(): { chunks: string[] } {
  const captured = { chunks: [] as string[] };
  beforeEach(() => {
    captured.chunks = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.chunks.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  return captured;
}
