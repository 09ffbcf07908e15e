#!/usr/bin/env node
// Extracts from GitHub's published REST description (@octokit/openapi: 385 MB, so not a dependency) only the
// operations the gate calls, with every schema they reference, into src/testing/openapi/github-rest-subset.json.
// The test server (src/testing/github-server.ts) validates every request and response against that file, so the
// tests fail when the gate sends anything GitHub does not document. Rerun after adding an API call:
//   npm install --no-save @octokit/openapi && node scripts/extract-openapi.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const OUT = 'src/testing/openapi/github-rest-subset.json';

/** Every REST operation src/github/*.ts calls: [method, path template, operationId (checked)]. */
const OPERATIONS = [
  ['get', '/user', 'users/get-authenticated'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}', 'pulls/get'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/files', 'pulls/list-files'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', 'pulls/list-reviews'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'issues/list-comments'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'issues/create-comment'],
  ['patch', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 'issues/update-comment'],
  ['delete', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 'issues/delete-comment'],
  ['get', '/orgs/{org}/teams/{team_slug}/members', 'teams/list-members-in-org'],
  ['get', '/repos/{owner}/{repo}/git/trees/{tree_sha}', 'git/get-tree'],
  ['get', '/repos/{owner}/{repo}/git/blobs/{file_sha}', 'git/get-blob']
];

/** Documentation-only keys: dropped to keep the file small (validation does not read them). */
const DROP = new Set([
  'description',
  'summary',
  'externalDocs',
  'example',
  'tags',
  'x-github',
  'x-octokit',
  'discriminator'
]);

const require = createRequire(import.meta.url);
let specPath;
try {
  specPath = require.resolve('@octokit/openapi/generated/api.github.com.json');
} catch {
  console.error(
    'extract-openapi: @octokit/openapi is not installed (npm install --no-save @octokit/openapi), nothing done'
  );
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8'));
const spec = JSON.parse(readFileSync(specPath, 'utf8'));

const wantedSchemas = new Set();

function lookup(ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let node = spec;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node;
}

/** Copies a schema, dropping documentation keys and collecting every components/schemas it references. */
function cleanSchema(node) {
  if (Array.isArray(node)) return node.map(cleanSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === '$ref') {
      const match = /^#\/components\/schemas\/(.+)$/.exec(value);
      if (!match) throw new Error(`unexpected schema $ref ${value}`);
      if (!wantedSchemas.has(match[1])) {
        wantedSchemas.add(match[1]);
        cleanSchema(lookup(value)); // walk it now so its own references are collected
      }
    }
    // a property may be *named* "description" or "example": only drop documentation keys outside "properties"
    out[key] = key === 'properties' ? mapValues(value, cleanSchema) : cleanSchema(value);
  }
  return out;
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v)]));
}

function resolve(node) {
  return node && typeof node === 'object' && typeof node.$ref === 'string' ? resolve(lookup(node.$ref)) : node;
}

function exampleOf(media) {
  const first = media?.examples ? Object.values(media.examples)[0] : undefined;
  const value = resolve(first)?.value;
  return value === undefined ? null : value;
}

const operations = OPERATIONS.map(([method, path, operationId]) => {
  const op = spec.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the REST description`);
  if (op.operationId !== operationId)
    throw new Error(`${path}: operationId ${op.operationId}, expected ${operationId}`);
  const parameters = (op.parameters ?? []).map(resolve).map((p) => ({
    name: p.name,
    in: p.in,
    required: p.required === true,
    schema: cleanSchema(p.schema ?? {}),
    ...(p['x-multi-segment'] ? { multiSegment: true } : {})
  }));
  const body = resolve(op.requestBody);
  const requestBody = body
    ? { required: body.required === true, schema: cleanSchema(body.content['application/json'].schema) }
    : null;
  const responses = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const media = resolve(response).content?.['application/json'];
    responses[status] = media ? { schema: cleanSchema(media.schema), example: exampleOf(media) } : { schema: null };
  }
  return { operationId, method: method.toUpperCase(), path, parameters, requestBody, responses };
});

const schemas = {};
for (const name of [...wantedSchemas].sort()) schemas[name] = cleanSchema(spec.components.schemas[name]);

const subset = {
  source: {
    package: `@octokit/openapi@${pkg.version}`,
    file: 'generated/api.github.com.json',
    api_version: spec.info.version
  },
  operations,
  components: { schemas }
};
mkdirSync(dirname(OUT), { recursive: true });
let text = JSON.stringify(subset, null, 2) + '\n';
try {
  // formatted as the repository's `prettier --check .` expects
  const prettier = await import('prettier');
  text = await prettier.format(text, { ...(await prettier.resolveConfig(OUT)), parser: 'json' });
} catch {
  // prettier is a dev dependency; without it the file is still valid JSON
}
writeFileSync(OUT, text);
console.log(`extract-openapi: ${operations.length} operations, ${Object.keys(schemas).length} schemas → ${OUT}`);
