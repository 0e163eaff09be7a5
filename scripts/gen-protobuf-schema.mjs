#!/usr/bin/env node
/**
 * Writes packages/sim/src/api/protobuf-schema.json: the field numbers and types of every
 * message in k8s.io/api and the apimachinery types they use, read from the modules'
 * generated.proto files (downloaded from the Go module proxy), so that the simulated
 * cluster can read the protobuf bodies kubectl 1.32+ sends for `kubectl create ...`.
 *
 *   node scripts/gen-protobuf-schema.mjs [v0.35.4]
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const version = process.argv[2] ?? 'v0.35.4';
const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const dir = (mod) => {
  const json = execFileSync('go', ['mod', 'download', '-json', `${mod}@${version}`], { encoding: 'utf8', cwd: '/' });
  return JSON.parse(json).Dir ?? join(modCache, `${mod}@${version}`);
};

function protoFiles(root) {
  const out = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (statSync(path).isDirectory()) out.push(...protoFiles(path));
    else if (entry === 'generated.proto') out.push(path);
  }
  return out;
}

const files = [
  ...protoFiles(dir('k8s.io/api')),
  ...['pkg/apis/meta/v1', 'pkg/api/resource', 'pkg/util/intstr', 'pkg/runtime'].map((p) => join(dir('k8s.io/apimachinery'), p, 'generated.proto')),
];

/**
 * Per Go struct, per protobuf field number: the JSON name and whether a zero value is kept.
 * Go writes every non-pointer field to protobuf, zero or not, but its JSON leaves zero
 * `omitempty` fields out: the sim must tell them apart to store what the API server would.
 */
function goFields(protoFile) {
  const out = new Map();
  const goDir = dirname(protoFile);
  for (const entry of readdirSync(goDir)) {
    if (!entry.endsWith('.go') || entry.endsWith('_test.go')) continue;
    const text = readFileSync(join(goDir, entry), 'utf8');
    for (const m of text.matchAll(/^type\s+(\w+)\s+struct\s*\{([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const f of m[2].matchAll(/^\s*\w+\s+(\S+)\s+`json:"([^"]*)"[^`]*protobuf:"[^",]*,(\d+),/gm)) {
        const [name, ...opts] = f[2].split(',');
        fields.set(Number(f[3]), { name, keepZero: f[1].startsWith('*') || !opts.includes('omitempty') });
      }
      out.set(m[1], fields);
    }
  }
  return out;
}

/** message -> [[number, jsonName, type, label, keepZero]]; label: '' | 'r' (repeated) | 'm:<key>' (map). */
const schema = {};
for (const file of files) {
  const structs = goFields(file);
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const pkg = /^package\s+([\w.]+);/m.exec(text)[1];
  for (const m of text.matchAll(/^message\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields = [];
    const go = structs.get(m[1]) ?? new Map();
    for (const f of m[2].matchAll(/^\s*(optional|repeated)?\s*(map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)/gm)) {
      const [, label, type, mapKey, mapValue, name, number] = f;
      const qualify = (t) => (/^(string|bytes|bool|int32|int64|uint32|uint64|sint32|sint64|double|float|fixed32|fixed64)$/.test(t) ? t : t.startsWith('.') ? t.slice(1) : `${pkg}.${t}`);
      const json = go.get(Number(number));
      const jsonName = json?.name || name;
      if (mapKey) fields.push([Number(number), jsonName, qualify(mapValue), `m:${mapKey}`, 0]);
      else fields.push([Number(number), jsonName, qualify(type), label === 'repeated' ? 'r' : '', json?.keepZero === false ? 0 : 1]);
    }
    schema[`${pkg}.${m[1]}`] = fields;
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'sim', 'src', 'api', 'protobuf-schema.json');
writeFileSync(out, `${JSON.stringify({ source: `k8s.io/api and k8s.io/apimachinery ${version} generated.proto`, messages: schema })}\n`);
console.log(`${Object.keys(schema).length} messages from ${files.length} files -> ${out}`);
