// The Prometheus text exposition format, as much of it as the operations page reads: samples with labels.

/** [{name, labels, value}] for every sample line; comments and blank lines are skipped. */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/);
    if (!match) continue;
    samples.push({name: match[1], labels: labels(match[3] ?? ''), value: Number(match[4])});
  }
  return samples;
}

function labels(text) {
  const result = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    result[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return result;
}
