/**
 * A fake GitHub REST API for tests: a real HTTP server on 127.0.0.1 (random port) with in-memory state,
 * GitHub's pagination (per_page, page, Link rel="next"/"last"), fault injection and a request log.
 *
 * Every request is checked against GitHub's published REST description (the subset extracted by
 * scripts/extract-openapi.mjs): an undocumented method + path, an undocumented or invalid query parameter,
 * or a body that does not match the operation's request schema gets HTTP 400 and is recorded in
 * `violations`, which the tests assert is empty. Responses are checked against the documented response
 * schemas too, so the fake cannot drift from the shapes GitHub really sends.
 * Not bundled: only tests import this module.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

// ---------------------------------------------------------------------------------------------------------------
// The REST description subset

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Record<string, unknown>;
  multiSegment?: boolean;
}

interface OpenApiOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: OpenApiParameter[];
  requestBody: { required: boolean; schema: Record<string, unknown> } | null;
  responses: Record<string, { schema: Record<string, unknown> | null; example?: unknown }>;
}

interface RestSubset {
  source: { package: string; api_version: string };
  operations: OpenApiOperation[];
  components: { schemas: Record<string, unknown> };
}

const SUBSET: RestSubset = JSON.parse(
  readFileSync(new URL('./openapi/github-rest-subset.json', import.meta.url), 'utf8')
) as RestSubset;

/** `#/components/...` → `api#/components/...`, so each operation's schema resolves against one shared document. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\//, 'api#/components/') : rewriteRefs(v)
    ])
  );
}

interface CompiledOperation {
  op: OpenApiOperation;
  pattern: RegExp;
  pathParams: OpenApiParameter[];
  /** literal segments: more specific templates are tried first */
  literals: number;
  query: Map<string, { param: OpenApiParameter; validate: ValidateFunction }>;
  pathValidators: Map<string, ValidateFunction>;
  body: ValidateFunction | null;
  responses: Map<string, ValidateFunction>;
}

function compileOperations(): CompiledOperation[] {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
  const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addSchema({ $id: 'api', components: rewriteRefs(SUBSET.components) as object });
  const compile = (schema: unknown): ValidateFunction => ajv.compile(rewriteRefs(schema) as object);
  return SUBSET.operations
    .map((op) => {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const source = op.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{([a-z_]+)\\?\}/g, (_m, name: string) => {
          const param = pathParams.find((p) => p.name === name);
          return param?.multiSegment ? '(.+)' : '([^/]+)';
        });
      const query = new Map(
        op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, { param: p, validate: compile(p.schema) }])
      );
      const responses = new Map<string, ValidateFunction>();
      for (const [status, response] of Object.entries(op.responses)) {
        if (response.schema) responses.set(status, compile(response.schema));
      }
      return {
        op,
        pattern: new RegExp(`^${source}$`),
        pathParams,
        literals: op.path.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
        query,
        pathValidators: new Map(pathParams.map((p) => [p.name, compile(p.schema)])),
        body: op.requestBody ? compile(op.requestBody.schema) : null,
        responses
      };
    })
    .sort((a, b) => b.literals - a.literals);
}

let compiledOperations: CompiledOperation[] | null = null;

/** Parameter values arrive as strings: read integers and booleans as the schema says before validating. */
function coerce(value: string, schema: Record<string, unknown>): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function ajvMessage(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim())
    .join('; ');
}

// ---------------------------------------------------------------------------------------------------------------
// State

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/**
 * What a token is: a user's PAT (GET /user answers) or an installation token (GITHUB_TOKEN or a GitHub App:
 * GET /user is 403, comments show the app's bot user and performed_via_github_app). `write: false` models the
 * read-only token of a fork pull request.
 */
export interface FakeToken {
  kind: 'user' | 'installation';
  user: FakeUser;
  write: boolean;
  /** the installation's app slug (installation tokens) */
  app?: string;
  /** teams ("org/slug") whose membership this token may read; others answer 404 as GitHub does */
  canReadTeams?: boolean;
}

export interface FakePull {
  number: number;
  author: string;
  head: { sha: string; ref: string; repo?: string };
  base: { sha: string; ref: string };
  state?: 'open' | 'closed';
  files?: { filename: string; status: string; previous_filename?: string }[];
  /** as many files as GitHub reports in changed_files (the files API stops at 3000) */
  changedFilesCount?: number;
  reviews?: FakeReview[];
}

