/**
 * Secret detection for records the gate shows to reviewers (the AgBOM first). One pass over every string:
 * well-known credential shapes anywhere, plus passwords and long random-looking values in fields whose
 * name says they hold a secret. Nothing here ever returns a secret itself: callers get a kind, a JSON
 * pointer and a masked form, and a redactor that masks secrets in any text derived from the scanned data.
 */
import { pointerSegment } from './context.js';

export interface SecretHit {
  /** JSON pointer of the string that holds the secret */
  pointer: string;
  /** what it looks like: "GitHub token", "AWS access key id", "password in a URL" … */
  kinds: string[];
  /** the string with every secret in it masked, e.g. `token ghp_…9f2a` */
  masked: string;
}

export interface Match {
  kind: string;
  start: number;
  end: number;
  masked: string;
}

/** A credential shape recognised anywhere, whatever the field's name. */
interface Shape {
  group: string;
  kind: string;
  source: string;
  /** the fixed prefix shown in the masked form */
  prefix: (text: string) => string;
  /**
   * extra check on the match (cuts false positives the pattern cannot express); `next` is the character right after
   * it ('' at the end of the string)
   */
  accept?: (text: string, next: string) => boolean;
  /** false when the last characters say nothing useful (a key block ends with its END line) */
  tail?: boolean;
  /** what may run on after a match and is masked with it (GLUED by default) */
  glued?: RegExp;
}

const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
const UPPER_OR_DIGIT = /^[A-Z0-9]/;
/** What `Basic` credentials decode to: `user:password`, printable. */
const BASIC_CREDENTIAL = /^[\x20-\x7e]*:[\x20-\x7e]+$/;

