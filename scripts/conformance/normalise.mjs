/**
 * What differs between two clusters for reasons that are not behaviour: uids,
 * resourceVersions, times and ages, addresses, the random suffixes of generated names,
 * the scenario's namespace, and the order of lines kubectl prints from unordered data.
 */

const RULES = [
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>'],
  [/\b\d+(\.\d+)?(ms|s|m|h|d|y)(\d+(ms|s|m|h|d))?\b/g, '<age>'],
  [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>'],
  [/"resourceVersion":\s*"\d+"/g, '"resourceVersion":"<rv>"'],
  // Pod template hashes and generated suffixes: web-5d8f7c9b6-x2k4q, web-x2k4q
  [/-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '-<hash>-<suffix>'],
  [/\b(?<=[a-z0-9])-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '-<suffix>'],
  [/\b(pool|controller)-revision-hash[=:]\s*"?[a-z0-9]+"?/g, '$1-revision-hash=<hash>'],
  [/:\d{4,5}\b/g, ':<port>'],
];

export function normalise(text, namespace) {
  let out = String(text ?? '').replaceAll(namespace, '<ns>');
  for (const [re, to] of RULES) out = out.replace(re, to);
  // Collapse column padding (widths follow the values) and trailing spaces.
  return out
    .split('\n')
    // `rollout status` prints progress while it waits: how often depends on timing alone.
    .filter((l) => !/^Waiting for (deployment|daemon set|\d+ pods|partitioned roll out|statefulset)/.test(l))
    .map((l) => l.replace(/ {2,}/g, '  ').trimEnd())
    .join('\n')
    .trim();
}