export interface FakeReview {
  user: string | null;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commit_id: string;
  submitted_at?: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  user: FakeUser;
  body: string;
  app: string | null;
  created_at: string;
  updated_at: string;
}

export interface FakeTreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  operationId: string | null;
  token: string | null;
}

/**
 * One injected fault, matched by method and path (a string is the exact pathname). `times` (default 1) counts
 * down on each match. Kinds:
 * - respond: answer with `status`, `headers`, `body` instead of the real handler;
 * - timeout: never answer (the client's timeout fires);
 * - apply-then-timeout / apply-then-status: run the real handler (the change happens) but then never answer,
 *   or answer `status` — what a gateway timeout after a committed write looks like to a client;
 * - cut-then-reset / cut-then-stall: run the real handler, send its status, headers and the first half of its
 *   body (or the first `cutAt` characters), then reset the connection, or never send the rest.
 * `raw` (respond only) is sent as the body text as it is — an empty or malformed body — instead of `body` as JSON.
 * `query`, when given, must match too: every listed parameter has that value (e.g. `{ page: '2' }`).
 */
export interface Fault {
  method: string;
  path: string | RegExp;
  times?: number;
  kind?: 'respond' | 'timeout' | 'apply-then-timeout' | 'apply-then-status' | 'cut-then-reset' | 'cut-then-stall';
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  cutAt?: number;
  query?: Record<string, string>;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  tokens?: Record<string, FakeToken>;
  /** added latency per request, [min, max] ms, drawn from a seeded PRNG: lets concurrent clients interleave */
  latencyMs?: [number, number];
  seed?: number;
}

export const GITHUB_ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export const DEFAULT_TOKENS: Record<string, FakeToken> = {
  'ghs_actions-token': { kind: 'installation', user: GITHUB_ACTIONS_BOT, write: true, app: 'github-actions' },
  'ghs_fork-token': { kind: 'installation', user: GITHUB_ACTIONS_BOT, write: false, app: 'github-actions' },
  'ghp_release-bot': {
    kind: 'user',
    user: { login: 'release-bot', id: 7001, type: 'User' },
    write: true,
    canReadTeams: true
  }
};

const FIXED_EPOCH = Date.parse('2026-04-07T09:00:00Z');

/** mulberry32: a tiny seeded PRNG (deterministic latency) */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