const SHAPES: Shape[] = [
  {
    group: 'aws',
    kind: 'AWS access key id',
    // no `\b` at the end: a key glued onto letters or onto a second key is still a key (see GLUED)
    source: String.raw`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}`,
    prefix: (t) => t.slice(0, 4),
    // 20 characters ending an upper-case run, as before; inside a longer upper-case run (`ASIAPACIFICREGIONALHUB`)
    // only with a digit, which a word in capitals lacks and nearly every key id has
    accept: (t, next) => !UPPER_OR_DIGIT.test(next) || HAS_DIGIT.test(t.slice(4))
  },
  {
    group: 'github',
    kind: 'GitHub token',
    source: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
    prefix: (t) => (t.startsWith('github_pat_') ? 'github_pat_' : t.slice(0, 4))
  },
  {
    group: 'pem',
    kind: 'private key',
    // the whole block up to its END line (or the end of the string), so that no part of the body is shown
    // a body (some base64 after the BEGIN line) is required: the masked form, a bare BEGIN line and an ellipsis,
    // is then no secret, so masking a text that was masked already changes nothing
    source: String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?=[\s\S]*?[A-Za-z0-9+/]{8})[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)`,
    prefix: (t) => t.slice(0, t.indexOf('-----', 5) + 5),
    tail: false
  },
  {
    group: 'slackhook',
    kind: 'Slack webhook URL',
    source: String.raw`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{8,}`,
    prefix: () => 'https://hooks.slack.com/'
  },
  {
    group: 'slack',
    kind: 'Slack token',
    // bot, user, app-level (`xapp-`) and the other xox… tokens
    source: String.raw`\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}`,
    prefix: (t) => t.slice(0, 5)
  },
  {
    group: 'stripe',
    kind: 'Stripe key',
    source: String.raw`\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`,
    prefix: (t) => t.slice(0, t.indexOf('_', 3) + 1)
  },
  {
    group: 'openai',
    kind: 'API key (sk-…)',
    // project/service/admin/Anthropic keys carry a marker; legacy keys are one long alphanumeric run
    source: String.raw`\bsk-(?:(?:proj|svcacct|admin|ant(?:-[a-z0-9]+)?)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,})`,
    prefix: (t) => /^sk-(?:proj|svcacct|admin|ant)-/.exec(t)?.[0] ?? 'sk-',
    accept: (t) => HAS_DIGIT.test(t) && HAS_LETTER.test(t.slice(3))
  },
  {
    group: 'huggingface',
    kind: 'Hugging Face token',
    source: String.raw`\bhf_[A-Za-z0-9]{34,}`,
    prefix: () => 'hf_',
    accept: (t) => HAS_DIGIT.test(t) || /[A-Z]/.test(t.slice(3))
  },
  {
    group: 'gitlab',
    kind: 'GitLab token',
    source: String.raw`\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}`,
    prefix: (t) => t.slice(0, t.indexOf('-') + 1)
  },
  {
    group: 'npm',
    kind: 'npm token',
    source: String.raw`\bnpm_[A-Za-z0-9]{36}`,
    prefix: () => 'npm_'
  },
  {
    group: 'google',
    kind: 'Google API key',
    source: String.raw`\bAIza[0-9A-Za-z_-]{35}`,
    prefix: () => 'AIza'
  },
  {
    group: 'googleoauth',
    kind: 'Google OAuth access token',
    source: String.raw`\bya29\.[0-9A-Za-z_-]{20,}`,
    prefix: () => 'ya29.'
  },
  {
    group: 'authheader',
    kind: 'credential in an authorization header',
    // `Bearer <token>` (a long token with letters and digits) or `Basic <base64 of user:password>`, wherever it is
    // written: a field's name (`capability_token`, `http.header.Authorization`) does not decide it
    source: String.raw`\b(?:Bearer|BEARER|bearer|Basic|BASIC|basic) +[A-Za-z0-9._~+/-]+=*`,
    prefix: (t) => t.slice(0, t.indexOf(' ')) + ' ',
    accept: (t) => {
      const credential = t.slice(t.indexOf(' ')).trim();
      if (/^basic/i.test(t)) return BASIC_CREDENTIAL.test(Buffer.from(credential, 'base64').toString('latin1'));
      // a known token behind the scheme (`Bearer ghp_…`) is named by its own shape, found on the rescan (the
      // credential holds no space, so this scan uses another of the shared patterns than the one in progress)
      if (patternMatches(credential) !== null) return false;
      return credential.length >= 16 && HAS_DIGIT.test(credential) && HAS_LETTER.test(credential);
    },
    // the end of a base64 user:password is the end of the password
    tail: false
  },
  {
    group: 'jwt',
    kind: 'JSON Web Token',
    // header and payload are base64url JSON objects: `{"` is `eyJ`, `{ "` (a space after the brace) is `eyAi`
    source: String.raw`\bey(?:J|Ai)[A-Za-z0-9_-]{8,}\.ey(?:J|Ai)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
    prefix: (t) => t.slice(0, t.startsWith('eyJ') ? 3 : 4),
    // dots are part of a token's alphabet: a second token glued on goes on with dots
    glued: /(?:(?!-----BEGIN )[\w-]|\.(?=[\w-])|:\/\/[^\s"'`<>]*)*/y
  }
];

/** `scheme://user:password@host` */
const URL_USERINFO = String.raw`\b[A-Za-z][A-Za-z0-9+.-]*://(?<uiuser>[^\s/?#@:]*):(?<uipass>[^\s/?#@]+)@`;
/** `?token=…` / `&password=…` in a URL or a connection string; `password=…` anywhere */
const URL_PARAM = String.raw`(?:[?&;](?<qname>password|passwd|pwd|pass|token|access_token|auth_token|refresh_token|id_token|api_key|apikey|api-key|x-api-key|key|secret|client_secret|sig|signature|access-token|private_token|x-amz-security-token|x-amz-signature|x-goog-signature)|(?:^|[\s,"'\x60([{])(?<pname>password|passwd|pwd))=(?<qvalue>[^&#;\s]+)`;

/**
 * The shapes and both URL patterns as one alternation, in that order, scanned once per string. Eight variants:
 * an alternative only where it can match at all (`://` and `@` for userinfo, `=` for a parameter, a space for an
 * authorization header). Most strings hold none of them, and the userinfo alternative, tried at every word, costs
 * more than all the shapes together; leaving out an alternative that cannot match anywhere in the text changes no
 * match.
 */
function combined(userinfo: boolean, param: boolean, header: boolean): RegExp {
  const shapes = header ? SHAPES : SHAPES.filter((s) => s.group !== 'authheader');
  const alternatives = shapes.map((s) => `(?<${s.group}>${s.source})`);
  if (userinfo) alternatives.push(URL_USERINFO);
  if (param) alternatives.push(URL_PARAM);
  return new RegExp(alternatives.join('|'), 'gi');
}
const COMBINED = Array.from({ length: 8 }, (_, i) => combined((i & 1) !== 0, (i & 2) !== 0, (i & 4) !== 0));
const COMPLETE = COMBINED[7]!;

function combinedFor(text: string): RegExp {
  // userinfo needs both `://` and the `@` after it: references such as `cap://agent/run/step` skip it
  const userinfo = text.includes('://') && text.includes('@');
  const header = text.includes(' ');
  return COMBINED[(userinfo ? 1 : 0) + (text.includes('=') ? 2 : 0) + (header ? 4 : 0)]!;
}
/** The case-sensitive shapes must not match across case: re-check each hit with its own pattern. */
const EXACT = new Map(SHAPES.map((s) => [s.group, new RegExp(`^(?:${s.source})$`)]));

/**
 * What runs on, without a separator, after a credential shape: more token characters (`-` and `_` included) and a
 * URL (`…https://user:pass@host`). A second credential glued straight onto the first would otherwise show: the first
 * match swallows the second's prefix (greedy classes) or the second never starts (no word boundary between them).
 * The whole run is masked as one secret. A dot ends it (`ghp_….md`, a sentence), except after a JSON Web Token; a
 * private key block, which its own shape masks whole, ends it too. Run only on a hit: no cost on ordinary strings.
 */
const GLUED = /(?:(?!-----BEGIN )[\w-]|:\/\/[^\s"'`<>]*)*/y;

function gluedEnd(text: string, end: number, glued: RegExp): number {
  glued.lastIndex = end;
  glued.exec(text);
  return Math.max(end, glued.lastIndex);
}

/** Values that name a secret rather than hold one: `${TOKEN}`, `{{ secrets.X }}`, `<your-key>`, `****`. */
const PLACEHOLDER =
  /^(?:\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?|\$\{\{.*\}\}|\{\{.*\}\}|<[^<>]*>|%[A-Za-z_][A-Za-z0-9_]*%|[*xX•.…]+|redacted|\[redacted\]|masked|hidden|none|null|empty|unset)$/i;

/** Words in a field name that mean the value is a secret. */
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'key',
  'apikey',
  'accesskey',
  'privatekey',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'clientsecret'
]);
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);
/** Words that make a secret-sounding name refer to something that is not the secret itself. */
const NOT_SECRET_WORDS = new Set([
  'ref',
  'reference',
  'name',
  'id',
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'type',
  'length',
  'ttl',
  'expiry',
  'expires',
  'rotation',
  'public',
  'count',
  'limit',
  'max',
  'min',
  'tokens',
  'policy',
  'scope',
  'header',
  'env',
  'hash',
  'digest',
  'sha',
  'sha256',
  'fingerprint',
  'checksum',
  'algorithm',
  'alg',
  'format',
  'source',
  'provider',
  'store',
  'vault'
]);

