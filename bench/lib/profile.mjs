// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function (functionName + url), with frames of
// the ncc bundle mapped back to their original file and line through dist/index.js.map (a small VLQ decoder,
// no dependencies).
import { readFileSync } from 'node:fs';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** Decodes a source map's `mappings` into, per generated line, sorted [column, source, line] triples. */
export function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let column = 0;
    if (lineText) {
      for (const segmentText of lineText.split(',')) {
        const values = [];
        let value = 0;
        let shift = 0;
        for (const char of segmentText) {
          const digit = BASE64_VALUE.get(char);
          if (digit === undefined) break;
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            values.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        if (values.length === 0) continue;
        column += values[0];
        if (values.length >= 4) {
          source += values[1];
          sourceLine += values[2]; // (the source column and the name index, values[3..4], are not needed)
          segments.push([column, source, sourceLine]);
        }
      }
    }
    lines.push(segments);
  }
  return lines;
}

export function loadSourceMap(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const lines = decodeMappings(map.mappings);
  const sources = map.sources.map((source) => source.replace(/^(\.\.?\/)+/, ''));
  return {
    /** Original `file:line` (1-based) for a 0-based generated position, or undefined. */
    lookup(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return undefined;
      let found;
      for (const segment of segments) {
        if (segment[0] <= column) found = segment;
        else break;
      }
      found ??= segments[0];
      return { source: sources[found[1]], line: found[2] + 1 };
    },
  };
}

/** A short name for where a frame's code comes from. */
function origin(url, mapped) {
  if (mapped) {
    const source = mapped.source;
    const nodeModules = source.lastIndexOf('node_modules/');
    if (nodeModules >= 0) {
      const rest = source.slice(nodeModules + 'node_modules/'.length).split('/');
      return {
        file: `${source.slice(nodeModules)}:${mapped.line}`,
        group: rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0],
      };
    }
    return {
      file: `${source}:${mapped.line}`,
      group: source.startsWith('src/') ? source : source.replace(/^webpack\//, 'webpack '),
    };
  }
  if (!url) return { file: '', group: '(native / V8)' };
  if (url.startsWith('node:')) return { file: url, group: 'node: internals' };
  return { file: url, group: url };
}

/**
 * Self time by function and by origin group. `map` (from loadSourceMap) maps frames whose url ends with
 * `bundleName`. Returns { totalMs, functions: [{ name, file, selfMs, share }], groups: [{ group, selfMs, share }] }.
 */
export function summariseProfile(profileFile, { map, bundleName = 'dist/index.js', top = 20 } = {}) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  // The time from one sample to the next is charged to the earlier sample's frame.
  for (let index = 0; index < samples.length; index += 1) {
    const delta = timeDeltas[index + 1] ?? 0;
    selfUs.set(samples[index], (selfUs.get(samples[index]) ?? 0) + Math.max(0, delta));
  }
  const byFunction = new Map();
  const byGroup = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const mapped =
      map && callFrame.url.endsWith(bundleName) ? map.lookup(callFrame.lineNumber, callFrame.columnNumber) : undefined;
    const where = origin(callFrame.url, mapped);
    const name = callFrame.functionName || '(anonymous)';
    const key = `${name}\u0000${callFrame.url}\u0000${where.file}`;
    const entry = byFunction.get(key) ?? { name, url: callFrame.url, file: where.file, group: where.group, selfUs: 0 };
    entry.selfUs += us;
    byFunction.set(key, entry);
    const group = name.startsWith('(') && !callFrame.url ? name : where.group;
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
    totalUs += us;
  }
  const share = (us) => (totalUs > 0 ? us / totalUs : 0);
  const idleUs = byGroup.get('(idle)') ?? 0;
  return {
    file: profileFile,
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    functions: [...byFunction.values()]
      .sort((a, b) => b.selfUs - a.selfUs)
      .slice(0, top + 1)
      .map((entry) => ({
        name: entry.name,
        file: entry.file,
        group: entry.group,
        selfMs: entry.selfUs / 1000,
        share: share(entry.selfUs),
      })),
    groups: [...byGroup.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top + 1)
      .map(([group, us]) => ({ group, selfMs: us / 1000, share: share(us) })),
  };
}