function example(operationId: string, status: string): Record<string, unknown> {
  const op = SUBSET.operations.find((o) => o.operationId === operationId);
  const value = op?.responses[status]?.example;
  if (value === undefined || value === null) throw new Error(`no example for ${operationId} ${status}`);
  const copy = structuredClone(value);
  return (Array.isArray(copy) ? copy[0] : copy) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// The server

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly tokens: Record<string, FakeToken>;
  readonly pulls = new Map<number, FakePull>();
  readonly comments: FakeComment[] = [];
  /** "org/slug" → member logins, or an HTTP status the members endpoint answers with */
  readonly teams = new Map<string, string[] | number>();
  readonly trees = new Map<string, { entries: FakeTreeEntry[]; truncated?: boolean }>();
  readonly blobs = new Map<string, Buffer>();
  readonly log: LoggedRequest[] = [];
  /** requests that GitHub's REST description does not allow, and responses that do not match it */
  readonly violations: string[] = [];
  private readonly faults: Fault[] = [];
  private readonly gatherings: {
    method: string;
    path: string | RegExp;
    count: number;
    waiting: (() => void)[];
    waitMs: number;
  }[] = [];
  private readonly random: () => number;
  private readonly latency: [number, number];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private nextCommentId = 2_000_000_001;
  private clock = 0;
  url = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'support-triage';
    this.tokens = { ...DEFAULT_TOKENS, ...(options.tokens ?? {}) };
    this.random = prng(options.seed ?? 7);
    this.latency = options.latencyMs ?? [0, 0];
    compiledOperations ??= compileOperations();
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  addPull(pull: FakePull): this {
    this.pulls.set(pull.number, { state: 'open', files: [], reviews: [], ...pull });
    return this;
  }

  /** A comment already on the PR (another user's, a forged marker, an older run's …). */
  addComment(issue: number, user: FakeUser, body: string, app: string | null = null): FakeComment {
    const comment = this.newComment(issue, user, body, app);
    this.comments.push(comment);
    return comment;
  }

  inject(fault: Fault): this {
    this.faults.push({ times: 1, kind: 'respond', ...fault });
    return this;
  }

  /**
   * Holds the next requests matching method and path until `count` of them have arrived, then lets them all
   * through together: a race made certain (every client has read before any writes), not left to timing.
   * A gathering that never fills is let through after `waitMs`.
   */
  gather(method: string, path: string | RegExp, count: number, waitMs = 5000): this {
    this.gatherings.push({ method, path, count, waiting: [], waitMs });
    return this;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue).sort((a, b) => a.id - b.id);
  }

  /** The log as "METHOD /path?query" lines, for exact-call assertions. */
  calls(): string[] {
    return this.log.map((r) => {
      const query = new URLSearchParams(r.query).toString();
      return `${r.method} ${r.path}${query ? `?${query}` : ''} → ${r.status}`;
    });
  }

  private newComment(issue: number, user: FakeUser, body: string, app: string | null): FakeComment {
    const at = new Date(FIXED_EPOCH + ++this.clock * 1000).toISOString().replace('.000Z', 'Z');
    return { id: this.nextCommentId++, issue, user, body, app, created_at: at, updated_at: at };
  }

  private gathered(method: string, path: string): Promise<void> {
    const index = this.gatherings.findIndex(
      (g) => g.method === method && (typeof g.path === 'string' ? g.path === path : g.path.test(path))
    );
    if (index < 0) return Promise.resolve();
    const gathering = this.gatherings[index]!;
    const release = () => {
      const i = this.gatherings.indexOf(gathering);
      if (i >= 0) this.gatherings.splice(i, 1);
      for (const go of gathering.waiting.splice(0)) go();
    };
    const arrived = new Promise<void>((resolve) => gathering.waiting.push(resolve));
    if (gathering.waiting.length >= gathering.count) release();
    else if (gathering.waiting.length === 1) setTimeout(release, gathering.waitMs).unref();
    return arrived;
  }

  private takeFault(method: string, path: string, query: Record<string, string> = {}): Fault | null {
    const index = this.faults.findIndex(
      (f) =>
        f.method === method &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)) &&
        Object.entries(f.query ?? {}).every(([name, value]) => query[name] === value)
    );
    if (index < 0) return null;
    const fault = this.faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const auth = req.headers.authorization ?? null;
    const token = auth ? auth.replace(/^(token|bearer)\s+/i, '') : null;
    const entry: LoggedRequest = { method, path: url.pathname, query, body: null, status: 0, operationId: null, token };
    this.log.push(entry);

    const [min, max] = this.latency;
    if (max > 0) await new Promise((r) => setTimeout(r, min + Math.floor(this.random() * (max - min + 1))));

    const send = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
      how: { raw?: string; cut?: 'reset' | 'stall'; cutAt?: number } = {}
    ): void => {
      entry.status = status;
      if (res.destroyed) return;
      const text = how.raw ?? (body === undefined ? '' : JSON.stringify(body));
      res.writeHead(status, {
        ...(text || how.raw !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-github-request-id': `FAKE:${this.log.length}`,
        ...headers
      });
      if (how.cut === undefined) {
        res.end(text);
        return;
      }
      res.write(text.slice(0, how.cutAt ?? Math.floor(text.length / 2)));
      if (how.cut === 'reset') setTimeout(() => res.socket?.destroy(), 20).unref();
    };

    try {
      let body: unknown = null;
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw this.violation(400, `${method} ${url.pathname}: the body is not JSON`);
        }
      }
      entry.body = body;
      const { op, params } = this.route(method, url.pathname, query, body, raw !== '');
      entry.operationId = op.op.operationId;

      await this.gathered(method, url.pathname);
      const fault = this.takeFault(method, url.pathname, query);
      if (fault?.kind === 'timeout') return; // never answer: the client's timeout fires
      if (fault?.kind === 'respond') {
        send(fault.status ?? 500, fault.body ?? { message: 'Server Error' }, fault.headers, { raw: fault.raw });
        return;
      }
      const result = this.dispatch(op.op.operationId, params, query, body, token);
      if (fault?.kind === 'apply-then-timeout') return;
      if (fault?.kind === 'apply-then-status') {
        send(fault.status ?? 502, fault.body ?? { message: 'Bad Gateway' }, fault.headers);
        return;
      }
      if (fault?.kind === 'cut-then-reset' || fault?.kind === 'cut-then-stall') {
        send(result.status, result.body, result.headers, {
          cut: fault.kind === 'cut-then-reset' ? 'reset' : 'stall',
          cutAt: fault.cutAt
        });
        return;
      }
      const validate = op.responses.get(String(result.status));
      if (validate && result.body !== undefined && !validate(result.body)) {
        this.violations.push(
          `response of ${op.op.operationId} (${result.status}) does not match GitHub's schema: ${ajvMessage(validate)}`
        );
      }
      send(result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof HttpError) {
        send(
          error.status,
          {
            message: error.message,
            documentation_url: 'https://docs.github.com/rest',
            status: String(error.status)
          },
          error.headers
        );
      } else {
        this.violations.push(`test server crashed on ${method} ${url.pathname}: ${String(error)}`);
        send(500, { message: String(error) });
      }
    }
  }

  private violation(status: number, message: string): HttpError {
    const text = `agent-gate test server: ${message}`;
    this.violations.push(text);
    process.stderr.write(`\n*** ${text}\n`);
    return new HttpError(status, text);
  }

  /** Matches a documented operation and validates its path, query and body; throws HTTP 400 otherwise. */
  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    hasBody: boolean
  ): { op: CompiledOperation; params: Record<string, string> } {
    for (const op of compiledOperations!) {
      if (op.op.method !== method) continue;
      const match = op.pattern.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      op.pathParams.forEach((p, i) => (params[p.name] = decodeURIComponent(match[i + 1]!)));
      // a template like /issues/{issue_number}/comments also matches /issues/comments/…: check the values
      const bad = op.pathParams.find((p) => !op.pathValidators.get(p.name)!(coerce(params[p.name]!, p.schema)));
      if (bad) continue;
      for (const [name, value] of Object.entries(query)) {
        const q = op.query.get(name);
        if (!q) throw this.violation(400, `${method} ${op.op.path}: query parameter "${name}" is not documented`);
        if (!q.validate(coerce(value, q.param.schema))) {
          throw this.violation(400, `${method} ${op.op.path}: query ${name}=${value}: ${ajvMessage(q.validate)}`);
        }
      }
      for (const q of op.query.values()) {
        if (q.param.required && !(q.param.name in query)) {
          throw this.violation(400, `${method} ${op.op.path}: required query parameter "${q.param.name}" missing`);
        }
      }
      if (op.body) {
        if (!hasBody && op.op.requestBody?.required) {
          throw this.violation(400, `${method} ${op.op.path}: the request body is required`);
        }
        if (hasBody && !op.body(body)) {
          throw this.violation(
            400,
            `${method} ${op.op.path}: the body does not match GitHub's schema: ${ajvMessage(op.body)}`
          );
        }
      } else if (hasBody) {
        throw this.violation(400, `${method} ${op.op.path}: this operation takes no request body`);
      }
      return { op, params };
    }
    throw this.violation(400, `${method} ${path} is not a documented GitHub REST operation (in the gate's subset)`);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Handlers

  private authenticate(token: string | null): FakeToken {
    if (token === null) throw new HttpError(401, 'Requires authentication');
    const found = this.tokens[token];
    if (!found) throw new HttpError(401, 'Bad credentials');
    return found;
  }

  private requireWrite(identity: FakeToken): void {
    if (!identity.write) throw new HttpError(403, 'Resource not accessible by integration');
  }

  private pull(params: Record<string, string>): FakePull {
    this.repoMustMatch(params);
    const pull = this.pulls.get(Number(params.pull_number ?? params.issue_number));
    if (!pull) throw new HttpError(404, 'Not Found');
    return pull;
  }

  private repoMustMatch(params: Record<string, string>): void {
    if (params.owner !== this.owner || params.repo !== this.repo) throw new HttpError(404, 'Not Found');
  }

  private dispatch(
    operationId: string,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
    token: string | null
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const identity = this.authenticate(token);
    const path = (tail: string): string => `/repos/${this.owner}/${this.repo}${tail}`;
    switch (operationId) {
      case 'users/get-authenticated': {
        if (identity.kind === 'installation') throw new HttpError(403, 'Resource not accessible by integration');
        return { status: 200, body: this.userJson(identity.user, 'users/get-authenticated') };
      }
      case 'pulls/get':
        return { status: 200, body: this.pullJson(this.pull(params)) };
      case 'pulls/list-files': {
        const pull = this.pull(params);
        // GitHub lists at most 3000 files of a pull request
        const files = (pull.files ?? []).slice(0, 3000).map((f, i) => this.fileJson(f, i));
        return this.page(files, query, path(`/pulls/${pull.number}/files`));
      }
      case 'pulls/list-reviews': {
        const pull = this.pull(params);
        const reviews = (pull.reviews ?? []).map((r, i) => this.reviewJson(r, i, pull));
        return this.page(reviews, query, path(`/pulls/${pull.number}/reviews`));
      }
      case 'issues/list-comments': {
        const pull = this.pull(params);
        const list = this.commentsOn(pull.number).map((c) => this.commentJson(c));
        return this.page(list, query, path(`/issues/${pull.number}/comments`));
      }
      case 'issues/create-comment': {
        const pull = this.pull(params);
        this.requireWrite(identity);
        const comment = this.newComment(
          pull.number,
          identity.user,
          (body as { body: string }).body,
          identity.app ?? null
        );
        this.comments.push(comment);
        return {
          status: 201,
          body: this.commentJson(comment),
          headers: { location: `${this.url}${path(`/issues/comments/${comment.id}`)}` }
        };
      }
      case 'issues/update-comment': {
        this.repoMustMatch(params);
        const comment = this.comments.find((c) => c.id === Number(params.comment_id));
        if (!comment) throw new HttpError(404, 'Not Found');
        this.requireWrite(identity);
        comment.body = (body as { body: string }).body;
        comment.updated_at = new Date(FIXED_EPOCH + ++this.clock * 1000).toISOString().replace('.000Z', 'Z');
        return { status: 200, body: this.commentJson(comment) };
      }
      case 'issues/delete-comment': {
        this.repoMustMatch(params);
        const index = this.comments.findIndex((c) => c.id === Number(params.comment_id));
        if (index < 0) throw new HttpError(404, 'Not Found');
        this.requireWrite(identity);
        this.comments.splice(index, 1);
        return { status: 204 };
      }
      case 'teams/list-members-in-org': {
        const team = this.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
        if (typeof team === 'number') throw new HttpError(team, team === 403 ? 'Forbidden' : 'Not Found');
        // GitHub answers 404 (not 403) when the token may not see the team
        if (team === undefined || !identity.canReadTeams) throw new HttpError(404, 'Not Found');
        const members = team.map((login, i) =>
          this.userJson({ login, id: 9000 + i, type: 'User' }, 'teams/list-members-in-org')
        );
        return this.page(members, query, `/orgs/${params.org}/teams/${params.team_slug}/members`);
      }
      case 'git/get-tree': {
        this.repoMustMatch(params);
        const tree = this.trees.get(params.tree_sha!);
        if (!tree) throw new HttpError(404, 'Not Found');
        return {
          status: 200,
          body: {
            sha: params.tree_sha,
            url: `${this.url}${path(`/git/trees/${params.tree_sha}`)}`,
            truncated: tree.truncated ?? false,
            tree: tree.entries.map((e) => ({
              path: e.path,
              mode: e.mode,
              type: e.type,
              sha: e.sha,
              ...(e.type === 'blob' ? { size: e.size ?? this.blobs.get(e.sha)?.length ?? 0 } : {}),
              url: `${this.url}${path(`/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`)}`
            }))
          }
        };
      }
      case 'git/get-blob': {
        this.repoMustMatch(params);
        const blob = this.blobs.get(params.file_sha!);
        if (!blob) throw new HttpError(404, 'Not Found');
        return {
          status: 200,
          body: {
            sha: params.file_sha,
            node_id: `B_${params.file_sha}`,
            size: blob.length,
            url: `${this.url}${path(`/git/blobs/${params.file_sha}`)}`,
            content: blob.toString('base64').replace(/(.{60})/g, '$1\n'),
            encoding: 'base64'
          }
        };
      }
      default:
        throw this.violation(400, `no handler for ${operationId}`);
    }
  }

  /** GitHub's pagination: per_page (default 30, at most 100), page (from 1), Link with next/last/first/prev. */
  private page(
    items: unknown[],
    query: Record<string, string>,
    pathname: string
  ): { status: number; body: unknown[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30)));
    const page = Math.max(1, Number(query.page ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number): string => {
      const q = new URLSearchParams({ ...query, per_page: String(perPage), page: String(n) });
      return `<${this.url}${pathname}?${q.toString()}>`;
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) rels.push(`${link(1)}; rel="first"`);
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: rels.length > 0 ? { link: rels.join(', ') } : {}
    };
  }

  private userJson(user: FakeUser, operationId: string): Record<string, unknown> {
    const template = example(operationId, '200');
    const base = `${this.url}/users/${user.login}`;
    return {
      ...template,
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      type: user.type,
      url: base,
      html_url: `https://github.test/${user.login}`
    };
  }

  private simpleUser(user: FakeUser): Record<string, unknown> {
    const template = example('issues/list-comments', '200').user as Record<string, unknown>;
    return {
      ...template,
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      type: user.type,
      url: `${this.url}/users/${encodeURIComponent(user.login)}`,
      html_url: `https://github.test/${encodeURIComponent(user.login)}`
    };
  }

  private appJson(slug: string): Record<string, unknown> {
    return {
      id: 15368,
      slug,
      node_id: 'MDM6QXBwMTUzNjg=',
      owner: this.simpleUser({ login: 'github', id: 9919, type: 'User' }),
      name: slug === 'github-actions' ? 'GitHub Actions' : slug,
      description: null,
      external_url: `https://github.test/apps/${slug}`,
      html_url: `https://github.test/apps/${slug}`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2024-04-10T20:33:16Z',
      permissions: { issues: 'write', pull_requests: 'write', metadata: 'read' },
      events: []
    };
  }

  private commentJson(c: FakeComment): Record<string, unknown> {
    const template = example('issues/list-comments', '200');
    return {
      ...template,
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${c.id}`,
      html_url: `https://github.test/${this.owner}/${this.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${c.issue}`,
      body: c.body,
      user: this.simpleUser(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: c.app ? this.appJson(c.app) : null
    };
  }

  private reviewJson(r: FakeReview, index: number, pull: FakePull): Record<string, unknown> {
    const template = example('pulls/list-reviews', '200');
    const id = 80 + index;
    return {
      ...template,
      id,
      node_id: `PRR_${id}`,
      user: r.user === null ? null : this.simpleUser({ login: r.user, id: 5000 + index, type: 'User' }),
      body: '',
      state: r.state,
      commit_id: r.commit_id,
      html_url: `https://github.test/${this.owner}/${this.repo}/pull/${pull.number}#pullrequestreview-${id}`,
      pull_request_url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${pull.number}`,
      ...(r.state === 'PENDING' ? {} : { submitted_at: r.submitted_at ?? '2026-04-07T10:00:00Z' }),
      author_association: 'MEMBER'
    };
  }

  private fileJson(f: { filename: string; status: string; previous_filename?: string }, i: number) {
    return {
      sha: (i + 1).toString(16).padStart(40, '0'),
      filename: f.filename,
      status: f.status,
      additions: 1,
      deletions: 0,
      changes: 1,
      blob_url: `https://github.test/${this.owner}/${this.repo}/blob/x/${f.filename}`,
      raw_url: `https://github.test/${this.owner}/${this.repo}/raw/x/${f.filename}`,
      contents_url: `${this.url}/repos/${this.owner}/${this.repo}/contents/${f.filename}`,
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {})
    };
  }

  private pullJson(pull: FakePull): Record<string, unknown> {
    const template = example('pulls/get', '200');
    const head = template.head as Record<string, unknown>;
    const base = template.base as Record<string, unknown>;
    return {
      ...template,
      number: pull.number,
      state: pull.state ?? 'open',
      user: this.simpleUser({ login: pull.author, id: 3000, type: 'User' }),
      head: {
        ...head,
        sha: pull.head.sha,
        ref: pull.head.ref,
        label: `${pull.head.repo ?? this.owner}:${pull.head.ref}`
      },
      base: { ...base, sha: pull.base.sha, ref: pull.base.ref, label: `${this.owner}:${pull.base.ref}` },
      requested_teams: [],
      changed_files: pull.changedFilesCount ?? pull.files?.length ?? 0
    };
  }
}