/** A field name split into lower-case words: `apiKey` → api, key; `agentgate:client_secret` → agentgate, client, secret. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

type NameClass = 'password' | 'secret' | null;

/** Field names repeat (every property of every component): classify each name once. */
const nameClasses = new Map<string, NameClass>();

function classifyName(name: string): NameClass {
  let cls = nameClasses.get(name);
  if (cls === undefined) {
    cls = classifyWords(nameWords(name));
    // a hostile file may use millions of distinct names: the cache is a speed-up, not a store
    if (nameClasses.size >= 10_000) nameClasses.clear();
    nameClasses.set(name, cls);
  }
  return cls;
}

function classifyWords(words: string[]): NameClass {
  let secret = false;
  let password = false;
  for (const w of words) {
    if (NOT_SECRET_WORDS.has(w)) return null;
    if (PASSWORD_WORDS.has(w)) password = true;
    else if (SECRET_WORDS.has(w)) secret = true;
  }
  // `api_key`, `access key` are split in two words
  const joined = words.join('');
  if (!secret && (joined.endsWith('apikey') || joined.endsWith('accesskey'))) secret = true;
  return password ? 'password' : secret ? 'secret' : null;
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The masked form of a secret: its well-known prefix, an ellipsis and, for long secrets only, its last four characters. */
export function maskSecret(secret: string, prefix = '', showTail = true): string {
  const visiblePrefix = prefix.length <= secret.length / 2 ? prefix : '';
  const tail = showTail && secret.length >= 16 ? secret.slice(-4) : '';
  return `${visiblePrefix}…${tail}`;
}

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

/** A value that points at a secret store or a URL rather than holding the secret: `vault:…`, `env:…`, `arn:…`. */
const REFERENCE =
  /^(?:vault|env|arn|secret|secrets|secretref|ref|op|ssm|sm|kms|keyvault|akv|gcpsm|k8s|kubernetes|file|https?|s3|gs):/i;

/** False alarms after which a string is scanned again from just inside them (see patternMatches). */
const MAX_RESCANS = 64;

/** An HTTP authorization scheme in front of a single credential. */
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|digest|apikey|api-key)[ \t]+(?=\S+$)/i;

/** Whole-value secrets judged by the field's name: any password, or a long random-looking token/key/secret. */
function nameBasedMatch(value: string, fieldName: string | null): Match | null {
  if (fieldName === null) return null;
  const cls = classifyName(fieldName);
  if (cls === null) return null;
  // `Bearer <token>`: the credential is what follows the scheme (prose, with more words, is still not judged)
  const v = value.trim().replace(AUTH_SCHEME, '');
  if (v === '' || isPlaceholder(v) || REFERENCE.test(v) || /\s/.test(v)) return null;
  const start = value.indexOf(v);
  if (cls === 'password') {
    if (v.length < 4) return null;
    return { kind: 'password', start, end: start + v.length, masked: maskSecret(v) };
  }
  if (v.length < 16 || !HAS_DIGIT.test(v) || !HAS_LETTER.test(v) || entropy(v) < 3) return null;
  return { kind: `high-entropy value in "${fieldName}"`, start, end: start + v.length, masked: maskSecret(v) };
}

/**
 * The credential shapes in a string, or null (the common case, so it allocates nothing). `complete` scans with
 * every alternative whatever the text holds (the differential test's reference).
 */
export function patternMatches(text: string, complete = false): Match[] | null {
  let out: Match[] | null = null;
  let rescans = 0;
  // exec on a shared global regex: matchAll would clone it for every string scanned
  const pattern = complete ? COMPLETE : combinedFor(text);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const match = readMatch(m, text);
    if (match) {
      (out ??= []).push(match);
      // a credential masked with what is glued onto it: go on scanning after the whole run
      if (match.end > pattern.lastIndex) pattern.lastIndex = match.end;
    } else if (m.groups?.uipass !== undefined) {
      // `https://ghp_…:***@host`: the password is a placeholder, but a token passed as the user name is a token
      const user = m.groups.uiuser ?? '';
      const userStart = m.index + m[0].length - 2 - m.groups.uipass.length - user.length;
      for (const inner of (user.length >= MIN_SECRET_CHARS ? patternMatches(user) : null) ?? []) {
        const shifted = { ...inner, start: inner.start + userStart, end: inner.end + userStart };
        (out ??= []).push(shifted);
      }
    } else if (rescans++ < MAX_RESCANS) {
      // any other false alarm must not hide a credential inside it (`HTTPS://HOOKS.SLACK.COM/…/ghp_…` is no Slack
      // hook, in capitals); a hostile string of many false alarms is rescanned a bounded number of times
      pattern.lastIndex = m.index + 1;
    }
  }
  return out;
}

/** What one hit of the combined pattern is, after the checks the pattern cannot express; null for a false alarm. */
function readMatch(m: RegExpExecArray, text: string): Match | null {
  const groups = m.groups ?? {};
  const start = m.index;
  const hit = m[0];
  const shape = SHAPES.find((s) => groups[s.group] !== undefined);
  if (shape) {
    const next = text.charAt(start + hit.length);
    if (!EXACT.get(shape.group)!.test(hit) || (shape.accept && !shape.accept(hit, next))) return null;
    const end = gluedEnd(text, start + hit.length, shape.glued ?? GLUED);
    const run = end === start + hit.length ? hit : text.slice(start, end);
    const masked = maskSecret(run, shape.prefix(run), shape.tail ?? true);
    return { kind: shape.kind, start, end, masked };
  }
  const pass = groups.uipass;
  if (pass !== undefined) {
    if (isPlaceholder(decodeLoosely(pass))) return null;
    const passStart = start + hit.length - 1 - pass.length;
    const userStart = passStart - 1 - (groups.uiuser ?? '').length;
    // mask the whole userinfo: a token is often passed as the user name
    return { kind: 'credentials in a URL', start: userStart, end: passStart + pass.length, masked: '****:****' };
  }
  const value = groups.qvalue;
  const name = groups.qname ?? groups.pname;
  if (value === undefined || name === undefined || isPlaceholder(decodeLoosely(value))) return null;
  const valueStart = start + hit.length - value.length;
  const kind = `${name.toLowerCase()}= in a URL or connection string`;
  return { kind, start: valueStart, end: valueStart + value.length, masked: '****' };
}

/** Percent-decoding that never throws (`%24%7BTOKEN%7D` is a placeholder too). */
function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replace each match (non-overlapping, in order) with its masked form. */
function applyMasks(text: string, matches: Match[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue;
    out += text.slice(at, m.start) + m.masked;
    at = m.end;
  }
  return out + text.slice(at);
}

const MIN_SECRET_CHARS = 8;

/**
 * The secrets in one string. `fieldName` is the name the value sits under (an object key, or a
 * CycloneDX property's `name`); it enables the name-based checks.
 */
export function findSecrets(text: string, fieldName: string | null = null): { kinds: string[]; masked: string } | null {
  const byName = text.length >= 4 ? nameBasedMatch(text, fieldName) : null;
  const matches = text.length >= MIN_SECRET_CHARS ? patternMatches(text) : null;
  if (byName) {
    // the whole value is the secret; a pattern hit inside it names the kind better
    const kinds = matches ? matches.map((m) => m.kind) : [byName.kind];
    return { kinds: unique(kinds), masked: applyMasks(text, [byName]) };
  }
  if (matches === null) return null;
  matches.sort((a, b) => a.start - b.start);
  return { kinds: unique(matches.map((m) => m.kind)), masked: applyMasks(text, matches) };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** Masks secrets in text shown to people: known secret strings by lookup, anything else by pattern. */
export class Redactor {
  private readonly known = new Map<string, string>();

  /** Scan a parsed JSON value; returns the hits in document order and remembers them for `text`. */
  scan(value: unknown): SecretHit[] {
    const hits: SecretHit[] = [];
    this.walk(value, null, [], hits);
    return hits;
  }

  /** `text` with every secret masked; `fieldName` is the name the text sits under, when known. */
  text(text: string, fieldName: string | null = null): string {
    const known = this.known.get(text);
    if (known !== undefined) return known;
    const found = findSecrets(text, fieldName);
    return found ? found.masked : text;
  }

  private walk(value: unknown, fieldName: string | null, path: (string | number)[], hits: SecretHit[]): void {
    if (typeof value === 'string') {
      if (value.length < 4) return;
      const found = findSecrets(value, fieldName);
      if (found) {
        this.known.set(value, found.masked);
        hits.push({ pointer: toPointer(path), kinds: found.kinds, masked: found.masked });
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (path.length >= MAX_SCAN_DEPTH) {
      // the loader rejects files nested this deep; anything else that is cannot be vouched for
      hits.push({
        pointer: toPointer(path),
        kinds: [`value nested deeper than ${MAX_SCAN_DEPTH} levels, not scanned`],
        masked: '…'
      });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        this.walk(value[i], fieldName, path, hits);
        path.pop();
      }
      return;
    }
    const obj = value as Record<string, unknown>;
    // a CycloneDX property {name, value}: the value sits under the property's name
    const propertyName = typeof obj.name === 'string' && 'value' in obj ? obj.name : null;
    // for…in, not Object.keys: no array per object, and V8 reads each value through the enumeration cache (half
    // the time of a large AgBOM's scan). Parsed records are plain data: their prototype has nothing enumerable.
    for (const key in obj) {
      path.push(key);
      this.walk(obj[key], key === 'value' && propertyName !== null ? propertyName : key, path, hits);
      path.pop();
    }
  }
}

/** Deeper than any record the loader accepts (it stops at 64), shallow enough for the call stack. */
const MAX_SCAN_DEPTH = 256;

function toPointer(path: (string | number)[]): string {
  return path.map((k) => `/${pointerSegment(k)}`).join('');
}
