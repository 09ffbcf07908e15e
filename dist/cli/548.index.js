export const id = 548;
export const ids = [548];
export const modules = {

/***/ 7593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eu: () => (/* binding */ requireConfig),
/* harmony export */   Nv: () => (/* binding */ existingDirectory),
/* harmony export */   gx: () => (/* binding */ str),
/* harmony export */   qg: () => (/* binding */ parse),
/* harmony export */   yL: () => (/* binding */ oneOf)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/** Argument parsing shared by the commands: node:util parseArgs, with our own clear errors. */



function parse(argv, options, allowPositionals = false) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({
            args: argv,
            options: options,
            allowPositionals,
            strict: true,
            tokens: true
        });
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${message} (--help lists the options)`);
    }
    // parseArgs keeps the last of a repeated option: `--base-dir a --base-dir b` must not silently judge b
    const given = new Map();
    for (const token of parsed.tokens) {
        if (token.kind !== 'option' || token.name === undefined || options[token.name]?.multiple)
            continue;
        const seen = given.get(token.name);
        const flag = token.rawName ?? `--${token.name}`;
        const shown = token.value === undefined ? flag : `${flag} ${JSON.stringify(token.value)}`;
        if (seen === undefined)
            given.set(token.name, shown);
        else {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`--${token.name} was given more than once (${seen}, then ${shown}); give it once (--help lists the options)`);
        }
    }
    return { values: parsed.values, positionals: parsed.positionals };
}
function oneOf(value, allowed, flag, fallback) {
    if (value === undefined)
        return fallback;
    if (typeof value === 'string' && allowed.includes(value))
        return value;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`);
}
function str(value) {
    return typeof value === 'string' ? value : undefined;
}
/** `path` when it is a directory; a SettingsError naming the flag otherwise. */
async function existingDirectory(path, flag) {
    const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path).catch(() => null);
    if (!info?.isDirectory())
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`${flag} ${path}: not a directory`);
    return path;
}
/**
 * A --config the user typed must exist on one of the sides: a typo must not silently judge with the defaults.
 * A path the sources refuse (outside the repository, a symlink) is left to the loader, which reports it located.
 */
async function requireConfig(path, sources) {
    if (path === undefined)
        return;
    const present = sources.filter((s) => s !== null);
    for (const source of present) {
        try {
            if (await source.stat(path))
                return;
        }
        catch {
            return;
        }
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SettingsError */ .GN(`--config ${path}: no such file in the ${present.map((s) => s.description).join(' or the ')}`);
}


/***/ }),

/***/ 4396:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ canonicalJson),
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, non-finite numbers as null.
 * The same decision always serialises to the same bytes, so its digest can be signed and compared.
 */

function canonicalJson(value) {
    const out = [];
    write(value, out);
    return out.join('');
}
function write(value, out) {
    if (value === null || value === undefined) {
        out.push('null');
    }
    else if (typeof value === 'number') {
        out.push(Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : 'null');
    }
    else if (typeof value === 'string' || typeof value === 'boolean') {
        out.push(JSON.stringify(value));
    }
    else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        const items = value;
        out.push('[');
        // an index loop, not forEach: a hole in a sparse array is null (as in JSON.stringify), not skipped
        for (let i = 0; i < items.length; i++) {
            if (i > 0)
                out.push(',');
            write(items[i], out);
        }
        out.push(']');
    }
    else if (typeof value === 'object') {
        const obj = value;
        const keys = Object.keys(obj)
            .filter((k) => obj[k] !== undefined)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        out.push('{');
        keys.forEach((k, i) => {
            if (i > 0)
                out.push(',');
            out.push(JSON.stringify(k), ':');
            write(obj[k], out);
        });
        out.push('}');
    }
    else {
        // functions, symbols, bigints never belong in a decision
        throw new TypeError(`cannot serialise a ${typeof value} in a decision document`);
    }
}
function sha256Hex(text) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text, 'utf8').digest('hex');
}


/***/ }),

/***/ 9008:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  jJ: () => (/* binding */ buildDecision),
  UX: () => (/* binding */ compareIssues),
  AV: () => (/* binding */ internalErrorDecision),
  QE: () => (/* binding */ invalidInputDecision),
  t: () => (/* binding */ serialiseStatement),
  HJ: () => (/* binding */ toStatement)
});

// UNUSED EXPORTS: compareFindings, decide, emptyEvidence

;// CONCATENATED MODULE: ./src/model/decision.ts
const DECISION_SCHEMA_ID = 'https://agent-release-gate.dev/schemas/decision/v1.json';

// EXTERNAL MODULE: ./src/model/finding.ts
var finding = __webpack_require__(1300);
// EXTERNAL MODULE: ./src/decision/canonical.ts
var decision_canonical = __webpack_require__(4396);
// EXTERNAL MODULE: ./src/model/own.ts
var own = __webpack_require__(3057);
;// CONCATENATED MODULE: ./src/decision/document.ts




const SEVERITY_RANK = { deny: 0, follow_up: 1, warning: 2 };
const FAMILY_RANK = new Map(finding/* FAMILIES */.B.map((f, i) => [f, i]));
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function cmpNum(a, b) {
    return (a ?? 0) - (b ?? 0);
}
/**
 * deny first, then follow_up, warning; then family, rule, file, line, column, side, subject, message; then the
 * whole finding, so that the order is total and never depends on the order the findings were produced in.
 */
function compareFindings(a, b) {
    return (SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        (FAMILY_RANK.get(a.family) ?? 99) - (FAMILY_RANK.get(b.family) ?? 99) ||
        cmp(a.rule, b.rule) ||
        cmp(a.location?.file ?? '', b.location?.file ?? '') ||
        cmpNum(a.location?.line, b.location?.line) ||
        cmpNum(a.location?.column, b.location?.column) ||
        cmp(a.location?.pointer ?? '', b.location?.pointer ?? '') ||
        cmp(a.location?.side ?? '', b.location?.side ?? '') ||
        cmp(a.subject ?? '', b.subject ?? '') ||
        cmp(a.message, b.message) ||
        cmp((0,decision_canonical/* canonicalJson */.d)(a), (0,decision_canonical/* canonicalJson */.d)(b)));
}
function compareIssues(a, b) {
    return (cmp(a.side ?? '', b.side ?? '') ||
        cmp(a.file, b.file) ||
        cmpNum(a.line, b.line) ||
        cmpNum(a.column, b.column) ||
        cmp(a.pointer ?? '', b.pointer ?? '') ||
        cmp(a.code, b.code) ||
        cmp(a.message, b.message) ||
        cmp(a.hint ?? '', b.hint ?? ''));
}
/** deny when any blocking finding exists, follow_up when a finding needs a person, allow otherwise. */
function decide(findings) {
    if (findings.some((f) => f.severity === 'deny'))
        return 'deny';
    if (findings.some((f) => f.severity === 'follow_up'))
        return 'follow_up';
    return 'allow';
}
function emptyEvidence() {
    return {
        review: { surfaces: [] },
        rollout: null,
        evals: [],
        drift: [],
        agbom: null,
        approvals: [],
        chain: [],
        signals: []
    };
}
function familySummaries(findings, active) {
    const out = {};
    for (const family of finding/* FAMILIES */.B) {
        const own = findings.filter((f) => f.family === family);
        const deny = own.filter((f) => f.severity === 'deny').length;
        const follow = own.filter((f) => f.severity === 'follow_up').length;
        const status = deny > 0 ? 'deny' : follow > 0 ? 'follow_up' : own.length > 0 || active.has(family) ? 'pass' : 'skipped';
        out[family] = { status, findings: own.length, deny, follow_up: follow, warning: own.length - deny - follow };
    }
    return out;
}
function sortedInputs(inputs) {
    const seen = new Set();
    const rows = [];
    for (const { file, kind } of inputs) {
        const key = `${file.side}\u0000${file.path}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        rows.push({ path: file.path, side: file.side, sha256: file.sha256, bytes: file.bytes, kind });
    }
    return rows.sort((a, b) => cmp(a.side, b.side) || cmp(a.path, b.path));
}
/**
 * The document holds what its bytes hold: a number JSON cannot write (NaN, ±Infinity, from a division by a live
 * value of 0, say) is null and -0 is 0, as canonicalJson writes them, so the document a renderer or a schema
 * sees is the one in the decision file.
 */
function asJson(value) {
    if (typeof value === 'number')
        return (Number.isFinite(value) ? value + 0 : null);
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value))
        return value;
    if (Array.isArray(value)) {
        const out = new Array(value.length);
        for (let i = 0; i < value.length; i++)
            out[i] = asJson(value[i]);
        return out;
    }
    const out = {};
    const source = value;
    // a loop over the keys with plain assignment: the evidence of 10,000 replay runs is copied here
    for (const key of Object.keys(source))
        (0,own/* setOwn */.P)(out, key, asJson(source[key]));
    return out;
}
function buildDecision(ctx, findings, evidence, activeFamilies) {
    const sorted = findings.map(asJson).sort(compareFindings);
    return {
        $schema: DECISION_SCHEMA_ID,
        tool: { name: 'agent-release-gate', version: ctx.toolVersion },
        decision: decide(sorted),
        outcome: 'evaluated',
        failure: null,
        gate_key: ctx.gateKey,
        commits: ctx.commits,
        config: ctx.config,
        counts: {
            findings: sorted.length,
            deny: sorted.filter((f) => f.severity === 'deny').length,
            follow_up: sorted.filter((f) => f.severity === 'follow_up').length,
            warning: sorted.filter((f) => f.severity === 'warning').length,
            errors: 0
        },
        families: familySummaries(sorted, activeFamilies),
        findings: sorted,
        errors: [],
        inputs: sortedInputs(ctx.inputs),
        evidence: asJson(evidence)
    };
}
/** Records or configuration are malformed: nothing was judged, and the gate fails closed. */
function invalidInputDecision(ctx, issues) {
    const doc = buildDecision(ctx, [], emptyEvidence(), new Set());
    const errors = [...issues].sort(compareIssues);
    return {
        ...doc,
        decision: 'deny',
        outcome: 'invalid_input',
        errors,
        counts: { ...doc.counts, errors: errors.length }
    };
}
/** The gate itself failed. The message is ours (no record content, no stack); the decision is deny. */
function internalErrorDecision(ctx, message) {
    const doc = buildDecision(ctx, [], emptyEvidence(), new Set());
    return { ...doc, decision: 'deny', outcome: 'internal_error', failure: message };
}
function toStatement(doc, subjectName) {
    const head = doc.commits.head;
    const digest = head && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)
        ? { gitCommit: head }
        : { sha256: (0,decision_canonical/* sha256Hex */.f)((0,decision_canonical/* canonicalJson */.d)(doc.inputs)) };
    return {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: subjectName, digest }],
        predicateType: DECISION_SCHEMA_ID,
        predicate: doc
    };
}
/** The bytes written to the decision file and their digest. */
function serialiseStatement(statement) {
    const canonical = (0,decision_canonical/* canonicalJson */.d)(statement);
    return { canonical, digest: (0,decision_canonical/* sha256Hex */.f)(canonical) };
}


/***/ }),

/***/ 8759:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  y0: () => (/* binding */ RULES),
  O0: () => (/* binding */ evaluateAgbom)
});

// UNUSED EXPORTS: notExactVersion, pinningDigest

// EXTERNAL MODULE: ./src/read/text.ts
var read_text = __webpack_require__(7689);
// EXTERNAL MODULE: ./src/gate/context.ts
var context = __webpack_require__(2104);
// EXTERNAL MODULE: ./src/gate/rules.ts
var rules = __webpack_require__(7344);
// EXTERNAL MODULE: ./src/read/validate.ts + 1 modules
var validate = __webpack_require__(2626);
;// CONCATENATED MODULE: ./src/gate/agbom-components.ts
/**
 * A CycloneDX BOM (1.5–1.7 JSON) read as an agent bill of materials: every component and service (top-level,
 * metadata.component, metadata.tools.components and .services), however deeply nested, becomes one AgentComponent
 * keyed by bom-ref, else purl, else type + group + name, with the agent facts (kind, pinning, side effect, approval, trust score) read from properties.
 * docs/agbom.md documents the property names, the aliases and the kind inference.
 */


const AGENT_KINDS = [
    'model',
    'mcp_server',
    'tool',
    'prompt',
    'policy',
    'dataset',
    'guardrail',
    'agent',
    'other'
];
/** Ranked by reach: nothing, reading, writing outside the agent, irreversible or privileged. */
const SIDE_EFFECTS = ['none', 'read', 'external_write', 'destructive'];
const norm = (v) => v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
const BOOLEAN = (v) => {
    const t = v.trim().toLowerCase();
    return t === 'true' ? { ok: true, value: true } : t === 'false' ? { ok: true, value: false } : { ok: false };
};
const KIND_ALIASES = { mcpserver: 'mcp_server', mcp: 'mcp_server' };
const SIDE_EFFECT_VALUES = {
    none: 'none',
    pure: 'none',
    read: 'read',
    read_only: 'read',
    readonly: 'read',
    local_read: 'read',
    network_read: 'read',
    // writes only the agent's own state (Joch): nothing outside the agent changes
    local_write: 'read',
    external_write: 'external_write',
    write: 'external_write',
    read_write: 'external_write',
    network_write: 'external_write',
    communication: 'external_write',
    financial: 'external_write',
    destructive: 'destructive',
    delete: 'destructive',
    irreversible: 'destructive',
    code_execution: 'destructive',
    privileged: 'destructive'
};
const TRUST_SCORE = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;
const KIND_SOURCE = {
    names: ['agentgate:kind'],
    parse: (v) => {
        const n = norm(v);
        const kind = AGENT_KINDS.includes(n) ? n : KIND_ALIASES[n];
        return kind ? { ok: true, value: kind } : { ok: false };
    },
    expected: AGENT_KINDS.join(' | ')
};
const PINNED_SOURCE = {
    names: ['agentgate:pinned', 'pinServerVersion'],
    parse: BOOLEAN,
    expected: 'true | false'
};
const PINNED_VERSION_SOURCE = {
    names: ['pinnedVersion'],
    parse: (v) => (v.trim() === '' ? { ok: false } : { ok: true, value: v.trim() }),
    expected: 'the exact version the component is pinned to'
};
const DIGEST_SOURCE = {
    names: ['agentgate:digest'],
    // the length that goes with the algorithm: `sha256:abc` pins nothing, and says so
    parse: (v) => /^(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/i.test(v.trim())
        ? { ok: true, value: v.trim() }
        : { ok: false },
    expected: 'sha256:<64 hex> | sha384:<96 hex> | sha512:<128 hex>'
};
const SIDE_EFFECT_SOURCE = {
    names: ['agentgate:side_effect', 'sideEffect', 'sideEffects.level', 'scope'],
    parse: (v) => {
        const effect = SIDE_EFFECT_VALUES[norm(v)];
        return effect ? { ok: true, value: effect } : { ok: false };
    },
    expected: SIDE_EFFECTS.join(' | '),
    // OWASP AOS `scope` also carries OAuth-style scopes ("repo", "tickets:write"): only read-only/read-write are meant
    lenient: ['scope']
};
const APPROVAL_SOURCE = {
    names: ['agentgate:requires_approval', 'requiresApproval', 'sideEffects.requiresApproval'],
    parse: BOOLEAN,
    expected: 'true | false'
};
const TRUST_SOURCE = {
    names: ['agentgate:trust_score', 'trustScore'],
    parse: (v) => (TRUST_SCORE.test(v.trim()) ? { ok: true, value: Number(v.trim()) } : { ok: false }),
    expected: 'a number from 0 to 1, e.g. 0.85'
};
const MODEL_SOURCE = {
    names: ['agentgate:model', 'model'],
    parse: (v) => (v.trim() === '' ? { ok: false } : { ok: true, value: v.trim() }),
    expected: 'the model name and version, e.g. gpt-4o-2024-08-06'
};
/** Every property name a fact is read from: only these can make a property problem. */
const FACT_PROPERTY_NAMES = new Set([
    KIND_SOURCE,
    PINNED_SOURCE,
    PINNED_VERSION_SOURCE,
    DIGEST_SOURCE,
    SIDE_EFFECT_SOURCE,
    APPROVAL_SOURCE,
    TRUST_SOURCE,
    MODEL_SOURCE
].flatMap((source) => source.names));
/**
 * Whether reading this entry could report a property problem: it names at least one fact property. Large BOMs are
 * mostly libraries whose properties are the generator's own (`cdx:…`, `syft:…`); they need no reading to be
 * known free of agent-property problems.
 */
function namesAgentProperty(raw) {
    const properties = raw.properties;
    if (!Array.isArray(properties))
        return false;
    for (const p of properties) {
        const name = typeof p === 'object' && p !== null ? p.name : undefined;
        if (typeof name === 'string' && (FACT_PROPERTY_NAMES.has(name) || unknownGateName(name)))
            return true;
    }
    return false;
}
/** OWASP AOS names a tool's endpoint in a property */
const ENDPOINT_PROPERTIES = ['agentgate:endpoint', 'endpoint'];
/** The gate's own property names: in its namespace, any other name is a misspelling, not someone else's property. */
const AGENTGATE_NAMES = [...FACT_PROPERTY_NAMES, ...ENDPOINT_PROPERTIES]
    .filter((name) => name.startsWith('agentgate:'))
    .sort();
/** `agentgate:…` in any case: the gate's namespace (`AgentGate:Side_Effect` is no less meant for it). */
function inGateNamespace(name) {
    // the first letter first: this runs on every property name of a large BOM
    return name.length > 10 && (name.charCodeAt(0) | 0x20) === 0x61 && name.slice(0, 10).toLowerCase() === 'agentgate:';
}
/** A property name in the gate's namespace that is not one of its names (a misspelt fact would be ignored). */
function unknownGateName(name) {
    return inGateNamespace(name) && !AGENTGATE_NAMES.includes(name);
}
function str(v) {
    return typeof v === 'string' ? v : null;
}
function entryPointer(scope, entry) {
    return `${scope.at}/properties/${entry.index}${entry.hasValue ? '/value' : ''}`;
}
/** Read one fact: the first name in precedence order that is present decides; several differing values are ambiguous. */
function readFact(source, scope) {
    const problem = (property, entry, value, expected) => scope.problems.push({
        key: scope.key,
        component: scope.component,
        property,
        pointer: entryPointer(scope, entry),
        value,
        expected
    });
    for (const name of source.names) {
        const entries = scope.byName.get(name);
        if (!entries)
            continue;
        const lenient = source.lenient?.includes(name) ?? false;
        const parsed = [];
        for (const entry of entries) {
            const result = entry.value === null ? { ok: false } : source.parse(entry.value);
            if (result.ok)
                parsed.push({ value: result.value, entry });
            else if (!lenient)
                problem(name, entry, entry.value, source.expected);
        }
        if (parsed.length === 0) {
            if (lenient)
                continue;
            return null;
        }
        const first = parsed[0];
        if (parsed.some((p) => p.value !== first.value)) {
            const values = parsed.map((p) => p.entry.value).join(' / ');
            problem(name, parsed[1].entry, values, `one value (the property is given ${parsed.length} times with different values)`);
            return null;
        }
        return { value: first.value, property: name, pointer: entryPointer(scope, first.entry) };
    }
    return null;
}
/**
 * "mcp" anywhere in a word counts (`jira-mcp`, `GitHubMCPServer`, `mcpserver.example`): no other word holds those
 * letters, and a name that merely runs them together must not pass for a plain tool (no pinning rule).
 */
const MCP_WORD = /mcp|modelcontextprotocol/i;
function mentionsMcp(texts) {
    for (const t of texts)
        if (t !== null && MCP_WORD.test(ASCII_ONLY.test(t) ? t : latinLookalikes(t)))
            return true;
    return false;
}
const ASCII_ONLY = /^[\x00-\x7f]*$/;
/**
 * Cyrillic and Greek letters drawn like the Latin ones of "mcp" and "modelcontextprotocol" (`github-mсp-server` with a
 * Cyrillic с reads as an MCP server, and must be judged as one). Fullwidth and other compatibility forms are folded
 * by NFKC first; invisible format characters (a zero-width space inside the word) are dropped.
 */
const LOOKALIKES = {
    '\u0430': 'a',
    '\u0410': 'a',
    '\u03b1': 'a',
    '\u0391': 'a',
    '\u0441': 'c',
    '\u0421': 'c',
    '\u03f2': 'c',
    '\u03f9': 'c',
    '\u0501': 'd',
    '\u0435': 'e',
    '\u0415': 'e',
    '\u0395': 'e',
    '\u0456': 'i',
    '\u0406': 'i',
    '\u0399': 'i',
    '\u04cf': 'l',
    '\u041c': 'm',
    '\u043c': 'm',
    '\u039c': 'm',
    '\u043e': 'o',
    '\u041e': 'o',
    '\u03bf': 'o',
    '\u039f': 'o',
    '\u0440': 'p',
    '\u0420': 'p',
    '\u03c1': 'p',
    '\u03a1': 'p',
    '\u0422': 't',
    '\u03a4': 't',
    '\u0445': 'x',
    '\u0425': 'x',
    '\u03a7': 'x',
    '\u03c7': 'x'
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');
function latinLookalikes(text) {
    return text
        .normalize('NFKC')
        .replace(/\p{Cf}/gu, '')
        .replace(LOOKALIKE, (ch) => LOOKALIKES[ch]);
}
/** data/file components named by path: prompts/…, policies/…, guardrails/…, *.rego */
function kindFromPath(name) {
    const lower = name.toLowerCase();
    const dirs = lower.split(/[/\\]/).slice(0, -1);
    const base = lower.split(/[/\\]/).pop() ?? '';
    if (dirs.some((d) => d === 'prompts' || d === 'prompt') || /\.prompt(?:\.[a-z]+)?$/.test(base))
        return 'prompt';
    if (dirs.some((d) => d === 'policies' || d === 'policy') || /\.(?:rego|cedar)$/.test(base))
        return 'policy';
    if (dirs.some((d) => d === 'guardrails' || d === 'guardrail'))
        return 'guardrail';
    return null;
}
const SERVER_TYPES = new Set(['application', 'container', 'platform']);
function inferKind(element, type, name, group, purl, endpoints) {
    if (element === 'subject')
        return 'agent';
    if (type === 'machine-learning-model')
        return 'model';
    if (element === 'service')
        return mentionsMcp([name, group, ...endpoints]) ? 'mcp_server' : 'tool';
    if (SERVER_TYPES.has(type) && mentionsMcp([name, group, purl]))
        return 'mcp_server';
    if (type === 'data' || type === 'file') {
        const byPath = kindFromPath(group ? `${group}/${name}` : name);
        if (byPath)
            return byPath;
        return type === 'data' ? 'dataset' : 'other';
    }
    return 'other';
}
function typeOf(raw, element) {
    return element === 'service' ? 'service' : (str(raw.type) ?? '');
}
/** bom-ref, else purl, else type + group + name */
function keyOf(raw, element) {
    const bomRef = raw['bom-ref'];
    if (typeof bomRef === 'string' && bomRef !== '')
        return bomRef;
    const purl = element === 'service' ? null : str(raw.purl);
    if (purl !== null && purl !== '')
        return purl;
    const group = str(raw.group);
    return `${typeOf(raw, element)}:${group ? `${group}/` : ''}${str(raw.name) ?? ''}`;
}
/** Which field keyOf took the key from (asked only of the entries read, not of every entry indexed). */
function keySourceOf(raw, element) {
    const bomRef = raw['bom-ref'];
    if (typeof bomRef === 'string' && bomRef !== '')
        return 'bom-ref';
    const purl = element === 'service' ? null : str(raw.purl);
    return purl !== null && purl !== '' ? 'purl' : 'name';
}
/**
 * The components and services of one BOM by key: the first occurrence of each, in document order. A large BOM is
 * mostly libraries the diff finds unchanged and never reads, so an entry is kept as a slot (its value, element and
 * place in parallel lists) and made into a BomEntry only when asked for: indexing 50,000 components then
 * allocates no object and no pointer per component (on a VM where fresh memory is costly, that halved indexing).
 */
class BomEntries {
    slots = new Map();
    /** the key of each slot: slots are numbered in document order, as the map holds them */
    keyList = [];
    raws = [];
    elements = [];
    /** the pointer of the list each entry is in (the entry's own pointer when `positions` holds -1) */
    lists = [];
    positions = [];
    get size() {
        return this.slots.size;
    }
    has(key) {
        return this.slots.has(key);
    }
    get(key) {
        const n = this.slots.get(key);
        return n === undefined ? undefined : this.entry(key, n);
    }
    keys() {
        return this.slots.keys();
    }
    *[Symbol.iterator]() {
        for (const [key, n] of this.slots)
            yield [key, this.entry(key, n)];
    }
    /** Each key with its slot, in document order (no entry is made). */
    forEachSlot(fn) {
        const keys = this.keyList;
        for (let slot = 0; slot < keys.length; slot++)
            fn(keys[slot], slot);
    }
    slotOf(key) {
        return this.slots.get(key) ?? -1;
    }
    keyAt(slot) {
        return this.keyList[slot];
    }
    raw(slot) {
        return this.raws[slot];
    }
    /**
     * Whether an entry here and one of `other` are written identically, nested components and services aside
     * (they are entries of their own). Cheap and allocation-free: it lets the diff skip reading the unchanged bulk.
     */
    sameAs(slot, other, otherSlot) {
        return this.elements[slot] === other.elements[otherSlot] && sameEntry(this.raws[slot], other.raws[otherSlot]);
    }
    /** Adds an entry; the entry already kept under its key when the key is taken. */
    add(raw, element, list, position) {
        const key = keyOf(raw, element);
        const seen = this.slots.get(key);
        if (seen !== undefined)
            return this.entry(key, seen);
        this.slots.set(key, this.raws.length);
        this.keyList.push(key);
        this.raws.push(raw);
        this.elements.push(element);
        this.lists.push(list);
        this.positions.push(position);
        return null;
    }
    entry(key, n) {
        const position = this.positions[n];
        const pointer = position < 0 ? this.lists[n] : `${this.lists[n]}/${position}`;
        const raw = this.raws[n];
        const element = this.elements[n];
        return { key, key_source: keySourceOf(raw, element), element, pointer, raw };
    }
}
/** Shared empty values: most components of a large BOM (libraries) have no properties or endpoints. */
const NO_PROPERTIES = new Map();
const NO_ENDPOINTS = [];
const NO_LIST = [];
const NO_ENTRIES = new Map();
const NO_HASHES = Object.freeze(Object.create(null));
/** algorithm → lower-case content. Null-prototype, so even an algorithm named "__proto__" stays plain data. */
function readHashes(list) {
    const hashes = Object.create(null);
    for (const h of list) {
        const alg = str(h?.alg);
        const content = str(h?.content);
        if (alg === null || content === null)
            continue;
        const lower = content.toLowerCase();
        const seen = hashes[alg];
        // two different digests under one algorithm are kept joined: they then pin nothing
        hashes[alg] = seen === undefined || seen === lower ? lower : sortedUnique([...seen.split(','), lower]).join(',');
    }
    return hashes;
}
function sortedUnique(values) {
    return values.length < 2 ? values : [...new Set(values)].sort();
}
const NO_FACTS = {
    pinned: null,
    pinned_version: null,
    digest: null,
    side_effect: null,
    requires_approval: null,
    trust_score: null,
    model_ref: null,
    kind: null
};
/** Read a component's agent facts; invalid property values are added to `problems`. */
function readComponent(entry, problems) {
    const { raw, element, key, key_source, pointer: at } = entry;
    const name = str(raw.name) ?? '';
    const group = str(raw.group);
    const type = typeOf(raw, element);
    const purl = element === 'service' ? null : str(raw.purl);
    const hashes = Array.isArray(raw.hashes) ? readHashes(raw.hashes) : NO_HASHES;
    const rawProperties = Array.isArray(raw.properties) ? raw.properties : NO_LIST;
    const byName = rawProperties.length > 0 ? new Map() : NO_ENTRIES;
    for (let i = 0; i < rawProperties.length; i++) {
        const p = rawProperties[i];
        const propName = str(p?.name);
        if (propName === null)
            continue;
        const hasValue = typeof p === 'object' && p !== null && 'value' in p;
        const property = { value: hasValue ? str(p.value) : null, index: i, hasValue };
        if (unknownGateName(propName)) {
            const near = (0,validate/* nearest */.pA)(propName, AGENTGATE_NAMES);
            problems.push({
                key,
                component: name,
                property: propName,
                pointer: `${at}/properties/${i}/name`,
                value: property.value,
                expected: `a property name the gate reads${near ? ` (did you mean ${near}?)` : ''}: ${AGENTGATE_NAMES.join(', ')}; a misspelt name is not read`
            });
        }
        const list = byName.get(propName);
        if (list)
            list.push(property);
        else
            byName.set(propName, [property]);
    }
    let endpoints = NO_ENDPOINTS;
    if (Array.isArray(raw.endpoints) || byName.size > 0) {
        const list = [];
        if (Array.isArray(raw.endpoints))
            for (const e of raw.endpoints)
                if (typeof e === 'string')
                    list.push(e);
        for (const propName of ENDPOINT_PROPERTIES)
            for (const e of byName.get(propName) ?? [])
                if (e.value)
                    list.push(e.value);
        if (list.length > 0)
            endpoints = sortedUnique(list);
    }
    let properties = NO_PROPERTIES;
    let facts = NO_FACTS;
    if (byName.size > 0) {
        properties = new Map();
        for (const [propName, entries] of byName)
            properties.set(propName, sortedUnique(entries.map((e) => e.value ?? '')));
        const scope = { byName, at, key, component: name, problems };
        facts = {
            pinned: readFact(PINNED_SOURCE, scope),
            pinned_version: readFact(PINNED_VERSION_SOURCE, scope),
            digest: readFact(DIGEST_SOURCE, scope),
            side_effect: readFact(SIDE_EFFECT_SOURCE, scope),
            requires_approval: readFact(APPROVAL_SOURCE, scope),
            trust_score: readFact(TRUST_SOURCE, scope),
            model_ref: readFact(MODEL_SOURCE, scope),
            kind: readFact(KIND_SOURCE, scope)
        };
    }
    const inferred = inferKind(element, type, name, group, purl, endpoints);
    return {
        key,
        key_source,
        element,
        type,
        name,
        group,
        bom_ref: str(raw['bom-ref']),
        version: str(raw.version),
        purl,
        hashes,
        endpoints,
        properties,
        kind: facts.kind?.value ?? inferred,
        kind_inferred: facts.kind === null,
        inferred_kind: inferred,
        kind_pointer: facts.kind?.pointer ?? null,
        pinned: facts.pinned,
        pinned_version: facts.pinned_version,
        digest: facts.digest,
        side_effect: facts.side_effect,
        requires_approval: facts.requires_approval,
        trust_score: facts.trust_score,
        model_ref: facts.model_ref,
        pointer: at
    };
}
function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}
/**
 * Every component and service of a BOM, nested ones included, keyed, in document order. Never throws:
 * values of the wrong type are skipped (the schema check reports them). Components are read later, and
 * only those the diff needs: most of a large BOM is unchanged.
 */
function indexBom(bom) {
    const entries = new BomEntries();
    const duplicateIndex = new Map();
    const doc = isObject(bom) ? bom : {};
    const metadata = isObject(doc.metadata) ? doc.metadata : null;
    const subject = metadata && isObject(metadata.component) ? metadata.component : null;
    // CycloneDX 1.5+ `metadata.tools` object form holds full components and services. The deprecated array form
    // (1.4-style `{ vendor, name, version, hashes }`) has no type, bom-ref or properties: nothing an agent fact could
    // be read from, so it is not read (docs/agbom.md).
    const tools = metadata && isObject(metadata.tools) ? metadata.tools : null;
    const cursors = [];
    const enter = (list, element, at) => {
        if (Array.isArray(list) && list.length > 0)
            cursors.push({ list, element, at, next: 0 });
    };
    const visit = (raw, element, list, position) => {
        if (!isObject(raw))
            return;
        const seen = entries.add(raw, element, list, position);
        // the entry's pointer is made only for a repeat or a nested list: most components are neither
        if (seen) {
            const at = position < 0 ? list : `${list}/${position}`;
            const dup = duplicateIndex.get(seen.key) ?? {
                key: seen.key,
                pointers: [seen.pointer],
                names: [str(seen.raw.name) ?? '']
            };
            dup.pointers.push(at);
            dup.names.push(str(raw.name) ?? '');
            duplicateIndex.set(seen.key, dup);
        }
        const children = element === 'service' ? raw.services : raw.components;
        if (Array.isArray(children) && children.length > 0) {
            const at = position < 0 ? list : `${list}/${position}`;
            if (element === 'service')
                enter(children, 'service', `${at}/services`);
            else
                enter(children, 'component', `${at}/components`);
        }
    };
    // a stack: pushed last is walked first, so the order is metadata.component, metadata.tools.components,
    // metadata.tools.services, components, services (metadata first, as it is written)
    enter(doc.services, 'service', '/services');
    enter(doc.components, 'component', '/components');
    if (tools) {
        enter(tools.services, 'service', (0,context/* pointer */.Wn)('metadata', 'tools', 'services'));
        enter(tools.components, 'component', (0,context/* pointer */.Wn)('metadata', 'tools', 'components'));
    }
    if (subject)
        visit(subject, 'subject', (0,context/* pointer */.Wn)('metadata', 'component'), -1);
    while (cursors.length > 0) {
        const top = cursors[cursors.length - 1];
        if (top.next >= top.list.length) {
            cursors.pop();
            continue;
        }
        const i = top.next++;
        visit(top.list[i], top.element, top.at, i);
    }
    return { entries, duplicates: [...duplicateIndex.values()], subject: subject ? str(subject.name) : null };
}
/** Every component of a BOM read, with the problems of their properties. */
function normaliseBom(bom) {
    const index = indexBom(bom);
    const problems = [];
    const components = new Map();
    for (const [key, entry] of index.entries)
        components.set(key, readComponent(entry, problems));
    return { ...index, components, problems };
}
const { hasOwn } = Object;
/** Deeper than any record the loader accepts; deeper values are judged different and read in full. */
const MAX_COMPARE_DEPTH = 64;
/**
 * Two entries written identically, their nested components and services aside (entries of their own). It runs
 * once per unchanged component of a large BOM, mostly in code not yet optimised: values are read once, equal ones
 * skip the recursion, and the own-key check runs only before recursing (an inherited value, such as a missing
 * `__proto__` key's, must not stand in for an object); primitives that differ fail without it.
 */
function sameEntry(x, y) {
    let keys = 0;
    for (const k in x) {
        if (k === 'components' || k === 'services')
            continue;
        keys++;
        if (!sameMember(x[k], y, k, 1))
            return false;
    }
    for (const k in y)
        if (k !== 'components' && k !== 'services')
            keys--;
    return keys === 0;
}
function sameJson(a, b, depth) {
    if (a === b)
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > MAX_COMPARE_DEPTH)
        return false;
    const list = Array.isArray(a);
    if (list !== Array.isArray(b))
        return false;
    if (list) {
        const x = a;
        const y = b;
        const n = x.length;
        if (n !== y.length)
            return false;
        for (let i = 0; i < n; i++) {
            const v = x[i];
            if (v !== y[i] && !sameJson(v, y[i], depth + 1))
                return false;
        }
        return true;
    }
    const x = a;
    const y = b;
    let keys = 0;
    for (const k in x) {
        keys++;
        if (!sameMember(x[k], y, k, depth + 1))
            return false;
    }
    for (const _ in y)
        keys--;
    return keys === 0;
}
/** Whether `y` has its own `k` equal to `v`. */
function sameMember(v, y, k, depth) {
    const w = y[k];
    if (v === w)
        return v !== undefined || hasOwn(y, k);
    return typeof v === 'object' && v !== null && hasOwn(y, k) && sameJson(v, w, depth);
}

// EXTERNAL MODULE: ./src/gate/secrets.ts
var secrets = __webpack_require__(9918);
;// CONCATENATED MODULE: ./src/gate/agbom.ts





const RULES = (0,rules/* defineRules */.x0)('agbom', {
    'agbom.mcp-unpinned': {
        severity: 'deny',
        title: 'MCP server is not pinned to an exact version and digest',
        description: 'An MCP server that is added or changed (or a component that was an MCP server on the base branch and was retyped in this change) must name an exact version (not a range such as ^1.2, ~1, *, 1.x or a tag such as latest) and a digest (a SHA-256/384/512 hash, a purl or version containing @sha256:, or an `agentgate:digest` property). An unpinned server can change what the agent is able to do without any change in this repository.',
        fix: 'Pin the server: set `version` to the exact release and add a `hashes` entry (or `agentgate:digest` for a service, or a purl with @sha256:…) for the artifact you reviewed.'
    },
    'agbom.low-trust': {
        severity: 'deny',
        title: 'Component trust score is below the minimum',
        description: 'A component that is added or changed declares a trust score (`agentgate:trust_score` or `trustScore`) below `agbom.min_trust_score` in the gate configuration (default 0.7).',
        fix: 'Replace the component with a trusted one, or have it reassessed and record the new score. Lowering `agbom.min_trust_score` changes the gate for every component.'
    },
    'agbom.unapproved-side-effect': {
        severity: 'deny',
        title: 'Tool with external or destructive side effects does not require approval',
        description: 'A tool or MCP server that is added or changed (or a component that was one on the base branch and was retyped in this change, or that plainly is one whatever kind it was written as, or any component that declares a writing side effect) declares an external_write or destructive side effect but no `agentgate:requires_approval: true`: the agent could write to other systems, or destroy data, without a person confirming.',
        fix: 'Require approval for the tool (`agentgate:requires_approval` = "true") in the runtime and the AgBOM, or narrow its side effect.'
    },
    'agbom.undeclared-side-effect': {
        severity: 'warning',
        title: 'New or changed tool does not declare its side effect',
        description: 'A tool or MCP server that is added or changed (or a component that was one on the base branch and was retyped in this change) has no side-effect property, so the gate cannot tell whether it writes to other systems.',
        fix: 'Add `agentgate:side_effect` (none, read, external_write or destructive) to the component.'
    },
    'agbom.policy-removed': {
        severity: 'deny',
        title: 'Policy component removed or no longer a policy',
        description: 'A component of kind policy that is in the base branch AgBOM is a policy in no head AgBOM: it was removed, or it is still there with another kind (its `agentgate:kind` changed, or a change to its type or name changed the inferred kind). Either way the agent loses a guard, and a later change could remove the component without this rule noticing. (A policy that moves to another AgBOM file of the same agent — the same `metadata.component.name` — is not removed; one moved into the AgBOM of another agent no longer guards this one.)',
        fix: 'Restore the policy (with kind policy), or replace it with one that covers the same risks and list it in the AgBOM.'
    },
    'agbom.kind-changed': {
        severity: 'follow_up',
        title: 'Component changed to a kind fewer rules watch',
        description: 'A component in both AgBOMs has another agent kind in the head (its `agentgate:kind` changed, or a change to its type, name or endpoints changed the inferred kind), and its base kind is judged by a rule its head kind is not: an MCP server that became a tool or `other` is no longer checked for pinning, a tool that became `other` no longer for its side effect, a model that became something else no longer needs an eval. In this change the component is judged by the rules of both kinds; from the next change on only its new kind applies, so a person confirms the new kind. (A policy retyped is agbom.policy-removed; a kind change that only adds rules, such as `other` to `tool`, is not reported.)',
        fix: 'Restore the kind the component had (`agentgate:kind`), or have a reviewer confirm that the new kind is what the component is.'
    },
    'agbom.secret': {
        severity: 'deny',
        title: 'AgBOM contains something that looks like a secret',
        description: 'A string in the head AgBOM looks like a credential: a known token shape (AWS, GitHub, GitLab, Slack, Stripe, OpenAI-style, Hugging Face, npm, Google, JWT, private key, a Bearer or Basic credential of an authorization header), credentials or a token in a URL, a password, or a long random value in a field named like a secret. An AgBOM is published with the release; it must name secrets, never hold them.',
        fix: 'Remove the value, rotate the credential (it is in the git history now), and refer to the secret by name (e.g. a secret store reference) instead.'
    },
    'agbom.model-changed': {
        severity: 'follow_up',
        title: 'Model changed without a passing required eval covering it',
        description: "A model component (or a component that was a model on the base branch) is added or its version or digest changed (or an agent's `model` property changed), and no required eval that covers it passes. An eval covers a model when its `spec.covers` lists the model's bom-ref or name, or, without `covers`, when its target is the agent the AgBOM describes.",
        fix: "Run an eval that covers the model and make it required (a change review record's required_evals or a Deployment's requiresEval), or list the model in an eval's `spec.covers`."
    },
    'agbom.model-change-covered': {
        severity: 'warning',
        title: 'Model changed; covered by a passing required eval',
        description: 'A model change that a passing required eval covers. Shown so the reviewer sees which evidence let the model change through.',
        fix: 'Nothing to fix. Turn the rule "off" in the configuration to hide these notes.'
    },
    'agbom.coverage-widened': {
        severity: 'follow_up',
        title: 'Model change covered only by eval coverage this change widened',
        description: "A model change that passing required evals cover, but each of them covers it only in the head: compared with the base branch's version of the same Eval (by metadata.name), the base version covers the model under none of its names (base or head) nor by target: this change added the model to `spec.covers`, removed `covers` so that the target rule applies, or changed the target. An Eval added in this change, in a file the base branch does not have, brings its own results and vouches like any eval; one with no base version although its file is on the base branch (unreadable there, or renamed) counts as widened. An eval that never measured the model would otherwise vouch for it. Without a base branch nothing is compared. When another passing required eval covered the model on the base branch too, the change stays agbom.model-change-covered.",
        fix: 'Have a reviewer confirm that the eval measures the new model (its dataset and metrics exercise it), or cover the model with an eval that already covered it on the base branch.'
    },
    'agbom.duplicate-key': {
        severity: 'deny',
        title: 'Two AgBOM components share a key',
        description: 'Components are compared by bom-ref, else purl, else type + group + name. Two components with the same key in one BOM make the diff ambiguous (CycloneDX also requires bom-refs to be unique).',
        fix: 'Give each component a unique `bom-ref`.'
    },
    'agbom.invalid-property': {
        severity: 'deny',
        title: 'AgBOM property has an invalid value',
        description: 'An agent property (`agentgate:kind`, `agentgate:pinned`, `agentgate:side_effect`, `agentgate:requires_approval`, `agentgate:trust_score`, `agentgate:digest`, or an alias such as `trustScore`) has a value the gate cannot read, or is given twice with different values; or a property in the `agentgate:` namespace has a name the gate does not know (a misspelt fact, such as `agentgate:side-effect`, would go unread). The gate does not guess: an unreadable fact fails closed.',
        fix: 'Use one of the names and values listed in docs/agbom.md.'
    }
});
/** One AgBOM file, its components read into agent components on first use. */
class BomFile {
    rec;
    index;
    /** invalid agent properties of the components read so far */
    problems = [];
    components = new Map();
    constructor(rec) {
        this.rec = rec;
        this.index = indexBom(rec.data);
    }
    component(key) {
        let c = this.components.get(key);
        if (c === undefined) {
            const entry = this.index.entries.get(key);
            if (entry === undefined)
                return undefined;
            c = readComponent(entry, this.problems);
            this.components.set(key, c);
        }
        return c;
    }
    /** Read every component that names an agent property, so that no invalid agent property goes unreported. */
    readAllProperties() {
        const { entries } = this.index;
        entries.forEachSlot((key, slot) => {
            if (namesAgentProperty(entries.raw(slot)))
                this.component(key);
        });
    }
}
function evaluateAgbom(ctx, evals) {
    const heads = ctx.head.of('agbom');
    const bases = ctx.base?.of('agbom') ?? [];
    if (heads.length === 0 && bases.length === 0)
        return { findings: [], evidence: null };
    const findings = new rules/* FindingList */.kQ(ctx.config);
    // the head is scanned whole (a secret anywhere is a finding); base values are masked as they are shown
    const redactor = new secrets/* Redactor */.pO();
    const headStates = heads.map((rec) => new BomFile(rec));
    const baseStates = bases.map((rec) => new BomFile(rec));
    for (const state of headStates)
        reportSecrets(state.rec, redactor.scan(state.rec.data), findings);
    const show = (text, fieldName = null) => redactor.text(text, fieldName);
    for (const state of headStates) {
        state.readAllProperties();
        reportBomProblems(state, findings, show);
    }
    const pairs = pairBoms(headStates, baseStates);
    const prefixed = pairs.length > 1;
    const counts = { base: 0, head: 0, added: 0, removed: 0, changed: 0, unchanged: 0 };
    for (const s of baseStates)
        counts.base += s.index.entries.size;
    for (const s of headStates)
        counts.head += s.index.entries.size;
    const changes = [];
    for (const pair of pairs)
        counts.unchanged += diffPair(pair, prefixed, changes);
    changes.sort((a, b) => (0,context/* cmp */.r2)(a.key, b.key));
    const coverage = evalCoverage(ctx, evals);
    // a policy that moved to another AgBOM file is not removed
    // a policy that moved to another AgBOM of the same agent is not removed; one moved into an unrelated agent's
    // AgBOM no longer guards this one
    const inHeadAsPolicy = (key, from) => headStates.some((s) => (s.rec.source.path === from.rec.source.path ||
        (from.index.subject !== null && s.index.subject === from.index.subject)) &&
        s.component(key)?.kind === 'policy');
    const components = [];
    for (const item of changes) {
        counts[item.change]++;
        const risks = judgeComponent(ctx, item, coverage, inHeadAsPolicy, findings, show);
        components.push(componentEvidence(item, risks, show));
    }
    const files = (side) => {
        const paths = (side === 'base' ? baseStates : headStates).map((s) => s.rec.source.path);
        return paths.length === 0 ? null : paths.join(', ');
    };
    return {
        findings: sortFindings(findings),
        evidence: { base_file: files('base'), head_file: files('head'), counts, components }
    };
}
function sortFindings(list) {
    return [...list.items].sort((a, b) => (0,context/* cmp */.r2)(a.location?.file ?? '', b.location?.file ?? '') ||
        (0,context/* cmp */.r2)(a.subject ?? '', b.subject ?? '') ||
        (0,context/* cmp */.r2)(a.rule, b.rule) ||
        (0,context/* cmp */.r2)(a.location?.pointer ?? '', b.location?.pointer ?? ''));
}
// ---------------------------------------------------------------------------------------------------------------
// Pairing and diffing
/** Base ↔ head by file path; then by the agent the BOM describes (metadata.component.name); the rest stand alone. */
function pairBoms(heads, bases) {
    const pairs = [];
    const baseByPath = new Map(bases.map((b) => [b.rec.source.path, b]));
    const unpairedHeads = [];
    const pairedBases = new Set();
    for (const head of heads) {
        const base = baseByPath.get(head.rec.source.path);
        if (base) {
            pairs.push({ base, head });
            pairedBases.add(base);
        }
        else
            unpairedHeads.push(head);
    }
    const basesBySubject = new Map();
    for (const base of bases) {
        if (pairedBases.has(base) || base.index.subject === null)
            continue;
        const list = basesBySubject.get(base.index.subject) ?? [];
        list.push(base);
        basesBySubject.set(base.index.subject, list);
    }
    for (const head of unpairedHeads) {
        const base = head.index.subject === null ? undefined : basesBySubject.get(head.index.subject)?.shift();
        if (base)
            pairedBases.add(base);
        pairs.push({ base: base ?? null, head });
    }
    for (const base of bases)
        if (!pairedBases.has(base))
            pairs.push({ base, head: null });
    return pairs.sort((a, b) => (0,context/* cmp */.r2)(pairFile(a), pairFile(b)));
}
function pairFile(p) {
    return (p.head ?? p.base).rec.source.path;
}
/** Adds the pair's added, removed and changed components to `out`; returns how many are unchanged. */
function diffPair(pair, prefixed, out) {
    const prefix = prefixed ? `${pairFile(pair)}#` : '';
    const { base, head } = pair;
    let unchanged = 0;
    const bases = base?.index.entries;
    // the base entries the head has, by slot: what is left unmarked was removed
    const baseCount = bases?.size ?? 0;
    const kept = new Uint8Array(baseCount);
    if (head) {
        const heads = head.index.entries;
        // BOMs mostly keep their order from one version to the next: the base entry after the last one matched is
        // tried first, and the key looked up only when it is not the one (it saves most lookups of a large BOM)
        let next = 0;
        heads.forEachSlot((key, slot) => {
            let baseSlot = -1;
            if (bases) {
                baseSlot = next < baseCount && bases.keyAt(next) === key ? next : bases.slotOf(key);
                if (baseSlot >= 0) {
                    kept[baseSlot] = 1;
                    next = baseSlot + 1;
                }
            }
            if (baseSlot < 0) {
                out.push({ key: prefix + key, pair, base: null, head: head.component(key), change: 'added', differences: [] });
                return;
            }
            // written identically: no need to read either side
            if (heads.sameAs(slot, bases, baseSlot)) {
                unchanged++;
                return;
            }
            const b = base.component(key);
            const h = head.component(key);
            const differences = diffComponent(b, h);
            if (differences.length === 0)
                unchanged++;
            else
                out.push({ key: prefix + key, pair, base: b, head: h, change: 'changed', differences });
        });
    }
    if (base && bases) {
        bases.forEachSlot((key, slot) => {
            if (kept[slot] === 1)
                return;
            out.push({ key: prefix + key, pair, base: base.component(key), head: null, change: 'removed', differences: [] });
        });
    }
    return unchanged;
}
/** Field-level differences, sorted by field. */
function diffComponent(base, head) {
    const out = [];
    for (const field of ['type', 'name', 'group', 'version', 'purl']) {
        if (base[field] !== head[field])
            out.push({ field, base: base[field], head: head[field] });
    }
    for (const alg in base.hashes) {
        const h = head.hashes[alg] ?? null;
        if (base.hashes[alg] !== h)
            out.push({ field: `hashes.${alg}`, base: base.hashes[alg], head: h });
    }
    for (const alg in head.hashes)
        if (!(alg in base.hashes))
            out.push({ field: `hashes.${alg}`, base: null, head: head.hashes[alg] });
    if (!sameList(base.endpoints, head.endpoints))
        out.push({ field: 'endpoints', base: base.endpoints, head: head.endpoints });
    // the kind as read or inferred: it decides which rules apply, and can change with nothing else than the element
    if (base.kind !== head.kind)
        out.push({ field: 'agent_kind', base: base.kind, head: head.kind });
    for (const [name, b] of base.properties) {
        const h = head.properties.get(name);
        if (h === undefined || !sameList(b, h))
            out.push({ field: `properties.${name}`, base: propertyJson(b), head: propertyJson(h) });
    }
    for (const [name, h] of head.properties) {
        if (!base.properties.has(name))
            out.push({ field: `properties.${name}`, base: null, head: propertyJson(h) });
    }
    return out.length > 1 ? out.sort((a, b) => (0,context/* cmp */.r2)(a.field, b.field)) : out;
}
function sameList(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}
function propertyJson(values) {
    if (values === undefined)
        return null;
    return values.length === 1 ? values[0] : values;
}
function scopeOf(data) {
    const spec = data.spec;
    const covers = Array.isArray(spec?.covers) ? spec.covers.filter((x) => typeof x === 'string') : null;
    const target = spec?.target?.name;
    return { covers, target: typeof target === 'string' ? target : null };
}
/** Eval records by metadata.name, the first by path (as the evals family reads them). */
function evalsByName(records) {
    const byName = new Map();
    for (const r of records) {
        const name = r.data.metadata?.name;
        if (typeof name === 'string' && !byName.has(name))
            byName.set(name, r);
    }
    return byName;
}
function evalCoverage(ctx, evals) {
    const heads = evalsByName(ctx.head.of('eval'));
    const bases = ctx.base ? evalsByName(ctx.base.of('eval')) : null;
    const baseSet = ctx.base?.set ?? null;
    const basePaths = baseSet ? new Set([...baseSet.files.map((f) => f.path), ...(baseSet.paths ?? [])]) : null;
    return evals
        .filter((e) => e.required)
        .map((e) => {
        const rec = heads.get(e.eval) ?? null;
        const baseRec = bases?.get(e.eval);
        return {
            name: e.eval,
            verdict: e.verdict,
            ...(rec ? scopeOf(rec.data) : { covers: null, target: null }),
            rec,
            base: bases === null ? undefined : baseRec ? { ...scopeOf(baseRec.data), file: baseRec.source.path } : null,
            added: basePaths !== null && !baseRec && rec !== null && !basePaths.has(rec.source.path)
        };
    })
        .sort((a, b) => (0,context/* cmp */.r2)(a.name, b.name));
}
/** The names an eval may list in `spec.covers` to cover a component. */
function coverNames(c) {
    return new Set([c.key, c.name, ...(c.bom_ref ? [c.bom_ref] : []), ...(c.model_ref ? [c.model_ref.value] : [])]);
}
function scopeCovers(scope, names, subject) {
    return scope.covers !== null ? scope.covers.some((x) => names.has(x)) : subject !== null && scope.target === subject;
}
function coveringEvals(coverage, c, subject) {
    const names = coverNames(c);
    return coverage.filter((e) => scopeCovers(e, names, subject));
}
/**
 * Whether an eval that covers the component on the head covers it only thanks to this change: there is no base
 * version of the Eval although its file is on the base branch (unreadable, or the Eval renamed), or the base version covers it under none of its names, base or head (bom-ref, key, name,
 * `model` property), nor by target as the agent either AgBOM describes.
 */
function coverageWidened(e, item) {
    // an Eval added with the change brings its own results: it vouches like any eval (a base version it
    // was read from could not be widened); an existing Eval that starts covering a model without a new run is
    // the loophole this rule closes
    if (e.base === undefined || e.added)
        return false;
    if (e.base === null)
        return true;
    const names = coverNames(item.head);
    if (item.base !== null)
        for (const n of coverNames(item.base))
            names.add(n);
    const base = e.base;
    const subjects = [item.pair.head.index.subject, item.pair.base?.index.subject ?? null];
    return !subjects.some((subject) => scopeCovers(base, names, subject));
}
/** Version strings that float: ranges, wildcards, dist-tags, partial versions. */
const FLOATING_TAGS = new Set([
    'latest',
    'stable',
    'main',
    'master',
    'head',
    'next',
    'edge',
    'nightly',
    'canary',
    'dev',
    'current',
    'release',
    'beta',
    'alpha'
]);
/** Why a version is not exact, or null when it is. A trailing @sha256:… digest is not part of the version. */
function notExactVersion(version) {
    if (version === null || version.trim() === '')
        return 'no version';
    const v = version.trim().replace(/@sha(?:256|384|512):[0-9a-f]+$/i, '');
    if (v === '')
        return 'only a digest, no version';
    // an invisible character makes a tag look like an exact version (`latest\u200b`)
    if (/[\p{Cc}\p{Cf}]/u.test(v))
        return `a version with invisible characters ("${(0,read_text/* revealInvisible */.hR)(v)}")`;
    if (/[\^~*<>=|,[\]()]|\s/.test(v))
        return `a version range ("${v}")`;
    if (v.includes('@'))
        return `a version with a tag or another version after '@' ("${v}")`;
    if (/-snapshot$/i.test(v))
        return `a snapshot version ("${v}"), rebuilt under the same name`;
    if (/(?:^|[.-])[xX](?:$|[.-])/.test(v))
        return `a wildcard version ("${v}")`;
    if (FLOATING_TAGS.has(v.toLowerCase()))
        return `a floating tag ("${v}")`;
    if (/^v?\d+(?:\.\d+)?$/.test(v))
        return `a partial version ("${v}") that matches later releases`;
    return null;
}
const DIGEST_LENGTHS = {
    'SHA-256': 64,
    'SHA-384': 96,
    'SHA-512': 128,
    'SHA3-256': 64,
    'SHA3-384': 96,
    'SHA3-512': 128
};
const ALG_LENGTHS = { sha256: 64, sha384: 96, sha512: 128 };
/** `@sha256:<hex>` in a version or purl (the purl may percent-encode the colon) */
const INLINE_DIGEST = /sha(256|384|512)(?::|%3a)([0-9a-f]+)/i;
/** The digest that pins a component, or null. */
function pinningDigest(c) {
    for (const alg of Object.keys(c.hashes).sort()) {
        const content = c.hashes[alg];
        if (DIGEST_LENGTHS[alg] === content.length && /^[0-9a-f]+$/.test(content))
            return `${alg}:${content}`;
    }
    for (const text of [c.version, c.purl, c.digest?.value ?? null]) {
        const m = text === null ? null : INLINE_DIGEST.exec(text);
        if (m && ALG_LENGTHS[`sha${m[1]}`] === m[2].length)
            return `sha${m[1]}:${m[2].toLowerCase()}`;
    }
    return null;
}
/** Apply the high-risk rules to one component; returns the reasons it is high-risk (for its evidence). */
function judgeComponent(ctx, item, coverage, inHeadAsPolicy, findings, show) {
    const j = { ctx, item, findings, show, subject: show(item.key) };
    const reasons = [
        checkPolicyRemoved(j, inHeadAsPolicy),
        checkKindChanged(j),
        checkPinned(j),
        checkTrust(j),
        checkSideEffect(j),
        checkModelChange(j, coverage)
    ];
    return reasons.filter((r) => r !== null);
}
function label(c, show) {
    return `${kindLabel(c.kind)} "${show(c.name)}"`;
}
/**
 * The rules an agent kind is judged by, beyond those every component is. A component whose kind changed between
 * base and head is judged by the rules of both kinds (judgedKind), so that retyping it escapes none.
 */
const KIND_RULES = {
    mcp_server: ['agbom.mcp-unpinned', 'agbom.unapproved-side-effect', 'agbom.undeclared-side-effect'],
    tool: ['agbom.unapproved-side-effect', 'agbom.undeclared-side-effect'],
    model: ['agbom.model-changed'],
    policy: ['agbom.policy-removed']
};
/**
 * The kind under which a kind-specific rule judges an added or changed component: its head kind when that is one
 * of `kinds`, else its base kind when that is (a component retyped in this change); null when neither is.
 */
/** Kinds inferred from signs strong enough to judge a component by, whatever kind it was written as. */
const PLAIN_KINDS = new Set(['mcp_server', 'model']);
function judgedKind(item, kinds) {
    const head = item.head;
    if (kinds.has(head.kind))
        return head.kind;
    // a written kind these rules do not watch, on a component that plainly is one they do (a service or server whose
    // name or endpoint says MCP, a machine-learning model): judged as what it is too, so that writing
    // `agentgate:kind: agent` on an MCP server does not unpin it. (A service is otherwise inferred to be a tool, too
    // weak a sign to override a written kind; one that declares a writing side effect is judged by checkSideEffect.)
    if (PLAIN_KINDS.has(head.inferred_kind) && kinds.has(head.inferred_kind))
        return head.inferred_kind;
    return item.base !== null && kinds.has(item.base.kind) ? item.base.kind : null;
}
/** The component as a rule judging it as `kind` names it: "MCP server "x" (now kind other)" when it was retyped. */
function judgedLabel(j, kind) {
    const head = j.item.head;
    const note = kind === head.kind
        ? ''
        : kind === j.item.base?.kind
            ? ` (now kind ${head.kind})`
            : ` (written as kind ${head.kind}, judged as what it looks like)`;
    return `${kindLabel(kind)} "${j.show(head.name)}"${note}`;
}
/** Where a component's kind came from, for messages: the agentgate:kind value, or inference. */
function kindSource(c) {
    return c.kind_pointer === null ? `inferred for ${c.pointer}` : `agentgate:kind at ${c.kind_pointer}`;
}
function listText(items) {
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
/**
 * A component whose kind changed to one that fewer rules watch. It is judged by both kinds here (judgedKind); the
 * finding makes a person confirm the new kind, which alone applies from the next change on. A base policy is
 * agbom.policy-removed's: it denies when no head AgBOM keeps the policy.
 */
function checkKindChanged(j) {
    const { item, show } = j;
    const { base, head } = item;
    if (base === null || head === null || base.kind === head.kind || base.kind === 'policy')
        return null;
    const headRules = KIND_RULES[head.kind] ?? [];
    const dropped = (KIND_RULES[base.kind] ?? []).filter((rule) => !headRules.includes(rule));
    if (dropped.length === 0)
        return null;
    const baseRec = item.pair.base.rec;
    const headRec = item.pair.head.rec;
    j.findings.add(RULES['agbom.kind-changed'], {
        message: `${label(base, show)} (${show(base.key)}) changed kind ${base.kind} → ${head.kind}: ${base.kind} in the base AgBOM ${baseRec.source.path} (${kindSource(base)}), ${head.kind} in the head AgBOM ${headRec.source.path} (${kindSource(head)}); ${listText(dropped)} no longer ${dropped.length === 1 ? 'applies' : 'apply'} to it (this change is judged by the rules of both kinds); required: a reviewer's confirmation of kind ${head.kind}, or kind ${base.kind} restored.`,
        observed: head.kind,
        required: base.kind,
        location: (0,context/* locationOf */.hD)(headRec, head.kind_pointer ?? head.pointer),
        evidence: {
            base_kind: base.kind,
            base_kind_pointer: base.kind_pointer,
            base_file: baseRec.source.path,
            base_pointer: base.pointer,
            head_kind: head.kind,
            head_kind_pointer: head.kind_pointer,
            rules_no_longer_applied: dropped
        },
        subject: j.subject
    });
    return `kind changed ${base.kind} → ${head.kind}`;
}
function versionText(version, show) {
    return version === null ? '(none)' : show(version);
}
/** The head component of an added or changed item, with what the messages say about it. */
function headSide(j) {
    const head = j.item.head;
    return { head, rec: j.item.pair.head.rec, verb: j.item.change === 'added' ? 'added' : 'changed' };
}
function checkPolicyRemoved(j, inHeadAsPolicy) {
    const { item, show } = j;
    const base = item.base;
    if (base === null || base.kind !== 'policy' || item.change === 'added')
        return null;
    // a changed component that stays a policy is judged by the other rules; one that is no longer a policy, and a
    // policy in no other head AgBOM, is a policy lost as surely as a removed one
    if (item.head?.kind === 'policy' || inHeadAsPolicy(base.key, item.pair.base))
        return null;
    const baseRec = item.pair.base.rec;
    if (item.head !== null)
        return policyKindChanged(j, base, item.head, baseRec);
    const headRec = item.pair.head?.rec ?? null;
    // point at the head AgBOM, where the policy is missing; the base location goes into the evidence
    const location = headRec
        ? (0,context/* locationOf */.hD)(headRec, base.element === 'service' ? '/services' : '/components')
        : (0,context/* locationOf */.hD)(baseRec, base.pointer);
    j.findings.add(RULES['agbom.policy-removed'], {
        message: `${label(base, show)} (${show(base.key)}) is in the base AgBOM ${baseRec.source.path} at ${base.pointer} and in no head AgBOM of the same agent; required: policies stay in the AgBOM.`,
        observed: null,
        required: show(base.key),
        location,
        evidence: {
            base_file: baseRec.source.path,
            base_pointer: base.pointer,
            version: base.version === null ? null : show(base.version)
        },
        subject: j.subject
    });
    return 'policy removed';
}
/** A base policy still in the head under its key, with another kind. */
function policyKindChanged(j, base, head, baseRec) {
    const { show } = j;
    const headRec = j.item.pair.head.rec;
    const how = head.kind_pointer === null ? 'inferred' : 'agentgate:kind';
    j.findings.add(RULES['agbom.policy-removed'], {
        message: `${label(base, show)} (${show(base.key)}) is a policy in the base AgBOM ${baseRec.source.path} at ${base.pointer} but has kind ${head.kind} (${how}) in the head AgBOM ${headRec.source.path} at ${head.pointer}, and is a policy in no head AgBOM; required: policies stay in the AgBOM, as policies.`,
        observed: head.kind,
        required: 'policy',
        location: (0,context/* locationOf */.hD)(headRec, head.kind_pointer ?? head.pointer),
        evidence: {
            base_file: baseRec.source.path,
            base_pointer: base.pointer,
            version: base.version === null ? null : show(base.version),
            head_kind: head.kind,
            head_kind_inferred: head.kind_pointer === null
        },
        subject: j.subject
    });
    return `policy is no longer a policy (kind ${head.kind})`;
}
const MCP_KINDS = new Set(['mcp_server']);
function checkPinned(j) {
    if (j.item.head === null)
        return null;
    const kind = judgedKind(j.item, MCP_KINDS);
    if (kind === null)
        return null;
    const { head, rec, verb } = headSide(j);
    const version = head.version ?? head.pinned_version?.value ?? null;
    const versionProblem = notExactVersion(version);
    const digest = pinningDigest(head);
    const problems = [
        ...(versionProblem ? [versionProblem] : []),
        ...(digest === null ? ['no digest'] : []),
        ...(head.pinned?.value === false ? [`${head.pinned.property} is "false"`] : [])
    ];
    if (problems.length === 0)
        return null;
    const shownVersion = version === null ? null : j.show(version);
    j.findings.add(RULES['agbom.mcp-unpinned'], {
        message: `${judgedLabel(j, kind)} was ${verb} with ${problems.join(', ')}; required: an exact version and a SHA-256/384/512 digest.`,
        observed: { version: shownVersion, digest },
        required: 'exact version + digest',
        location: (0,context/* locationOf */.hD)(rec, head.version !== null ? `${head.pointer}/version` : head.pointer),
        evidence: { version: shownVersion, digest, pinned: head.pinned?.value ?? null },
        subject: j.subject
    });
    return `MCP server not pinned (${problems.join(', ')})`;
}
function checkTrust(j) {
    if (j.item.head === null)
        return null;
    const { head, rec, verb } = headSide(j);
    const min = j.ctx.config.agbom.min_trust_score;
    const trust = head.trust_score;
    if (trust === null || trust.value >= min)
        return null;
    j.findings.add(RULES['agbom.low-trust'], {
        message: `${label(head, j.show)} was ${verb} with trust score ${trust.value} (${trust.property}); required: at least ${min}.`,
        observed: trust.value,
        required: min,
        location: (0,context/* locationOf */.hD)(rec, trust.pointer),
        evidence: { trust_score: trust.value, base_trust_score: j.item.base?.trust_score?.value ?? null },
        subject: j.subject
    });
    return `trust score ${trust.value} below ${min}`;
}
/** Tools and MCP servers are what act on the world. */
const ACTING_KINDS = new Set(['tool', 'mcp_server']);
function checkSideEffect(j) {
    if (j.item.head === null)
        return null;
    // a component of any kind that declares it writes acts as a tool does, and needs the same approval
    const declared = j.item.head.side_effect?.value;
    const writes = declared === 'external_write' || declared === 'destructive';
    const kind = judgedKind(j.item, ACTING_KINDS) ?? (writes ? j.item.head.kind : null);
    if (kind === null)
        return null;
    const { head, rec, verb } = headSide(j);
    const effect = head.side_effect;
    if (effect === null) {
        j.findings.add(RULES['agbom.undeclared-side-effect'], {
            message: `${judgedLabel(j, kind)} was ${verb} without a side-effect property; required: agentgate:side_effect (none | read | external_write | destructive).`,
            observed: null,
            required: 'agentgate:side_effect',
            location: (0,context/* locationOf */.hD)(rec, head.pointer),
            subject: j.subject
        });
        return null;
    }
    const approval = head.requires_approval;
    if ((effect.value !== 'external_write' && effect.value !== 'destructive') || approval?.value === true)
        return null;
    j.findings.add(RULES['agbom.unapproved-side-effect'], {
        message: `${judgedLabel(j, kind)} was ${verb} with side effect ${effect.value} (${effect.property}) and ${approval ? `${approval.property} "false"` : 'no requires_approval property'}; required: agentgate:requires_approval "true".`,
        observed: { side_effect: effect.value, requires_approval: approval?.value ?? null },
        required: { requires_approval: true },
        location: (0,context/* locationOf */.hD)(rec, approval?.pointer ?? effect.pointer),
        subject: j.subject
    });
    return `${effect.value} side effect without approval`;
}
const MODEL_KINDS = new Set(['model']);
function checkModelChange(j, coverage) {
    if (j.item.head === null)
        return null;
    const modelKind = judgedKind(j.item, MODEL_KINDS);
    const change = describeModelChange(j.item, modelKind !== null, j.show);
    if (change === null)
        return null;
    const { head, rec } = headSide(j);
    const name = modelKind === null ? label(head, j.show) : judgedLabel(j, modelKind);
    const covering = coveringEvals(coverage, head, j.item.pair.head.index.subject);
    const passing = covering.filter((e) => e.verdict === 'pass');
    const location = (0,context/* locationOf */.hD)(rec, change.pointer);
    const widened = passing.filter((e) => coverageWidened(e, j.item));
    const widenedSet = new Set(widened);
    const vouching = passing.filter((e) => !widenedSet.has(e)).map((e) => e.name);
    if (vouching.length > 0) {
        const alsoWidened = widened.length === 0
            ? ''
            : ` (also covered by ${widened.map((e) => e.name).join(', ')} through coverage this change widened)`;
        j.findings.add(RULES['agbom.model-change-covered'], {
            message: `${name} ${change.text}; covered by passing required eval ${vouching.join(', ')}${alsoWidened}.`,
            location,
            evidence: {
                covered_by: vouching,
                ...(widened.length > 0 ? { widened_coverage: widened.map((e) => e.name) } : {}),
                ...change.evidence
            },
            subject: j.subject
        });
        return null;
    }
    if (widened.length > 0)
        return coverageWidenedFinding(j, name, change, widened, location);
    const others = covering.map((e) => `${e.name} (${e.verdict})`);
    j.findings.add(RULES['agbom.model-changed'], {
        message: `${name} ${change.text}; required: a passing required eval that covers it (${others.length > 0 ? `covering required evals: ${others.join(', ')}` : 'no required eval covers it'}).`,
        observed: others,
        required: 'a passing required eval covering the model',
        location,
        evidence: { covering_evals: others, ...change.evidence },
        subject: j.subject
    });
    return 'model changed without a passing covering eval';
}
/** An Eval's scope as written, for messages. */
function scopeText(scope, show) {
    if (scope.covers !== null)
        return `spec.covers [${scope.covers.map((x) => show(x)).join(', ')}]`;
    return `no spec.covers, target ${scope.target === null ? '(none)' : show(scope.target)}`;
}
/** How this change widened one eval's coverage. */
function wideningText(e, show) {
    const at = e.rec ? ` (${e.rec.source.path})` : '';
    if (!e.base)
        return `${e.name}${at} is new in this change: no Eval ${e.name} on the base branch`;
    return `${e.name}${at}: ${scopeText(e.base, show)} on the base branch → ${scopeText(e, show)}`;
}
/** A model change that passing required evals cover, each only thanks to this change. */
function coverageWidenedFinding(j, name, change, widened, modelLocation) {
    const { show } = j;
    const how = widened.map((e) => wideningText(e, show));
    const first = widened[0];
    // point at the eval whose coverage changed; the model's place goes into the evidence
    const location = first.rec
        ? (0,context/* locationOf */.hD)(first.rec, first.covers !== null ? '/spec/covers' : first.target !== null ? '/spec/target' : '')
        : modelLocation;
    j.findings.add(RULES['agbom.coverage-widened'], {
        message: `${name} ${change.text}; covered only by passing required eval ${widened.map((e) => e.name).join(', ')}, whose coverage of it this change widened (${how.join('; ')}); required: a passing required eval that covered the model on the base branch too, or a reviewer who confirms that the eval measures it.`,
        observed: widened.map((e) => e.name),
        required: 'a passing required eval whose base branch version covered the model',
        location,
        evidence: {
            widened: widened.map((e) => ({
                eval: e.name,
                file: e.rec?.source.path ?? null,
                base_file: e.base?.file ?? null,
                base_covers: e.base ? (e.base.covers?.map((x) => show(x)) ?? null) : null,
                base_target: e.base && e.base.target !== null ? show(e.base.target) : null,
                head_covers: e.covers?.map((x) => show(x)) ?? null,
                head_target: e.target === null ? null : show(e.target)
            })),
            model_file: modelLocation.file,
            model_pointer: modelLocation.pointer ?? null,
            ...change.evidence
        },
        subject: j.subject
    });
    return 'model change covered only by eval coverage this change widened';
}
/**
 * How a model changed: a model component (`isModel`: of kind model on the head, or on the base when retyped) added,
 * or its version or digest changed; or an agent's `model` property.
 */
function describeModelChange(item, isModel, show) {
    const h = item.head;
    const b = item.base;
    const shownVersion = (v) => (v === null || v === undefined ? null : show(v));
    const shown = { base_version: shownVersion(b?.version), head_version: shownVersion(h.version) };
    if (isModel) {
        if (b === null)
            return { text: `was added at version ${versionText(h.version, show)}`, pointer: h.pointer, evidence: shown };
        if (b.version !== h.version) {
            const text = `changed version ${versionText(b.version, show)} → ${versionText(h.version, show)}`;
            return { text, pointer: `${h.pointer}/version`, evidence: shown };
        }
        if (item.differences.some((d) => d.field.startsWith('hashes.'))) {
            const text = `changed digest at version ${versionText(h.version, show)}`;
            return { text, pointer: `${h.pointer}/hashes`, evidence: shown };
        }
        // the same key and version, another model: a name, group or purl that changed names what runs
        const renamed = item.differences.find((d) => d.field === 'name' || d.field === 'group' || d.field === 'purl');
        if (renamed) {
            const ident = (c) => [c.group, c.name].filter((x) => x).join('/');
            // a purl that alone changed is what names the other model
            const byPurl = ident(h) === ident(b);
            const named = (c) => show(byPurl ? (c.purl ?? '(no purl)') : ident(c) || (c.purl ?? ''));
            const text = `now names another model, ${named(h)} (was ${named(b)}), at version ${versionText(h.version, show)}`;
            return {
                text,
                pointer: `${h.pointer}/${renamed.field}`,
                evidence: { ...shown, base_name: named(b), head_name: named(h) }
            };
        }
    }
    const now = h.model_ref;
    const was = b?.model_ref ?? null;
    if (now === null || now.value === was?.value)
        return null;
    return {
        text: `now runs on model ${show(now.value)}${was ? ` (was ${show(was.value)})` : ''}`,
        pointer: now.pointer,
        evidence: { base_model: was ? show(was.value) : null, head_model: show(now.value) }
    };
}
const KIND_LABELS = {
    model: 'Model',
    mcp_server: 'MCP server',
    tool: 'Tool',
    prompt: 'Prompt',
    policy: 'Policy',
    dataset: 'Dataset',
    guardrail: 'Guardrail',
    agent: 'Agent',
    other: 'Component'
};
function kindLabel(kind) {
    return KIND_LABELS[kind] ?? 'Component';
}
// ---------------------------------------------------------------------------------------------------------------
// BOM-level problems
function reportSecrets(rec, hits, findings) {
    for (const hit of hits) {
        const masked = hit.masked.length > 120 ? `${hit.masked.slice(0, 117)}…` : hit.masked;
        findings.add(RULES['agbom.secret'], {
            message: `${rec.source.path} at ${hit.pointer || '/'} holds what looks like a ${hit.kinds.join(' and ')} (masked: ${masked}); required: no secrets in the AgBOM.`,
            observed: hit.kinds,
            required: 'no secrets',
            location: (0,context/* locationOf */.hD)(rec, hit.pointer),
            evidence: { kinds: hit.kinds, masked },
            subject: hit.pointer
        });
    }
}
function reportBomProblems(state, findings, show) {
    const { rec, index, problems } = state;
    for (const dup of index.duplicates) {
        findings.add(RULES['agbom.duplicate-key'], {
            message: `Key "${show(dup.key)}" is used by ${dup.pointers.length} components (${dup.pointers.join(', ')}); required: one component per key. The first one is compared.`,
            observed: dup.pointers,
            required: 'unique bom-ref / purl / type+group+name',
            location: (0,context/* locationOf */.hD)(rec, dup.pointers[1]),
            evidence: { key: show(dup.key), pointers: dup.pointers, names: dup.names.map((n) => show(n)) },
            subject: show(dup.key)
        });
    }
    for (const p of problems) {
        findings.add(RULES['agbom.invalid-property'], {
            message: `Property ${show(p.property)} of "${show(p.component)}" is ${p.value === null ? 'missing its value' : `"${show(p.value, p.property)}"`}; required: ${p.expected}.`,
            observed: p.value === null ? null : show(p.value, p.property),
            required: p.expected,
            location: (0,context/* locationOf */.hD)(rec, p.pointer),
            evidence: { component: show(p.key), property: show(p.property) },
            subject: show(p.key)
        });
    }
}
function componentEvidence(item, risks, show) {
    const c = (item.head ?? item.base);
    const side = (x) => {
        if (x === null)
            return null;
        const hashes = Object.fromEntries(Object.entries(x.hashes).map(([alg, content]) => [alg, show(content)]));
        return { version: x.version === null ? null : show(x.version), hashes };
    };
    return {
        key: show(item.key),
        name: show(c.name),
        agent_kind: c.kind,
        change: item.change,
        base: side(item.base),
        head: side(item.head),
        differences: item.differences.map((d) => ({
            field: show(d.field),
            base: showJson(d.base, show, propertyOf(d.field)),
            head: showJson(d.head, show, propertyOf(d.field))
        })),
        risks
    };
}
/** The property a difference is about ("properties.db_password" → db_password): its name tells what a value holds. */
function propertyOf(field) {
    return field.startsWith('properties.') ? field.slice('properties.'.length) : null;
}
function showJson(value, show, fieldName) {
    if (typeof value === 'string')
        return show(value, fieldName);
    if (Array.isArray(value))
        return value.map((v) => showJson(v, show, fieldName));
    return value;
}


/***/ }),

/***/ 7475:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EQ: () => (/* binding */ evaluateApprovals),
/* harmony export */   R1: () => (/* binding */ checkRole),
/* harmony export */   y0: () => (/* binding */ RULES),
/* harmony export */   yS: () => (/* binding */ configLocation)
/* harmony export */ });
/* unused harmony exports collectRoleRequirements, latestReviewStates */
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7344);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2104);
/* harmony import */ var _settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9563);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3791);




const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_0__/* .defineRules */ .x0)('approvals', {
    'approvals.missing': {
        severity: 'follow_up',
        title: 'Required role has not approved',
        description: 'Every role the change needs (change approval_roles, change_review_record required_reviews, ' +
            'rollout_gate_record decided_by — of the records of its changes, merged earlier ones and the base copy of ' +
            'one the pull request edits or removes included —, a Deployment promotion.requiresApproval, approvals.required_roles, the gate owner when gate files ' +
            'change) must be evidenced by an APPROVED pull request review from someone who holds the role, on the head ' +
            'commit unless approvals.accept_stale is set. The author of the pull request never counts. A record that ' +
            'says a role decided is a claim; the review is the evidence.',
        fix: 'Ask one of the people who hold the role to approve the pull request on its current head commit.'
    },
    'approvals.unknown-role': {
        severity: 'deny',
        title: 'Required role is not defined',
        description: 'A record or the configuration requires a role that `roles:` in the gate configuration does not define, or ' +
            'defines with no users and no teams. Nobody can ever satisfy such a requirement, so the change cannot ' +
            'earn release until the role is defined or the record is corrected.',
        fix: 'Define the role under `roles:` in .github/agent-gate.yml with the users or teams ("org/team-slug") who hold it, or correct the role name in the record.'
    },
    'approvals.unavailable': {
        severity: 'follow_up',
        title: 'Approvals could not be read',
        description: 'The gate ran without a pull request to read reviews from (a push, a manual run, the CLI without --reviews, ' +
            'an action run given no github-token), so no required role can be shown to have approved. A person must ' +
            'confirm the approvals. (A pull request whose reviews could not be read is approvals.read-failed.)',
        fix: 'Run the gate on the pull request (pull_request or pull_request_target event), or pass the reviews to the CLI with --reviews.'
    },
    'approvals.read-failed': {
        severity: 'deny',
        title: 'The pull request reviews could not be read',
        description: 'The gate ran on a pull request but could not read it or its reviews (an API error that persisted after ' +
            'retries, a token without `pull-requests: read`). Unlike a run with no pull request, the evidence exists ' +
            'and the gate failed to read it, so it fails closed: each role the change needs is reported by this rule, ' +
            'and a signal derived from an approval stays unknown with the severity of the finding it causes (it is not ' +
            'softened into a follow-up, and an assertion does not stand in for it).',
        fix: 'Re-run the gate once GitHub answers; if the error is a 403 or 404, give the workflow `pull-requests: read`.'
    },
    'approvals.changes-requested': {
        severity: 'follow_up',
        title: 'A role holder requested changes',
        description: 'Someone who holds a required role left a CHANGES_REQUESTED review that is still their latest decision. ' +
            'The objection stands, even when another holder approved, until they approve or the review is dismissed.',
        fix: 'Address the requested changes and ask the reviewer to approve, or dismiss the review if it no longer applies.'
    },
    'approvals.team-unreadable': {
        severity: 'follow_up',
        title: 'A reviewer who may hold a role requested changes',
        description: 'A required role names a team whose members could not be read (the default GITHUB_TOKEN cannot read ' +
            'organization teams; the request may also have failed), and someone who is not a known holder of the ' +
            'role left a CHANGES_REQUESTED review that is still their latest decision. They may hold the role through ' +
            'the team, so their objection is not ignored: membership that cannot be read is reported, never assumed ' +
            'either way. A team that cannot be read while no such review exists is only a warning in the log (and ' +
            'named in approvals.missing when the role has no approval).',
        fix: 'Address the requested changes and ask the reviewer to approve, or dismiss the review; or let the gate read ' +
            'the team (a GitHub App token with "Members: read", or a PAT with read:org), or list the holders under ' +
            '`users:` instead of the team.'
    }
});
/**
 * The proposed configuration's file when it, unlike the configuration in use (the base branch's), gives `role`
 * holders: the role is being added by this very pull request, which the message should say.
 */
function proposedDefinition(ctx, role) {
    const proposed = ctx.input.proposed_config;
    if (proposed === null || ctx.input.config_source.side !== 'base')
        return null;
    const def = own(proposed.config.roles, role);
    const holders = (list) => (Array.isArray(list) ? list.length : 0);
    return def !== undefined && holders(def.users) + holders(def.teams) > 0 ? proposed.file : null;
}
/** The configuration file's name as the user knows it. */
function configFileName(ctx) {
    return ctx.input.config_source.file ?? _settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_CONFIG_PATH */ .Bi;
}
/** A location in the configuration file in use, or undefined when the built-in defaults are in use. */
function configLocation(ctx, ptr = '') {
    const src = ctx.input.config_source;
    if (src.file === null)
        return undefined;
    return { file: src.file, ...(src.side === 'default' ? {} : { side: src.side }), pointer: ptr };
}
/** Role names a record field holds: a string or a list of strings (anything else names no role). */
function roleNames(value) {
    if (typeof value === 'string')
        return [value];
    if (Array.isArray(value))
        return value.filter((v) => typeof v === 'string');
    return [];
}
function own(map, key) {
    return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}
/**
 * Every role the change needs, with what requires it, sorted by role then requirer. The standing
 * requirements (a Deployment's requiresApproval, approvals.required_roles) apply to agent changes only:
 * a pull request that touches no surface and no record needs none of them.
 */
function collectRoleRequirements(ctx) {
    const out = [];
    const fromField = (rec, value, required_by, ...path) => {
        if (typeof value === 'string')
            out.push({ role: value, required_by, location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .pointer */ .Wn)(...path)) });
        else
            roleNames(value).forEach((role, i) => out.push({ role, required_by, location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .pointer */ .Wn)(...path, i)) }));
    };
    // the records of this pull request's changes, merged earlier ones too, and the base copy of each it updates
    // (what the change was reviewed with still binds: editing a record does not drop a required approval)
    for (const c of (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .changeRecords */ .nJ)(ctx, 'change')) {
        for (const [r, note] of withBaseCopy(c)) {
            const change = r.data.change;
            const by = `change ${change?.change_id} approval_roles${note}`;
            fromField(r, change?.approval_roles, by, 'change', 'approval_roles');
        }
    }
    for (const c of (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .changeRecords */ .nJ)(ctx, 'change_review_record')) {
        for (const [r, note] of withBaseCopy(c)) {
            const by = `change_review_record ${r.data.review_id} required_reviews${note}`;
            fromField(r, r.data.required_reviews, by, 'required_reviews');
        }
    }
    for (const c of (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .changeRecords */ .nJ)(ctx, 'rollout_gate_record')) {
        for (const [r, note] of withBaseCopy(c)) {
            fromField(r, r.data.decided_by, `rollout_gate_record ${r.data.gate_id} decided_by${note}`, 'decided_by');
        }
    }
    if ((0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .isAgentChange */ .QI)(ctx)) {
        for (const r of ctx.head.of('deployment')) {
            const required_by = `Deployment ${r.data.metadata?.name} promotion.requiresApproval`;
            fromField(r, r.data.spec?.promotion?.requiresApproval, required_by, 'spec', 'promotion', 'requiresApproval');
        }
        const cfgLoc = configLocation(ctx, '/approvals/required_roles');
        for (const role of roleNames(ctx.config.approvals?.required_roles)) {
            out.push({
                role,
                required_by: 'configuration approvals.required_roles',
                ...(cfgLoc ? { location: cfgLoc } : {})
            });
        }
    }
    return sortRequirements(out);
}
/** A record of the change with how findings name it, and the base copy of one this pull request updates. */
function withBaseCopy(c) {
    const out = [[c.record, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .earlierNote */ .lj)(c)]];
    if (c.was)
        out.push([c.was, ' (its base copy: this pull request updates it)']);
    return out;
}
function sortRequirements(reqs) {
    return [...reqs].sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.role, b.role) ||
        (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.required_by, b.required_by) ||
        (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.location?.file ?? '', b.location?.file ?? '') ||
        (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.location?.pointer ?? '', b.location?.pointer ?? ''));
}
/**
 * When a review was submitted. GitHub dates every submitted review; one without a readable date (a hand-written or
 * converted --reviews file) is read the most cautious way: a request for changes as the latest word, anything else
 * as the earliest — an undated approval never outranks a change request, and an undated change request stands.
 */
function reviewTime(r) {
    const t = typeof r.submitted_at === 'string' ? Date.parse(r.submitted_at) : NaN;
    if (!Number.isNaN(t))
        return t;
    return r.state === 'CHANGES_REQUESTED' ? Infinity : -Infinity;
}
/**
 * Reviews that tie on time and id (GitHub never gives two the same id; a hand-written --reviews file may) are
 * applied in this order, so the outcome does not depend on the order they arrive in and the most cautious
 * reading stands: a request for changes last, a dismissal after an approval.
 */
const TIE_ORDER = { COMMENTED: 0, PENDING: 0, APPROVED: 1, DISMISSED: 2, CHANGES_REQUESTED: 3 };
/** The latest standing decision per reviewer (lower-cased login), read as GitHub reads it. */
function latestReviewStates(input) {
    const reviews = (Array.isArray(input.reviews) ? input.reviews : [])
        .filter((r) => r && typeof r.user === 'string' && r.user !== '')
        .sort((a, b) => reviewTime(a) - reviewTime(b) ||
        (Number(a.id) || 0) - (Number(b.id) || 0) ||
        (TIE_ORDER[a.state] ?? 0) - (TIE_ORDER[b.state] ?? 0) ||
        (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.commit_id ?? '', b.commit_id ?? ''));
    const states = new Map();
    for (const r of reviews) {
        const user = r.user.toLowerCase();
        // an approval is a person's: a bot's (a GitHub App's review) grants nothing, whatever role lists it
        if (r.bot && r.state === 'APPROVED')
            continue;
        if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') {
            states.set(user, { state: r.state, commit_id: r.commit_id ?? null, review_id: r.id });
        }
        else if (r.state === 'DISMISSED') {
            states.delete(user);
        }
        // COMMENTED and PENDING leave the standing decision as it is
    }
    return states;
}
function roleHolders(ctx, role) {
    const cfg = own(ctx.config.roles, role);
    const configuredUsers = roleNames(cfg?.users).map((u) => u.toLowerCase());
    const configuredTeams = roleNames(cfg?.teams).map((t) => t.toLowerCase());
    const readTeams = ctx.input.approvals.teams ?? {};
    const teams = [...new Set(configuredTeams)].sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2).map((team) => {
        // the reader lower-cases team names; a key spelled otherwise is still the same team
        const key = Object.keys(readTeams).find((k) => k.toLowerCase() === team);
        const members = key === undefined ? undefined : readTeams[key];
        return {
            team,
            members: Array.isArray(members) ? [...new Set(roleNames(members).map((m) => m.toLowerCase()))].sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2) : null
        };
    });
    const users = new Set(configuredUsers);
    for (const t of teams)
        for (const m of t.members ?? [])
            users.add(m);
    return {
        defined: configuredUsers.length + configuredTeams.length > 0,
        users: [...users].sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2),
        teams
    };
}
function checkRole(ctx, role, required_by, states = latestReviewStates(ctx.input.approvals)) {
    const input = ctx.input.approvals;
    const holders = roleHolders(ctx, role);
    const author = typeof input.author === 'string' ? input.author.toLowerCase() : null;
    const headSha = input.head_sha ?? null;
    const acceptStale = ctx.config.approvals?.accept_stale === true;
    const approvedBy = [];
    const stale = [];
    const changesRequested = [];
    const possible = [];
    const unresolved = holders.teams.filter((t) => t.members === null).map((t) => t.team);
    if (input.available) {
        for (const user of holders.users) {
            const s = states.get(user);
            if (!s || user === author)
                continue;
            if (s.state === 'CHANGES_REQUESTED')
                changesRequested.push({ user, commit_id: s.commit_id });
            else if (acceptStale || (headSha !== null && s.commit_id === headSha))
                approvedBy.push(user);
            else
                stale.push({ user, commit_id: s.commit_id });
        }
        if (unresolved.length > 0) {
            // anyone may be a member of a team that could not be read: their objection is not ignored
            for (const [user, s] of [...states].sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a, b))) {
                if (s.state === 'CHANGES_REQUESTED' && user !== author && !holders.users.includes(user))
                    possible.push({ user, commit_id: s.commit_id });
            }
        }
    }
    return {
        holders,
        stale,
        changes_requested: changesRequested,
        possible_changes_requested: possible,
        author_holds: author !== null && holders.users.includes(author),
        evidence: {
            role,
            required_by: [...new Set(required_by)].sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2),
            approved_by: approvedBy,
            eligible: holders.users.filter((u) => u !== author && !approvedBy.includes(u) && !u.endsWith('[bot]')),
            unresolved_teams: approvedBy.length > 0 ? [] : unresolved,
            satisfied: approvedBy.length > 0
        }
    };
}
const at = (user) => `@${user}`;
const shortSha = (sha) => (sha ? sha.slice(0, 7) : 'an unknown commit');
/** "@alice, @bob; team @org/x (members could not be read)" */
function describeHolders(holders, author) {
    const parts = [];
    // a bot account never approves (latestReviewStates), so it is no one to ask
    const direct = holders.users.filter((u) => u !== author && !u.endsWith('[bot]'));
    if (direct.length > 0)
        parts.push(direct.map(at).join(', '));
    for (const t of holders.teams) {
        if (t.members === null)
            parts.push(`team @${t.team} (members could not be read)`);
        else if (t.members.length === 0)
            parts.push(`team @${t.team} (no members)`);
    }
    return parts.length > 0 ? parts.join('; ') : 'nobody but the pull request author';
}
/** A defined role whose name differs only in case or separators: the likely intended one. */
function similarRole(ctx, role) {
    const fold = (s) => s.toLowerCase().replace(/[-_\s.]+/g, '');
    const names = Object.keys(ctx.config.roles ?? {}).sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2);
    return names.find((n) => n !== role && fold(n) === fold(role)) ?? null;
}
function evaluateApprovals(ctx, extra) {
    const findings = new _rules_js__WEBPACK_IMPORTED_MODULE_0__/* .FindingList */ .kQ(ctx.config);
    const input = ctx.input.approvals;
    const states = latestReviewStates(input);
    const author = typeof input.author === 'string' ? input.author.toLowerCase() : null;
    const byRole = new Map();
    for (const req of sortRequirements([...collectRoleRequirements(ctx), ...extra])) {
        const list = byRole.get(req.role);
        if (list)
            list.push(req);
        else
            byRole.set(req.role, [req]);
    }
    const evidence = [];
    for (const [role, reqs] of byRole) {
        const check = checkRole(ctx, role, reqs.map((r) => r.required_by), states);
        const ev = check.evidence;
        evidence.push(ev);
        const location = reqs.find((r) => r.location)?.location;
        const requiredBy = ev.required_by.join('; ');
        const base = { subject: role, ...(location ? { location } : {}) };
        const holderEvidence = {
            role,
            required_by: ev.required_by,
            holders: check.holders.users,
            teams: check.holders.teams.map((t) => ({ team: t.team, members: t.members }))
        };
        if (!check.holders.defined) {
            const cfgFile = configFileName(ctx);
            const similar = similarRole(ctx, role);
            const why = own(ctx.config.roles, role) === undefined
                ? `${cfgFile} defines no role \`${role}\` under \`roles:\``
                : `${cfgFile} defines role \`${role}\` with no users and no teams`;
            const proposed = proposedDefinition(ctx, role);
            findings.add(RULES['approvals.unknown-role'], {
                ...base,
                message: `Role \`${role}\` is required by ${requiredBy}, but ${why}: nobody can ever approve it.` +
                    (proposed
                        ? ` The configuration this pull request proposes (${proposed} on the head) defines it, but roles are read from the base branch's configuration: it counts once that change is merged.`
                        : '') +
                    (similar ? ` Did you mean \`${similar}\`?` : ''),
                observed: null,
                required: `a role \`${role}\` under roles: with at least one user or team`,
                evidence: { ...holderEvidence, defined_roles: Object.keys(ctx.config.roles ?? {}).sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2) },
                fix: `Add \`${role}\` under \`roles:\` in ${cfgFile} with the users or teams ("org/team-slug") who hold it` +
                    (similar ? `, or change the record to name \`${similar}\`.` : ', or correct the role name in the record.')
            });
            continue;
        }
        if (!input.available && input.read_failed === true) {
            const reason = input.unavailable_reason ?? 'the pull request reviews could not be read';
            findings.add(RULES['approvals.read-failed'], {
                ...base,
                message: `Role \`${role}\` (required by ${requiredBy}) cannot be shown to have approved: ${reason}. The reviews ` +
                    `exist but could not be read, so the gate fails closed. It can be approved by ${describeHolders(check.holders, author)}.`,
                observed: { available: false, read_failed: true, reason },
                required: `the pull request reviews, with an APPROVED review by a holder of \`${role}\``,
                evidence: holderEvidence
            });
            continue;
        }
        if (!input.available) {
            const reason = input.unavailable_reason ?? 'no pull request to read reviews from';
            findings.add(RULES['approvals.unavailable'], {
                ...base,
                message: `Role \`${role}\` (required by ${requiredBy}) cannot be shown to have approved: approvals are unavailable ` +
                    `(${reason}). It can be approved by ${describeHolders(check.holders, author)}.`,
                observed: { available: false, reason },
                required: `an APPROVED review by a holder of \`${role}\``,
                evidence: holderEvidence
            });
            continue;
        }
        if (check.changes_requested.length > 0) {
            const who = check.changes_requested.map((c) => `${at(c.user)} (on ${shortSha(c.commit_id)})`).join(', ');
            findings.add(RULES['approvals.changes-requested'], {
                ...base,
                message: `${who} ${check.changes_requested.length > 1 ? 'hold' : 'holds'} role \`${role}\` and requested changes; ` +
                    `the request stands until ${check.changes_requested.length > 1 ? 'they approve' : 'the reviewer approves'} or the review is dismissed.`,
                observed: check.changes_requested.map((c) => ({
                    user: c.user,
                    state: 'CHANGES_REQUESTED',
                    commit_id: c.commit_id
                })),
                required: `no standing CHANGES_REQUESTED review from a holder of \`${role}\``,
                evidence: holderEvidence
            });
        }
        if (check.possible_changes_requested.length > 0) {
            const possible = check.possible_changes_requested;
            const teamErrors = input.team_errors ?? {};
            const unread = check.holders.teams
                .filter((t) => t.members === null)
                .map((t) => {
                const key = Object.keys(teamErrors).find((k) => k.toLowerCase() === t.team);
                const why = key === undefined ? 'its members were not given to the gate' : teamErrors[key];
                return { team: t.team, reason: why };
            });
            const who = possible.map((c) => `${at(c.user)} (on ${shortSha(c.commit_id)})`).join(', ');
            const teams = unread.map((t) => `@${t.team} (${t.reason})`).join(', ');
            const many = possible.length > 1;
            findings.add(RULES['approvals.team-unreadable'], {
                ...base,
                message: `${who} requested changes and may hold role \`${role}\` through team ${teams}, whose members could ` +
                    `not be read: the request is treated as standing until ${many ? 'they approve' : 'the reviewer approves'}, ` +
                    'the review is dismissed or the gate can read the team.',
                observed: possible.map((c) => ({ user: c.user, state: 'CHANGES_REQUESTED', commit_id: c.commit_id })),
                required: `no standing CHANGES_REQUESTED review from anyone who may hold \`${role}\``,
                evidence: { ...holderEvidence, unreadable_teams: unread }
            });
        }
        if (!ev.satisfied) {
            const onWhat = ctx.config.approvals?.accept_stale
                ? 'on any commit of the pull request'
                : input.head_sha
                    ? `on the head commit ${shortSha(input.head_sha)}`
                    : 'on the head commit (which the gate could not determine)';
            const notes = [];
            if (check.stale.length > 0) {
                notes.push(`${check.stale.map((s) => `${at(s.user)} approved ${shortSha(s.commit_id)}`).join(', ')}: an approval ` +
                    'of an earlier commit does not count (approvals.accept_stale is false).');
            }
            if (check.author_holds)
                notes.push(`The author ${at(author ?? '')} holds the role but cannot approve their own change.`);
            if (ev.unresolved_teams.length > 0) {
                notes.push(`Membership of ${ev.unresolved_teams.map((t) => `@${t}`).join(', ')} could not be read (the token needs ` +
                    'read access to organization members), so approvals by its members cannot be recognised.');
            }
            const canApprove = describeHolders(check.holders, author);
            findings.add(RULES['approvals.missing'], {
                ...base,
                message: `Role \`${role}\` has no approval ${onWhat}; required by ${requiredBy}. Can approve: ${canApprove}.` +
                    (notes.length > 0 ? ' ' + notes.join(' ') : ''),
                observed: {
                    approved_by: [],
                    stale_approvals: check.stale.map((s) => ({ user: s.user, commit_id: s.commit_id })),
                    unresolved_teams: ev.unresolved_teams
                },
                required: `an APPROVED review by a holder of \`${role}\` ${onWhat}`,
                evidence: { ...holderEvidence, eligible: ev.eligible, head_sha: input.head_sha ?? null },
                fix: ev.eligible.length > 0
                    ? `Ask ${ev.eligible.map(at).join(' or ')} to approve the pull request ${onWhat}.`
                    : `Nobody who can be recognised holds \`${role}\` besides the author: add a holder under \`roles:\` in ${configFileName(ctx)}` +
                        (ev.unresolved_teams.length > 0 ? ' or give the gate read access to the team membership.' : '.')
            });
        }
    }
    return { findings: findings.items, evidence };
}


/***/ }),

/***/ 2765:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ evaluateBaseRecords),
/* harmony export */   y: () => (/* binding */ RULES)
/* harmony export */ });
/* harmony import */ var _decision_document_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9008);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7344);
/**
 * Base-side reading problems. They are warnings, never blockers: the base branch is history, and
 * blocking on it would deadlock the very pull request that repairs it. The files concerned drop out
 * of base comparisons, so the reviewer must be told.
 */


const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .defineRules */ .x0)('integrity', {
    'integrity.base-records-invalid': {
        severity: 'warning',
        title: 'Some base-branch records could not be read',
        description: 'Records on the base branch that are malformed are left out of every base → head comparison (eval regressions, AgBOM diff). ' +
            'The change is judged on its own records; comparisons against the unreadable base files are missing.',
        fix: 'Repair the base-branch records named in the finding (in this pull request or a separate one).'
    }
});
const SHOWN = 20;
function evaluateBaseRecords(ctx) {
    // sorted here, not trusted to arrive sorted: the first ones are quoted, and the document must not depend on order
    const issues = [...ctx.input.base_issues].sort(_decision_document_js__WEBPACK_IMPORTED_MODULE_0__/* .compareIssues */ .UX);
    if (issues.length === 0)
        return [];
    const files = [...new Set(issues.map((i) => i.file))].sort();
    const list = new _rules_js__WEBPACK_IMPORTED_MODULE_1__/* .FindingList */ .kQ(ctx.config);
    const shown = issues.slice(0, SHOWN).map((i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`);
    list.add(RULES['integrity.base-records-invalid'], {
        message: `${issues.length} problem(s) in ${files.length} base-branch file(s); those files were left out of base comparisons. ` +
            `First: ${shown[0] ?? ''}`,
        observed: files.length,
        required: 0,
        evidence: { files, issues: shown },
        location: { file: files[0] ?? '', side: 'base' }
    });
    return list.items;
}


/***/ }),

/***/ 4196:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Il: () => (/* binding */ findRule),
/* harmony export */   Iu: () => (/* binding */ RULE_IDS),
/* harmony export */   Uj: () => (/* binding */ ALL_RULES)
/* harmony export */ });
/* harmony import */ var _agbom_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8759);
/* harmony import */ var _approvals_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7475);
/* harmony import */ var _base_records_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2765);
/* harmony import */ var _drift_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2516);
/* harmony import */ var _evals_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5749);
/* harmony import */ var _integrity_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(252);
/* harmony import */ var _review_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4583);
/* harmony import */ var _rollout_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9946);








const ALL_RULES = [_review_js__WEBPACK_IMPORTED_MODULE_6__/* .RULES */ .y, _rollout_js__WEBPACK_IMPORTED_MODULE_7__/* .RULES */ .y0, _evals_js__WEBPACK_IMPORTED_MODULE_4__/* .RULES */ .y0, _drift_js__WEBPACK_IMPORTED_MODULE_3__/* .RULES */ .y0, _agbom_js__WEBPACK_IMPORTED_MODULE_0__/* .RULES */ .y0, _approvals_js__WEBPACK_IMPORTED_MODULE_1__/* .RULES */ .y0, _integrity_js__WEBPACK_IMPORTED_MODULE_5__/* .RULES */ .y0, _base_records_js__WEBPACK_IMPORTED_MODULE_2__/* .RULES */ .y]
    .flatMap((table) => Object.values(table))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const RULE_IDS = ALL_RULES.map((r) => r.id);
function findRule(id) {
    return ALL_RULES.find((r) => r.id === id);
}


/***/ }),

/***/ 2104:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LQ: () => (/* binding */ pointerSegment),
/* harmony export */   Pk: () => (/* binding */ replacedPolicies),
/* harmony export */   Wn: () => (/* binding */ pointer),
/* harmony export */   hD: () => (/* binding */ locationOf),
/* harmony export */   lj: () => (/* binding */ earlierNote),
/* harmony export */   nJ: () => (/* binding */ changeRecords),
/* harmony export */   q6: () => (/* binding */ createContext),
/* harmony export */   r2: () => (/* binding */ cmp),
/* harmony export */   zF: () => (/* binding */ changeIds)
/* harmony export */ });
/* unused harmony exports indexRecords, changeIdOf */
function indexRecords(set) {
    const byKind = new Map();
    const sorted = [...set.records].sort((a, b) => cmp(a.source.path, b.source.path));
    for (const r of sorted) {
        const list = byKind.get(r.kind);
        if (list)
            list.push(r);
        else
            byKind.set(r.kind, [r]);
    }
    return {
        set,
        of(kind) {
            return (byKind.get(kind) ?? []);
        }
    };
}
function createContext(input) {
    const head = indexRecords(input.head);
    const base = input.base ? indexRecords(input.base) : null;
    const baseDigests = new Map();
    if (input.base)
        for (const f of input.base.files)
            baseDigests.set(f.path, f.sha256);
    return {
        input,
        config: input.config,
        head,
        base,
        active(kind) {
            const all = head.of(kind);
            if (!input.base)
                return all;
            return all.filter((r) => baseDigests.get(r.source.path) !== r.source.sha256);
        }
    };
}
/** The change a record is about. */
function changeIdOf(kind, rec) {
    const data = rec.data;
    const id = kind === 'change' ? data.change?.change_id : data.change_id;
    return typeof id === 'string' && id !== '' ? id : null;
}
/** What makes two records of a kind the same record: its id (an assessment has none: its file). */
function identityOf(kind, rec) {
    const data = rec.data;
    const id = kind === 'change'
        ? changeIdOf(kind, rec)
        : kind === 'change_review_record'
            ? data.review_id
            : kind === 'rollout_gate_record'
                ? data.gate_id
                : null;
    return typeof id === 'string' ? `${kind} ${id}` : `${kind} @ ${rec.source.path}`;
}
/**
 * The records of one kind about this pull request's changes (changeIds), sorted by file path: every head record of
 * that kind the pull request adds or updates; every one merged earlier about one of its changes (an assessment
 * without a change_id is about every change), whether the pull request leaves it alone or removes it from the head
 * — a gate decision, a review's verdict or a change's requirements do not stop holding because a later pull
 * request of the same change leaves its bytes alone, deletes the file, renames it out of the records or changes its
 * id (the base copy then counts); and, for each record the pull request updates, its base copy, whose requirements
 * still bind (a pull request cannot drop a required eval or approval the change was reviewed with by editing the
 * record). Which records count never depends on which bytes a pull request touches. Records of any other change,
 * unchanged on the base branch, are not among them. Without a base every head record is of this change.
 */
function changeRecords(ctx, kind) {
    const active = new Set(ctx.active(kind));
    const ids = new Set(changeIds(ctx));
    const about = (rec) => {
        const id = changeIdOf(kind, rec);
        return id === null ? kind === 'rollout_assessment' : ids.has(id);
    };
    const baseAt = new Map();
    for (const rec of ctx.base?.of(kind) ?? [])
        baseAt.set(`${rec.source.path}\0${identityOf(kind, rec)}`, rec);
    const onHead = new Set();
    const out = [];
    for (const record of ctx.head.of(kind)) {
        onHead.add(identityOf(kind, record));
        if (active.has(record)) {
            const was = baseAt.get(`${record.source.path}\0${identityOf(kind, record)}`) ?? null;
            out.push({ record, earlier: false, was });
        }
        else if (about(record))
            out.push({ record, earlier: true, was: null });
    }
    for (const record of ctx.base?.of(kind) ?? []) {
        if (about(record) && !onHead.has(identityOf(kind, record)))
            out.push({ record, earlier: true, was: null });
    }
    return out.sort((a, b) => cmp(a.record.source.path, b.record.source.path));
}
/**
 * The base copies of the standing rollout policies this pull request edits or removes (deletes, renames out of the
 * records, turns into another kind). The policy that judges a change is the head's together with these: a pull
 * request cannot switch off or loosen the policy that judges it — not by editing it, not by deleting it (a
 * pull request with no change of its own, which the policy does not judge, can).
 */
function replacedPolicies(ctx) {
    const head = new Map(ctx.head.of('rollout_policy').map((r) => [r.source.path, r.source.sha256]));
    return (ctx.base?.of('rollout_policy') ?? []).filter((r) => head.get(r.source.path) !== r.source.sha256);
}
/** How findings name a record that is not the pull request's own: " (merged earlier)", or after `separator`. */
function earlierNote(c, separator = null) {
    if (!c.earlier)
        return '';
    const note = c.record.source.side === 'base' ? 'merged earlier, removed on the head' : 'merged earlier';
    return separator === null ? ` (${note})` : `${separator}${note}`;
}
/**
 * The changes this pull request is about, sorted: the change_ids of the change records (change.yaml), change review
 * records and rollout gate records it adds or updates, or, when it touches none of those, the change_ids its
 * added or updated rollout_assessment records name. Empty: the pull request has no change of its own (it edits
 * only records no change is named by — eval results, an unscoped assessment, the rollout policy, …).
 */
function changeIds(ctx) {
    const ids = new Set();
    const add = (id) => {
        if (typeof id === 'string' && id !== '')
            ids.add(id);
    };
    for (const r of ctx.active('change'))
        add(r.data.change?.change_id);
    for (const r of ctx.active('change_review_record'))
        add(r.data.change_id);
    for (const r of ctx.active('rollout_gate_record'))
        add(r.data.change_id);
    if (ids.size === 0)
        for (const r of ctx.active('rollout_assessment'))
            add(r.data.change_id);
    return [...ids].sort(cmp);
}
/** The location of a JSON pointer inside a record's file. */
function locationOf(rec, pointer = '') {
    const loc = { file: rec.source.path, side: rec.source.side, pointer };
    const pos = rec.locate(pointer);
    if (pos) {
        loc.line = pos.line;
        loc.column = pos.column;
    }
    return loc;
}
/** Escape one JSON pointer segment (RFC 6901). */
function pointerSegment(s) {
    return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}
function pointer(...segments) {
    return segments.map((s) => '/' + pointerSegment(s)).join('');
}
/** Code-unit string order: deterministic, locale-independent. */
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 2516:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $v: () => (/* binding */ evaluateDrift),
/* harmony export */   y0: () => (/* binding */ RULES)
/* harmony export */ });
/* unused harmony exports receiptSecrets, relativeDrift, resolveManifestPath */
/* harmony import */ var _read_paths_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9736);
/* harmony import */ var _decision_canonical_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4396);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2104);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3791);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9918);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7344);






const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_4__/* .defineRules */ .x0)('drift', {
    'drift.tokens': {
        severity: 'deny',
        title: 'Replay token use drifted from the live run',
        description: 'Token drift is |replay total − live total| / live total, where a total is input + output tokens. It must not exceed `drift.max_token_drift` (default 0.01, 1%). A live run of 0 tokens allows only a replay of 0 tokens. A replay that uses different tokens is not a faithful replay of the run, so its other evidence proves little.',
        fix: 'Find the step that drifted (the finding lists the largest step differences when steps record tokens), make the replay deterministic (pinned model, seeded sampling, recorded tool results) and record the receipts again.'
    },
    'drift.cost': {
        severity: 'deny',
        title: 'Replay cost drifted from the live run',
        description: 'Cost drift is |replay cost_usd − live cost_usd| / live cost_usd. It must not exceed `drift.max_cost_drift` (default 0.005, 0.5%). A live cost of 0 allows only a replay cost of 0.',
        fix: 'Check for a changed model price, extra calls or retries in the replay, then record the receipts again.'
    },
    'drift.step-unmatched': {
        severity: 'deny',
        title: 'Replay and live run have different steps',
        description: 'Steps are matched by step_id. A step present in only the live run or only the replay means the replay is not a replay of that run.',
        fix: 'Record the replay from the same run (same step ids), or record the receipts again.'
    },
    'drift.no-steps': {
        severity: 'deny',
        title: 'Run records no steps',
        description: "The live run or the replay of a run has an empty `steps` list. Steps carry the evidence the gate checks — a capability token and a C2PA manifest per tool call, and the policy verdicts to compare — so an execution without steps evidences nothing, and no evidence is not a pass. (When only one side is empty, `drift.step-unmatched` also lists the other side's steps.)",
        fix: 'Record the runs with their steps (every tool call, with its capability token and manifest). A run that truly calls no tool proves nothing about tools: record runs that exercise the change instead.'
    },
    'drift.missing-capability-token': {
        severity: 'deny',
        title: 'Step has no capability token',
        description: 'Every step of the live run and of the replay must reference the capability token that authorised it (`capability_token`). A step without one ran outside the capability model, so nothing shows it was allowed.',
        fix: 'Record the runs with capability tokens enabled and include the token reference of every step.'
    },
    'drift.missing-manifest': {
        severity: 'deny',
        title: 'Step has no C2PA manifest',
        description: 'Every step of the live run and of the replay must reference a C2PA manifest (`c2pa_manifest` with `path` and `sha256`) that attests what it produced.',
        fix: 'Record the runs with manifests enabled and commit each manifest next to the receipt file.'
    },
    'drift.verdict-mismatch': {
        severity: 'deny',
        title: 'Policy verdict differs between live run and replay',
        description: "A step's `policy_verdict` in the replay differs from the live run: the change alters what the policy allows, or the replay is not faithful. Either way it needs rework before release.",
        fix: 'Find why the policy decided differently (policy bundle, inputs, model output) and fix the change or the replay.'
    },
    'drift.tool-mismatch': {
        severity: 'deny',
        title: 'A replay step calls another tool than the live run',
        description: 'A step of the replay has the same `step_id` as a step of the live run but names another `tool`: the replay is not a replay of that run, so its verdicts, tokens and costs say nothing about it.',
        fix: 'Record the replay again from the live run it stands for (same steps, same tools), or give the steps distinct step_ids if they are different calls.'
    },
    'drift.manifest-mismatch': {
        severity: 'deny',
        title: 'C2PA manifest digest does not match the file',
        description: "The sha256 recorded for a step's manifest differs from the sha256 of the manifest file in the repository. The manifest was changed after the run was recorded, or the receipt points at the wrong file. (A recorded sha256 that is not 64 lower-case hex digits never gets here: the receipts schema refuses it, and the receipts file is invalid input.)",
        fix: 'Restore the manifest that was produced by the run, or record the receipts again so the digests agree.'
    },
    'drift.manifest-missing': {
        severity: 'deny',
        title: 'C2PA manifest file is missing',
        description: "A step's manifest path (relative to the receipt file's folder) names no readable file in the repository, so its digest cannot be checked.",
        fix: 'Commit the manifest file at the path the receipt gives, or correct the path.'
    },
    'drift.manifest-path': {
        severity: 'deny',
        title: 'C2PA manifest path is not a repository path',
        description: "A manifest path must be relative to the receipt file's folder and name a file inside the repository. A URL, a path that climbs above the repository root, or one that is not a file path (a trailing `/`, a control character) cannot be checked. (An absolute path, a drive letter or a backslash never gets here: the receipts schema refuses it, and the receipts file is invalid input.)",
        fix: 'Write the path relative to the receipt file, e.g. `manifests/step-1.c2pa.json`.'
    },
    'drift.secret': {
        severity: 'deny',
        title: 'Replay receipts hold something that looks like a secret',
        description: 'A string in a replay receipts file of the head looks like a credential: a known token shape (AWS, GitHub, GitLab, Slack, Stripe, OpenAI-style, Hugging Face, npm, Google, JWT, private key, a Bearer or Basic credential of an authorization header), or credentials, a token or a password in a URL or connection string. Receipts are kept in the repository as evidence and record what ran by reference: secrets, like raw prompts and private memory, are forbidden in them. Values are judged by these shapes, not by their field names: no receipts field is named like a secret, and `capability_token` is a reference by design (an id or digest, which looks random), so a reference passes there and the token itself is a finding. One finding per file lists the places.',
        fix: "Remove the value, rotate the credential (it is in the git history now), and record a reference instead (the token's id or digest, the name of a secret in a store)."
    },
    'drift.other-change': {
        severity: 'deny',
        title: 'Replay receipts record runs of a different change',
        description: "A run this pull request adds to replay receipts (or changes) names a `change_id` that none of this pull request's change records, review records or rollout gate records has. The replay was made for that other change: it evidences nothing about this one, however clean it is. Usually the receipts were copied from an earlier change, or the change_id is mistyped. Runs the base branch already has as they are (in any receipts file, whatever the key order), and runs without a `change_id`, are not judged by this rule; a pull request without a change of its own is not either.",
        fix: 'Replay the runs against this change and record them with its change_id, or correct the change_id if it is mistyped.'
    },
    'drift.malformed-run': {
        severity: 'deny',
        title: 'Replay receipt run cannot be compared',
        description: 'A run whose id repeats in its file, whose steps repeat a step_id on one side, or whose token or cost figures are negative or not numbers cannot be compared step by step.',
        fix: 'Give each run and each step a unique id and record non-negative token and cost figures.'
    }
});
const SIDES = ['live', 'replay'];
/** How many step labels a message names before "and N more"; the finding's evidence keeps up to EVIDENCE_STEPS. */
const MESSAGE_STEPS = 10;
const EVIDENCE_STEPS = 100;
/** Float noise allowance when comparing a drift with its limit: a drift equal to the limit passes. */
const EPSILON = 1e-12;
function evaluateDrift(ctx) {
    const findings = new _rules_js__WEBPACK_IMPORTED_MODULE_4__/* .FindingList */ .kQ(ctx.config);
    // the head's files only: a base copy judged because the pull request removes it is on its way out
    for (const rec of ctx.head.of('replay_receipts'))
        reportSecrets(rec, findings);
    reportOtherChanges(ctx, findings);
    const evidence = [];
    for (const rec of receiptsToJudge(ctx)) {
        const runs = Array.isArray(rec.data.runs) ? rec.data.runs : [];
        const seen = new Set();
        const manifests = new Map();
        runs.forEach((run, index) => {
            const duplicate = seen.has(run.run_id);
            seen.add(run.run_id);
            evidence.push({ rec, index, ev: judgeRun(ctx, rec, run, index, duplicate, findings, manifests) });
        });
    }
    evidence.sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .cmp */ .r2)(a.ev.file, b.ev.file) || (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .cmp */ .r2)(a.ev.run_id, b.ev.run_id) || (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
    return { findings: findings.items, evidence: evidence.map((e) => e.ev) };
}
/** A masked value is shown up to this length. */
const MASKED_CHARS = 120;
const TOP_STRINGS = ['kind', 'receipt_set_id', 'agent'];
const RUN_STRINGS = ['run_id', 'change_id'];
const TRACE_STRINGS = ['run_id'];
const STEP_STRINGS = ['step_id', 'tool', 'policy_verdict', 'capability_token'];
const MANIFEST_STRINGS = ['path', 'sha256'];
/**
 * The strings of a receipts file that look like secrets. The schema is closed, so the scan follows its shape (every
 * string it allows, a test holds the two together) instead of visiting every node: 10k runs of 20 steps are 800,000
 * objects. No field it allows is named like a secret but `capability_token`, which is a reference by design (an id
 * or digest, which looks random): every value is judged by the credential shapes it holds, not by its field's name.
 */
function receiptSecrets(data) {
    const hits = [];
    const check = (holder, key, at) => {
        const value = holder[key];
        if (typeof value !== 'string')
            return;
        const found = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .findSecrets */ .dL)(value);
        if (found)
            hits.push({ pointer: at(), kinds: found.kinds, masked: found.masked });
    };
    if (!isObject(data))
        return hits;
    for (const key of TOP_STRINGS)
        check(data, key, () => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)(key));
    const runs = Array.isArray(data.runs) ? data.runs : [];
    runs.forEach((run, r) => {
        if (!isObject(run))
            return;
        for (const key of RUN_STRINGS)
            check(run, key, () => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', r, key));
        for (const side of SIDES) {
            const trace = run[side];
            if (!isObject(trace))
                continue;
            for (const key of TRACE_STRINGS)
                check(trace, key, () => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', r, side, key));
            const steps = Array.isArray(trace.steps) ? trace.steps : [];
            for (let s = 0; s < steps.length; s++) {
                const step = steps[s];
                if (!isObject(step))
                    continue;
                for (const key of STEP_STRINGS)
                    check(step, key, () => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', r, side, 'steps', s, key));
                const manifest = step.c2pa_manifest;
                if (!isObject(manifest))
                    continue;
                for (const key of MANIFEST_STRINGS) {
                    check(manifest, key, () => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', r, side, 'steps', s, 'c2pa_manifest', key));
                }
            }
        }
    });
    return hits;
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function reportSecrets(rec, findings) {
    const hits = receiptSecrets(rec.data);
    if (hits.length === 0)
        return;
    const kinds = [...new Set(hits.flatMap((h) => h.kinds))].sort(_context_js__WEBPACK_IMPORTED_MODULE_5__/* .cmp */ .r2);
    const places = hits.map((h) => ({
        pointer: h.pointer,
        masked: h.masked.length > MASKED_CHARS ? `${h.masked.slice(0, MASKED_CHARS - 3)}…` : h.masked
    }));
    const shown = places.slice(0, MESSAGE_STEPS).map((p) => `${p.pointer} (masked: ${p.masked})`);
    const more = places.length > shown.length ? `, and ${places.length - shown.length} more` : '';
    findings.add(RULES['drift.secret'], {
        message: `${rec.source.path} holds ${places.length === 1 ? 'a value that looks' : `${places.length} values that look`} like a ${kinds.join(' or a ')}: ${shown.join(', ')}${more}; required: no secrets in replay receipts.`,
        observed: kinds,
        required: 'no secrets',
        location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, places[0].pointer),
        evidence: { count: places.length, kinds, places: places.slice(0, EVIDENCE_STEPS) },
        subject: rec.source.path
    });
}
/**
 * Runs that this pull request adds or changes in replay receipts and that name a change it is not about. A run the
 * base branch already has, as it is (in any receipts file: a renamed or split file keeps its runs; key order and
 * layout aside), is the evidence of the change it was made for, and a file that collects runs over time keeps it.
 */
function reportOtherChanges(ctx, findings) {
    const ids = (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .changeIds */ .zF)(ctx);
    if (ids.length === 0)
        return;
    const own = new Set(ids);
    let merged = null;
    for (const rec of ctx.active('replay_receipts')) {
        const runs = Array.isArray(rec.data.runs) ? rec.data.runs : [];
        const foreign = [];
        runs.forEach((run, index) => {
            const changeId = run?.change_id;
            if (typeof changeId !== 'string' || own.has(changeId))
                return;
            merged ??= baseRuns(ctx);
            if (merged.has((0,_decision_canonical_js__WEBPACK_IMPORTED_MODULE_1__/* .canonicalJson */ .d)(run)))
                return;
            foreign.push({ index, runId: String(run.run_id), changeId });
        });
        if (foreign.length === 0)
            continue;
        const named = [...new Set(foreign.map((f) => f.changeId))].sort(_context_js__WEBPACK_IMPORTED_MODULE_5__/* .cmp */ .r2);
        const list = (items) => items.length > MESSAGE_STEPS
            ? `${items.slice(0, MESSAGE_STEPS).join(', ')}, and ${items.length - MESSAGE_STEPS} more`
            : items.join(', ');
        const shown = foreign.map((f) => `${f.runId} (${f.changeId})`);
        findings.add(RULES['drift.other-change'], {
            subject: rec.source.path,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', foreign[0].index, 'change_id')),
            message: `${rec.source.path} adds or changes ${foreign.length === 1 ? 'a run' : `${foreign.length} runs`} replayed ` +
                `for ${named.length === 1 ? 'change' : `${named.length} other changes:`} ${list(named)}: ${list(shown)}; this ` +
                `pull request is about ${ids.join(', ')}, so ${foreign.length === 1 ? 'it evidences' : 'they evidence'} nothing here.`,
            observed: named.length === 1 ? named[0] : named.slice(0, EVIDENCE_STEPS),
            required: ids.length === 1 ? ids[0] : ids,
            evidence: {
                file: rec.source.path,
                changes: ids,
                runs: foreign.slice(0, EVIDENCE_STEPS).map((f) => ({ run_id: f.runId, change_id: f.changeId }))
            }
        });
    }
}
/** Every run of the base branch's receipts files, as canonical JSON. */
function baseRuns(ctx) {
    const runs = new Set();
    for (const rec of ctx.base?.of('replay_receipts') ?? []) {
        if (Array.isArray(rec.data.runs))
            for (const run of rec.data.runs)
                runs.add((0,_decision_canonical_js__WEBPACK_IMPORTED_MODULE_1__/* .canonicalJson */ .d)(run));
    }
    return runs;
}
/**
 * The head's receipts files, and — when the pull request is an agent change — the base copy of every receipts file
 * it removes (deletes, renames out of the records): a failing replay merged earlier does not stop failing because
 * the pull request that changes the agent deletes it ("no evidence is not a pass"). A pull request that only
 * removes receipts, changing nothing else, is housekeeping and is not judged by them.
 */
function receiptsToJudge(ctx) {
    const head = ctx.head.of('replay_receipts');
    if (ctx.base === null || !(0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .isAgentChange */ .QI)(ctx))
        return head;
    const onHead = new Set(head.map((r) => r.source.path));
    return [...head, ...ctx.base.of('replay_receipts').filter((r) => !onHead.has(r.source.path))];
}
/** Steps with a problem, grouped by step_id so a step missing something on both sides is listed once. */
class StepIssues {
    /** created on the first problem: most runs have none, and there are tens of thousands of runs */
    byKey = null;
    add(key, stepId, side, at, detail) {
        this.byKey ??= new Map();
        const seen = this.byKey.get(key);
        if (seen) {
            if (!seen.sides.includes(side))
                seen.sides.push(side);
        }
        else
            this.byKey.set(key, { stepId, sides: [side], pointer: at, detail });
    }
    get size() {
        return this.byKey?.size ?? 0;
    }
    get firstPointer() {
        return this.byKey?.values().next().value?.pointer ?? '';
    }
    /** `step_id` when both sides have the problem, else `step_id (live)` / `step_id (replay)`. */
    entries() {
        return [...(this.byKey?.values() ?? [])].map((e) => ({
            label: e.sides.length === SIDES.length ? e.stepId : `${e.stepId} (${e.sides.join(', ')})`,
            detail: e.detail
        }));
    }
    labels() {
        return this.entries().map((e) => e.label);
    }
}
function judgeRun(ctx, rec, run, index, duplicateRunId, findings, manifests) {
    const at = (...segments) => (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .pointer */ .Wn)('runs', index, ...segments);
    const runId = String(run.run_id);
    const file = rec.source.path;
    const { max_token_drift: tokenLimit, max_cost_drift: costLimit } = ctx.config.drift;
    let pass = true;
    const add = (spec, fields) => {
        pass = false;
        return findings.add(spec, { subject: runId, ...fields });
    };
    const malformed = [];
    if (duplicateRunId)
        malformed.push(`run_id "${runId}" is used by an earlier run in this file`);
    // totals
    const liveTokens = tokenTotal(run.live, 'live', malformed);
    const replayTokens = tokenTotal(run.replay, 'replay', malformed);
    const liveCost = figure(run.live?.cost_usd, 'live cost_usd', malformed);
    const replayCost = figure(run.replay?.cost_usd, 'replay cost_usd', malformed);
    const tokenDrift = liveTokens !== null && replayTokens !== null ? relativeDrift(liveTokens, replayTokens) : null;
    const costDrift = liveCost !== null && replayCost !== null ? relativeDrift(liveCost, replayCost) : null;
    // steps, matched by step_id
    const unmatched = new StepIssues();
    const missingTokens = new StepIssues();
    const missingManifests = new StepIssues();
    const verdicts = [];
    const tools = [];
    const manifestProblems = {
        mismatch: new StepIssues(),
        missing: new StepIssues(),
        path: new StepIssues()
    };
    const stepDeltas = [];
    const steps = { live: stepsOf(run.live), replay: stepsOf(run.replay) };
    const positions = {
        live: stepIndex(steps.live, 'live', malformed),
        replay: stepIndex(steps.replay, 'replay', malformed)
    };
    // a receipts file is read with the manifests of its own side (a base copy of one the pull request removed)
    const artifacts = rec.source.side === 'base' && ctx.input.base ? ctx.input.base.artifacts : ctx.input.head.artifacts;
    for (const side of SIDES) {
        const own = steps[side];
        const otherSide = side === 'live' ? 'replay' : 'live';
        for (let i = 0; i < own.length; i++) {
            const step = own[i];
            const stepId = stepIdOf(step);
            // a repeated step_id is reported as malformed; its first occurrence is the one judged
            if (positions[side].get(stepId) !== i)
                continue;
            const j = positions[otherSide].get(stepId);
            if (j === undefined)
                unmatched.add(`${stepId}\u0000${side}`, stepId, side, at(side, 'steps', i, 'step_id'), null);
            else if (side === 'live') {
                const counterpart = steps.replay[j];
                for (const [field, list] of [
                    ['policy_verdict', verdicts],
                    ['tool', tools]
                ]) {
                    if (step[field] === counterpart[field])
                        continue;
                    const [live, replay] = [stepValue(step[field]), stepValue(counterpart[field])];
                    list.push({ step_id: stepId, live, replay, pointer: at('replay', 'steps', j, field) });
                }
                const delta = stepDelta(stepId, step, counterpart);
                if (delta)
                    stepDeltas.push(delta);
            }
            if (!isReference(step.capability_token)) {
                missingTokens.add(stepId, stepId, side, at(side, 'steps', i, 'capability_token'), null);
            }
            const manifest = step.c2pa_manifest;
            if (manifest === null || manifest === undefined || typeof manifest !== 'object') {
                missingManifests.add(stepId, stepId, side, at(side, 'steps', i, 'c2pa_manifest'), null);
                continue;
            }
            const problem = checkManifest(artifacts, file, manifest, manifests);
            if (problem) {
                const { path, expected } = problem.detail;
                const where = at(side, 'steps', i, 'c2pa_manifest', problem.field);
                manifestProblems[problem.rule].add(`${stepId}\u0000${path}\u0000${expected}`, stepId, side, where, problem.detail);
            }
        }
    }
    // findings, one per run per rule
    const empty = SIDES.filter((side) => steps[side].length === 0);
    if (malformed.length > 0) {
        add(RULES['drift.malformed-run'], {
            message: `Run ${runId} in ${file}: ${malformed.join('; ')}; required: unique run and step ids and non-negative figures.`,
            observed: malformed,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, at()),
            evidence: { problems: malformed }
        });
    }
    if (tokenDrift !== null && exceeds(tokenDrift, tokenLimit)) {
        add(RULES['drift.tokens'], {
            message: `Run ${runId}: the replay used ${replayTokens} tokens against ${liveTokens} live (${describeDrift(tokenDrift, liveTokens, String(replayTokens), tokenLimit)}); required: at most ${percent(tokenLimit)}.`,
            observed: tokenDrift.drift,
            required: tokenLimit,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, at('replay', 'tokens')),
            evidence: {
                live: liveTokens,
                replay: replayTokens,
                drift: tokenDrift.drift,
                limit: tokenLimit,
                largest_step_differences: largest(stepDeltas, 'tokens')
            }
        });
    }
    if (costDrift !== null && exceeds(costDrift, costLimit)) {
        add(RULES['drift.cost'], {
            message: `Run ${runId}: the replay cost $${usd(replayCost)} against $${usd(liveCost)} live (${describeDrift(costDrift, liveCost, `$${usd(replayCost)}`, costLimit)}); required: at most ${percent(costLimit)}.`,
            observed: costDrift.drift,
            required: costLimit,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, at('replay', 'cost_usd')),
            evidence: {
                live: liveCost,
                replay: replayCost,
                drift: costDrift.drift,
                limit: costLimit,
                largest_step_differences: largest(stepDeltas, 'cost')
            }
        });
    }
    const stepFinding = (rule, issues, what, required, details = null, why = '') => {
        if (issues.size === 0)
            return;
        const labels = issues.labels();
        add(RULES[rule], {
            message: `Run ${runId}: ${what} (${labels.length}): ${listSteps(labels)}${why}; required: ${required}.`,
            observed: labels.slice(0, EVIDENCE_STEPS),
            required,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, issues.firstPointer),
            evidence: {
                steps: labels.slice(0, EVIDENCE_STEPS),
                count: labels.length,
                ...(details === null ? {} : { details })
            }
        });
    };
    if (empty.length > 0) {
        const which = empty.length === SIDES.length
            ? 'the live run and the replay record'
            : empty[0] === 'live'
                ? 'the live run records'
                : 'the replay records';
        add(RULES['drift.no-steps'], {
            message: `Run ${runId}: ${which} no steps, so nothing shows a capability token, a C2PA manifest or a policy verdict; required: the steps of both executions.`,
            observed: empty,
            required: 'steps on both sides',
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, at(empty[0], 'steps')),
            evidence: { empty, live_steps: steps.live.length, replay_steps: steps.replay.length }
        });
    }
    stepFinding('drift.step-unmatched', unmatched, 'steps in only one of the live run and the replay', 'the same steps on both sides');
    stepFinding('drift.missing-capability-token', missingTokens, 'steps without a capability_token', 'one on every step');
    stepFinding('drift.missing-manifest', missingManifests, 'steps without a c2pa_manifest', 'one on every step');
    const differing = (rule, list, what) => {
        if (list.length === 0)
            return;
        const shown = list.slice(0, MESSAGE_STEPS).map((v) => `${v.step_id}: ${v.live} → ${v.replay}`);
        const steps = `${list.length} step${list.length === 1 ? '' : 's'} (${shown.join('; ')}${more(list.length)})`;
        add(RULES[rule], {
            message: `Run ${runId}: ${what.replace('{steps}', steps)}.`,
            observed: list.slice(0, EVIDENCE_STEPS).map((v) => ({ step_id: v.step_id, live: v.live, replay: v.replay })),
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .locationOf */ .hD)(rec, list[0].pointer),
            evidence: { count: list.length }
        });
    };
    differing('drift.verdict-mismatch', verdicts, 'policy verdicts differ between live and replay on {steps}; required: the same verdict on every step');
    differing('drift.tool-mismatch', tools, 'the replay calls another tool than the live run on {steps}; required: the same tool on every step');
    const manifestDetails = (issues) => issues
        .entries()
        .slice(0, EVIDENCE_STEPS)
        .map((e) => ({ step_id: e.label, ...e.detail }));
    stepFinding('drift.manifest-mismatch', manifestProblems.mismatch, 'steps whose manifest sha256 does not match the file', 'the sha256 of the manifest file in the repository', manifestDetails(manifestProblems.mismatch));
    stepFinding('drift.manifest-missing', manifestProblems.missing, 'steps whose manifest file cannot be read', 'the manifest file committed at the path the receipt gives', manifestDetails(manifestProblems.missing), reasons(manifestProblems.missing));
    stepFinding('drift.manifest-path', manifestProblems.path, 'steps whose manifest path is not a path inside the repository', "a path relative to the receipt file's folder, inside the repository", manifestDetails(manifestProblems.path));
    const manifestEvidence = [];
    for (const issues of [manifestProblems.mismatch, manifestProblems.missing, manifestProblems.path]) {
        for (const e of issues.entries()) {
            manifestEvidence.push({
                step_id: e.label,
                path: e.detail.path,
                expected: e.detail.expected,
                actual: e.detail.actual
            });
        }
    }
    return {
        run_id: runId,
        file,
        tokens: { live: liveTokens ?? 0, replay: replayTokens ?? 0, drift: tokenDrift?.drift ?? null, limit: tokenLimit },
        cost: { live: liveCost ?? 0, replay: replayCost ?? 0, drift: costDrift?.drift ?? null, limit: costLimit },
        verdict_mismatches: verdicts.map((v) => ({ step_id: v.step_id, live: v.live, replay: v.replay })),
        missing_capability_tokens: missingTokens.labels(),
        missing_manifests: missingManifests.labels(),
        manifest_mismatches: manifestEvidence,
        pass
    };
}
/** |replay − live| / live; 0 when both are 0; unbounded (null) when only the live figure is 0. */
function relativeDrift(live, replay) {
    if (live === 0)
        return { drift: replay === 0 ? 0 : null };
    const drift = Math.abs(replay - live) / live;
    // a live value so small that the ratio overflows is as unbounded as a live value of 0
    return { drift: Number.isFinite(drift) ? drift : null };
}
function exceeds(d, limit) {
    return d.drift === null || d.drift > limit + EPSILON;
}
function describeDrift(d, live, replay, limit) {
    if (d.drift !== null)
        return `drift ${percentAgainst(d.drift, limit)}`;
    const base = live === 0 ? 'live is 0' : 'live is too small to compare with';
    return `${base} and the replay ${replay}: the drift is unbounded`;
}
/** A non-negative finite number, or null with the problem recorded. */
function figure(value, what, problems) {
    if (isFiniteNumber(value) && value >= 0)
        return value;
    problems.push(`${what} is ${JSON.stringify(value) ?? 'missing'} (required: a non-negative number)`);
    return null;
}
function tokenTotal(trace, side, problems) {
    const input = figure(trace?.tokens?.input, `${side} tokens.input`, problems);
    const output = figure(trace?.tokens?.output, `${side} tokens.output`, problems);
    return input === null || output === null ? null : input + output;
}
// ---------------------------------------------------------------------------------------------------------------
// Steps
function stepsOf(trace) {
    return Array.isArray(trace?.steps) ? trace.steps : [];
}
/** step_id → position of its first occurrence; repeats are recorded as a problem. */
function stepIndex(steps, side, problems) {
    const index = new Map();
    let repeated = null;
    for (let i = 0; i < steps.length; i++) {
        const id = stepIdOf(steps[i]);
        if (!index.has(id))
            index.set(id, i);
        else
            (repeated ??= new Set()).add(id);
    }
    if (repeated)
        problems.push(`${side} steps repeat step_id ${listSteps([...repeated])}`);
    return index;
}
/*
 * The per-step helpers avoid global lookups (String, Number.isFinite, Object.hasOwn) in the step loop:
 * at hundreds of thousands of steps they cost more than the work itself in sandboxed runtimes.
 */
const { hasOwn } = Object;
function stepIdOf(step) {
    return typeof step.step_id === 'string' ? step.step_id : String(step.step_id);
}
function isFiniteNumber(value) {
    return typeof value === 'number' && value - value === 0;
}
/** A step field as shown in a message: its text, or "(none)". */
function stepValue(value) {
    return typeof value === 'string' ? value : '(none)';
}
/** A capability token reference: a non-blank string. */
function isReference(value) {
    // blank is blank whatever it is made of: spaces, or invisible format characters (a zero-width space)
    return typeof value === 'string' && value.replace(/[\s\p{Cf}]/gu, '') !== '';
}
function stepTokens(s) {
    return s.tokens && isFiniteNumber(s.tokens.input) && isFiniteNumber(s.tokens.output)
        ? s.tokens.input + s.tokens.output
        : null;
}
function stepDelta(stepId, live, replay) {
    const lt = stepTokens(live);
    const rt = stepTokens(replay);
    const tokens = lt !== null && rt !== null ? rt - lt : null;
    const cost = isFiniteNumber(live.cost_usd) && isFiniteNumber(replay.cost_usd) ? replay.cost_usd - live.cost_usd : null;
    if (!tokens && !cost)
        return null;
    return { step_id: stepId, tokens, cost };
}
/** The five steps that moved a total most, for the reviewer (only when steps record their own figures). */
function largest(deltas, field) {
    return deltas
        .filter((d) => d[field] !== null && d[field] !== 0)
        .sort((a, b) => Math.abs(b[field]) - Math.abs(a[field]) || (0,_context_js__WEBPACK_IMPORTED_MODULE_5__/* .cmp */ .r2)(a.step_id, b.step_id))
        .slice(0, 5)
        .map((d) => ({ step_id: d.step_id, delta: d[field] }));
}
const SHA256 = /^[0-9a-f]{64}$/i;
/**
 * A plain relative path — no `.`, `..` or empty segment, no backslash, colon or control character — resolves
 * by prefixing the receipt's folder; resolveReference gives the same answer, only slower. Receipts with
 * hundreds of thousands of steps make the difference.
 */
const PLAIN_RELATIVE = /^(?:(?!\.\.?\/)[^/\\:\u0000-\u001f\u007f]+\/)*(?!\.\.?$)[^/\\:\u0000-\u001f\u007f]+$/;
function resolveManifestPath(receiptFile, reference) {
    if (!PLAIN_RELATIVE.test(reference))
        return (0,_read_paths_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveReference */ .sX)(receiptFile, reference);
    const slash = receiptFile.lastIndexOf('/');
    return { ok: true, path: slash < 0 ? reference : `${receiptFile.slice(0, slash + 1)}${reference}` };
}
/**
 * A receipt file's manifest references → where each resolves and the digest read there. Steps often share
 * manifests (runs repeat the same few), so each is resolved once per file; when every step has its own, the
 * map stops growing at MANIFEST_CACHE entries.
 */
const MANIFEST_CACHE = 4096;
/** What is wrong with a step's manifest reference, or null when the recorded digest matches the file. */
function checkManifest(artifacts, receiptFile, manifest, files) {
    const written = typeof manifest.path === 'string' ? manifest.path : '';
    const expected = typeof manifest.sha256 === 'string' ? manifest.sha256 : '';
    let file = files.get(written);
    if (!file) {
        const resolved = resolveManifestPath(receiptFile, written);
        const digest = resolved.ok && hasOwn(artifacts, resolved.path) ? artifacts[resolved.path] : undefined;
        file = { resolved, digest };
        if (files.size < MANIFEST_CACHE)
            files.set(written, file);
    }
    const { resolved, digest } = file;
    if (!resolved.ok) {
        return { rule: 'path', field: 'path', detail: { path: written, expected, actual: null, reason: resolved.reason } };
    }
    if (digest === undefined || digest.status !== 'ok') {
        const reason = digest === undefined ? 'the file was not read' : digest.reason;
        return { rule: 'missing', field: 'path', detail: { path: resolved.path, expected, actual: null, reason } };
    }
    // the common case first: the receipt recorded the digest exactly as the reader computed it
    if (expected === digest.sha256)
        return null;
    if (!SHA256.test(expected)) {
        const reason = 'the recorded sha256 is not 64 hexadecimal characters';
        return {
            rule: 'mismatch',
            field: 'sha256',
            detail: { path: resolved.path, expected, actual: digest.sha256, reason }
        };
    }
    if (expected.toLowerCase() === digest.sha256.toLowerCase())
        return null;
    return {
        rule: 'mismatch',
        field: 'sha256',
        detail: { path: resolved.path, expected, actual: digest.sha256, reason: null }
    };
}
// ---------------------------------------------------------------------------------------------------------------
// Formatting
function percent(fraction) {
    return `${Number((fraction * 100).toFixed(4))}%`;
}
/** Why the manifests could not be read, for the message: " (x.json is a symbolic link …; …)", the first few. */
function reasons(issues) {
    const all = [
        ...new Set(issues
            .entries()
            .map((e) => e.detail.reason)
            .filter((r) => r !== null))
    ];
    if (all.length === 0)
        return '';
    const shown = all.slice(0, 3).join('; ');
    return ` (${shown}${all.length > 3 ? `; and ${all.length - 3} more reasons` : ''})`;
}
/** A drift shown with as many decimals as it takes to tell it from the limit (1.00001% over a 1% limit, not 1%). */
function percentAgainst(fraction, limit) {
    for (let digits = 4; digits <= 12; digits++) {
        const shown = Number((fraction * 100).toFixed(digits));
        if (shown !== Number((limit * 100).toFixed(digits)))
            return `${shown}%`;
    }
    return `${fraction * 100}%`;
}
function usd(amount) {
    return String(Number(amount.toPrecision(8)));
}
function more(total) {
    return total > MESSAGE_STEPS ? ` and ${total - MESSAGE_STEPS} more` : '';
}
function listSteps(labels) {
    return labels.slice(0, MESSAGE_STEPS).join(', ') + more(labels.length);
}


/***/ }),

/***/ 5749:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  y0: () => (/* binding */ RULES),
  Bo: () => (/* binding */ evaluateEvals)
});

// UNUSED EXPORTS: regressionOf, requiredEvals

// EXTERNAL MODULE: ./src/gate/context.ts
var context = __webpack_require__(2104);
// EXTERNAL MODULE: ./src/gate/approvals.ts
var approvals = __webpack_require__(7475);
// EXTERNAL MODULE: ./src/gate/globs.ts + 1 modules
var globs = __webpack_require__(3791);
// EXTERNAL MODULE: ./src/gate/rules.ts
var rules = __webpack_require__(7344);
;// CONCATENATED MODULE: ./src/gate/stats.ts
// Hot loops use local bindings: a global lookup per iteration is slow inside vm contexts (jest's).
const { abs, cos, exp, floor, imul, log, sqrt } = Math;
const isFiniteNumber = Number.isFinite;
/** Whether a value lies in the range. */
function inRange(v, range) {
    return range.ends ? v === range.min || v === range.max : v >= range.min && v <= range.max;
}
/** How many out-of-range cases a Sample keeps the position of, for findings that point at them. */
const OUTSIDE_EXAMPLES = 5;
/**
 * Collect the finite values of a column in one pass. Cases beyond the column's length count as missing.
 * NaN means "no value"; ±Infinity (a number too large to represent) is treated the same way. With a range,
 * values outside it are counted apart and left out.
 */
function collectSample(column, cases, range = null) {
    const out = new Float64Array(column ? Math.min(cases, column.length) : 0);
    let n = 0;
    let min = Infinity;
    let max = -Infinity;
    let outside = 0;
    const outsideExamples = [];
    if (range === null) {
        for (let i = 0; i < out.length; i++) {
            const v = column[i];
            if (!isFiniteNumber(v))
                continue;
            out[n++] = v;
            if (v < min)
                min = v;
            if (v > max)
                max = v;
        }
    }
    else {
        for (let i = 0; i < out.length; i++) {
            const v = column[i];
            if (!isFiniteNumber(v))
                continue;
            if (!inRange(v, range)) {
                if (outside++ < OUTSIDE_EXAMPLES)
                    outsideExamples.push({ row: i, value: v });
                continue;
            }
            out[n++] = v;
            if (v < min)
                min = v;
            if (v > max)
                max = v;
        }
    }
    return { values: out.subarray(0, n), missing: cases - n - outside, outside, outsideExamples, min, max };
}
/** A rate counts a case as passing when its value is at least 0.5 (true is 1, false 0). */
const RATE_PASS_AT = 0.5;
/**
 * One number for a metric. mean, sum (compensated summation), rate (share of values ≥ 0.5), min, max,
 * and p50/p95/p99 by the nearest-rank method: the value at rank ⌈p·n⌉ of the sorted values.
 * null for no values.
 */
function aggregate(values, how) {
    const n = values.length;
    if (n === 0)
        return null;
    switch (how) {
        case 'mean':
            return sum(values) / n;
        case 'sum':
            return sum(values);
        case 'rate':
            return countPassing(values) / n;
        case 'min': {
            let m = Infinity;
            for (let i = 0; i < n; i++)
                if (values[i] < m)
                    m = values[i];
            return m;
        }
        case 'max': {
            let m = -Infinity;
            for (let i = 0; i < n; i++)
                if (values[i] > m)
                    m = values[i];
            return m;
        }
        case 'p50':
        case 'p95':
        case 'p99': {
            const k = rankIndex(n, PERCENTILE[how]);
            const copy = Float64Array.from(values);
            stats_select(copy, k, 0, n - 1);
            return copy[k];
        }
    }
}
const PERCENTILE = { p50: 0.5, p95: 0.95, p99: 0.99 };
function sortedCopy(values) {
    // a typed array sorts numerically
    return Float64Array.from(values).sort();
}
/** The nearest-rank percentile: the value at rank ⌈p·n⌉ (1-based) of sorted values. */
function nearestRank(sorted, p) {
    return sorted[rankIndex(sorted.length, p)];
}
/** 0-based index of the nearest-rank p-quantile among n sorted values (1e-9 absorbs p·n rounding up). */
function rankIndex(n, p) {
    return Math.min(n - 1, Math.max(0, Math.ceil(p * n - 1e-9) - 1));
}
/**
 * Quickselect: rearrange a[left..right] so that a[k] holds the value of rank k, smaller values before it and
 * larger after it. Three-way partitions keep repeated values (0/1 data) linear; a recursion budget falls back
 * to sorting the remaining range, so no input is quadratic.
 */
function stats_select(a, k, left, right) {
    let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
    while (right > left) {
        if (budget-- === 0) {
            a.subarray(left, right + 1).sort();
            return;
        }
        const x = a[left];
        const y = a[left + ((right - left) >> 1)];
        const z = a[right];
        const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
        let lt = left;
        let gt = right;
        let i = left;
        while (i <= gt) {
            const v = a[i];
            if (v < pivot) {
                a[i++] = a[lt];
                a[lt++] = v;
            }
            else if (v > pivot) {
                a[i] = a[gt];
                a[gt--] = v;
            }
            else
                i++;
        }
        if (k < lt)
            right = lt - 1;
        else if (k > gt)
            left = gt + 1;
        else
            return;
    }
}
/** The values of ranks from..to (0-based, inclusive), sorted, without sorting the rest. */
function sortedRanks(values, from, to) {
    const copy = Float64Array.from(values);
    stats_select(copy, from, 0, copy.length - 1);
    stats_select(copy, to, from, copy.length - 1);
    return copy.subarray(from, to + 1).sort();
}
/** Neumaier's compensated sum: a million small costs add up without drift. */
function sum(values) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const t = s + v;
        c += abs(s) >= abs(v) ? s - t + v : v - t + s;
        s = t;
    }
    return s + c;
}
function countPassing(values) {
    let k = 0;
    for (let i = 0; i < values.length; i++)
        if (values[i] >= RATE_PASS_AT)
            k++;
    return k;
}
/** Sample variance (n − 1), two-pass. */
function variance(values) {
    const n = values.length;
    if (n < 2)
        return 0;
    const mean = sum(values) / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
        const d = values[i] - mean;
        ss += d * d;
    }
    return ss / (n - 1);
}
/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided as in R's fisher.test: the sum of the
 * hypergeometric probabilities of every table with the same margins that is no more likely than the observed
 * one (relative tolerance 1e-7). Probabilities are walked from the mode with the ratio of consecutive terms
 * (log-space, so log-factorials never need evaluating directly) and stop where terms underflow (below e^-745
 * of the mode): the work is proportional to the spread of the distribution, not to the number of cases.
 */
function fisherExact(a, b, c, d) {
    const rowTop = a + b;
    const colLeft = a + c;
    const total = a + b + c + d;
    const lo = Math.max(0, rowTop + colLeft - total);
    const hi = Math.min(rowTop, colLeft);
    if (lo === hi)
        return { p: 1 };
    // log P(x+1) − log P(x) for the hypergeometric count in the top-left cell
    const step = (x) => log(colLeft - x) + log(rowTop - x) - log(x + 1) - log(total - colLeft - rowTop + x + 1);
    const mode = Math.min(hi, Math.max(lo, Math.floor(((rowTop + 1) * (colLeft + 1)) / (total + 2))));
    const UNDERFLOW = -745;
    // log-probabilities relative to the mode, for x from `from` to `to`
    const up = [0];
    for (let x = mode, rel = 0; x < hi; x++) {
        rel += step(x);
        if (rel < UNDERFLOW)
            break;
        up.push(rel);
    }
    const down = [];
    for (let x = mode, rel = 0; x > lo; x--) {
        rel -= step(x - 1);
        if (rel < UNDERFLOW)
            break;
        down.push(rel);
    }
    const relAt = (x) => {
        if (x >= mode)
            return x - mode < up.length ? up[x - mode] : null;
        return mode - x - 1 < down.length ? down[mode - x - 1] : null;
    };
    const observed = relAt(a);
    // an observed table beyond the underflow point is less likely than e^-745 of the mode: p is 0 in doubles
    if (observed === null)
        return { p: 0 };
    const limit = observed + Math.log1p(1e-7);
    let all = 0;
    let tail = 0;
    for (const rel of [...up, ...down]) {
        const w = exp(rel);
        all += w;
        if (rel <= limit)
            tail += w;
    }
    return { p: Math.min(1, tail / all) };
}
// ---------------------------------------------------------------------------------------------------
// Intervals
/** The standard normal quantile (Wichura's AS241, about 1e-16 relative accuracy). */
function normalQuantile(p) {
    if (p <= 0)
        return -Infinity;
    if (p >= 1)
        return Infinity;
    const q = p - 0.5;
    if (Math.abs(q) <= 0.425) {
        const r = 0.180625 - q * q;
        return ((q *
            (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
                13731.69376550946) *
                r +
                1971.5909503065513) *
                r +
                133.14166789178438) *
                r +
                3.3871328727963665)) /
            (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
                5394.196021424751) *
                r +
                687.1870074920579) *
                r +
                42.31333070160091) *
                r +
                1));
    }
    let r = q < 0 ? p : 1 - p;
    r = Math.sqrt(-Math.log(r));
    let x;
    if (r <= 5) {
        r -= 1.6;
        x =
            (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
                3.6478483247632045) *
                r +
                5.769497221460691) *
                r +
                4.630337846156546) *
                r +
                1.4234371107496835) /
                (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) *
                    r +
                    0.6897673349851) *
                    r +
                    1.6763848301838038) *
                    r +
                    2.053191626637759) *
                    r +
                    1);
    }
    else {
        r -= 5;
        x =
            (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
                0.026532189526576124) *
                r +
                0.29656057182850487) *
                r +
                1.7848265399172913) *
                r +
                5.463784911164114) *
                r +
                6.657904643501103) /
                (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
                    0.0007868691311456133) *
                    r +
                    0.014875361290850615) *
                    r +
                    0.1369298809227358) *
                    r +
                    0.599832206555888) *
                    r +
                    1);
    }
    return q < 0 ? -x : x;
}
/** z for a two-sided interval at `confidence` (1.96 at 0.95). */
function twoSidedZ(confidence) {
    return normalQuantile(1 - (1 - confidence) / 2);
}
/** Wilson score interval for a proportion x/n. */
function wilson(x, n, z) {
    const p = x / n;
    const z2 = z * z;
    const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
    return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
/**
 * Newcombe's hybrid score interval (his method 10) for the difference of two proportions x1/n1 − x2/n2,
 * built from the two Wilson intervals; it behaves well for small counts and rates near 0 or 1.
 */
function newcombeInterval(x1, n1, x2, n2, confidence) {
    const z = twoSidedZ(confidence);
    const p1 = x1 / n1;
    const p2 = x2 / n2;
    const [l1, u1] = wilson(x1, n1, z);
    const [l2, u2] = wilson(x2, n2, z);
    const d = p1 - p2;
    return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}
/**
 * Normal interval of head − base for a mean (Welch's unpooled standard error) or a sum (variance n·s²).
 * Used when there are too many cases to bootstrap within the work budget; with that many cases the
 * normal approximation is accurate.
 */
function welchInterval(head, base, how, confidence) {
    const z = twoSidedZ(confidence);
    const vh = variance(head);
    const vb = variance(base);
    const d = aggregate(head, how) - aggregate(base, how);
    const se = how === 'mean' ? Math.sqrt(vh / head.length + vb / base.length) : Math.sqrt(head.length * vh + base.length * vb);
    return [d - z * se, d + z * se];
}
// ---------------------------------------------------------------------------------------------------
// Bootstrap
/** mulberry32: a small, fast, well-mixed 32-bit PRNG. Returns floats in (0, 1). */
function mulberry32(seed) {
    let s = seed >>> 0;
    return () => {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = imul(t ^ (t >>> 15), t | 1);
        t ^= t + imul(t ^ (t >>> 7), t | 61);
        return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    };
}
/** FNV-1a over the parts (UTF-16 code units, separated), for per-metric seeds. */
function hashSeed(...parts) {
    let h = 0x811c9dc5;
    const text = parts.map(String).join('\u0000');
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = imul(h, 0x01000193);
    }
    return h >>> 0;
}
/** Standard normal variate (Box–Muller, one of the pair). */
function normal(rand) {
    return sqrt(-2 * log(rand())) * cos(2 * Math.PI * rand());
}
/** Gamma(shape, 1) variate for shape ≥ 1 (Marsaglia and Tsang). */
function gamma(shape, rand) {
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    for (;;) {
        const x = normal(rand);
        const v0 = 1 + c * x;
        if (v0 <= 0)
            continue;
        const v = v0 * v0 * v0;
        const u = rand();
        if (u < 1 - 0.0331 * x * x * x * x)
            return d * v;
        if (log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            return d * v;
    }
}
/** Beta(a, b) variate for a, b ≥ 1. */
function beta(a, b, rand) {
    const x = gamma(a, rand);
    return x / (x + gamma(b, rand));
}
/**
 * Percentile-bootstrap interval of statistic(head) − statistic(base), resampling each side with replacement.
 * For a mean or sum each resample costs one draw per case. For a percentile no resample is materialised:
 * the rank-k value of n draws with replacement from sorted values is sorted[⌊n·U⌋] with U ~ Beta(k, n−k+1)
 * (the k-th order statistic of n uniforms), so each resample costs O(1) and the answer is the same
 * distribution a resample-and-sort would give.
 */
function bootstrapInterval(head, base, statistic, plan) {
    const diffs = new Float64Array(plan.resamples);
    if (statistic === 'mean' || statistic === 'sum') {
        const state = { s: plan.seed >>> 0 };
        for (let i = 0; i < plan.resamples; i++) {
            const h = resampleSum(head, state);
            const b = resampleSum(base, state);
            diffs[i] = statistic === 'sum' ? h - b : h / head.length - b / base.length;
        }
    }
    else {
        const p = PERCENTILE[statistic];
        const rand = mulberry32(plan.seed);
        const headRanks = new RankSampler(head, p);
        const baseRanks = new RankSampler(base, p);
        for (let i = 0; i < plan.resamples; i++)
            diffs[i] = headRanks.draw(rand) - baseRanks.draw(rand);
    }
    diffs.sort();
    const alpha = 1 - plan.confidence;
    return [nearestRank(diffs, alpha / 2), nearestRank(diffs, 1 - alpha / 2)];
}
/**
 * The sum of n draws with replacement. mulberry32 is inlined (the same sequence as mulberry32(seed)): a call per
 * draw is most of the cost while the loop still runs unoptimised, as it does in a short run of the CLI.
 */
function resampleSum(values, state) {
    const n = values.length;
    let s = state.s;
    let sum = 0;
    for (let j = 0; j < n; j++) {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = imul(t ^ (t >>> 15), t | 1);
        t ^= t + imul(t ^ (t >>> 7), t | 61);
        sum += values[floor(((((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296) * n)];
    }
    state.s = s;
    return sum;
}
/**
 * Draws the nearest-rank p-quantile of a bootstrap resample. Only the sorted values near rank k are needed:
 * U ~ Beta(k, n−k+1) falls within 12 standard deviations of k/n except with probability below 1e-30, so a
 * window of ranks is selected and sorted, and a draw outside it (practically never) sorts everything.
 */
class RankSampler {
    values;
    n;
    k;
    from;
    window;
    constructor(values, p) {
        this.values = values;
        const n = values.length;
        this.n = n;
        this.k = rankIndex(n, p) + 1;
        const spread = Math.ceil(12 * Math.sqrt(n * p * (1 - p))) + 16;
        this.from = Math.max(0, this.k - 1 - spread);
        this.window = sortedRanks(values, this.from, Math.min(n - 1, this.k - 1 + spread));
    }
    draw(rand) {
        const index = Math.min(this.n - 1, floor(this.n * beta(this.k, this.n - this.k + 1, rand)));
        if (index < this.from || index >= this.from + this.window.length) {
            this.window = sortedCopy(this.values);
            this.from = 0;
        }
        return this.window[index - this.from];
    }
}
// ---------------------------------------------------------------------------------------------------
// The noise test a metric gets
/** Above this many resampled draws (resamples × cases on both sides) a mean or sum uses Welch's interval. */
const BOOTSTRAP_DRAW_BUDGET = 8_000_000;
/**
 * Tell a drop from noise, given both sides' per-case values. Rates: Fisher's exact test on the pass/fail
 * counts (significant when p < 1 − confidence and head is worse), shown with Newcombe's interval.
 * Means, sums and percentiles: a seeded percentile bootstrap of head − base (significant when the interval
 * lies wholly on the bad side of 0); means and sums with more draws than BOOTSTRAP_DRAW_BUDGET use Welch's
 * normal interval instead. Returns a reason string when no test applies.
 */
function noiseTest(head, base, how, direction, settings) {
    if (head.length < 2 || base.length < 2) {
        return `too few cases to tell noise from a real change (${head.length} on head, ${base.length} on base; 2 each needed)`;
    }
    if (how === 'min' || how === 'max') {
        return `no noise test for a ${how}: a bootstrap of an extreme value is unreliable`;
    }
    const result = runNoiseTest(head, base, how, direction, settings);
    if (!Number.isFinite(result.interval[0]) || !Number.isFinite(result.interval[1])) {
        return 'the values are too large to test for noise in double precision';
    }
    return result;
}
function runNoiseTest(head, base, how, direction, settings) {
    const confidence = settings.confidence;
    const pct = formatPercent(confidence);
    const worse = (interval) => direction === 'higher_is_better' ? interval[1] < 0 : interval[0] > 0;
    if (how === 'rate') {
        const xh = countPassing(head);
        const xb = countPassing(base);
        const { p } = fisherExact(xh, head.length - xh, xb, base.length - xb);
        const delta = xh / head.length - xb / base.length;
        const drop = direction === 'higher_is_better' ? delta < 0 : delta > 0;
        return {
            method: 'fisher',
            interval: newcombeInterval(xh, head.length, xb, base.length, confidence),
            confidence,
            significant: drop && p < 1 - confidence,
            p,
            detail: `Fisher's exact test on pass/fail counts (head ${xh}/${head.length}, base ${xb}/${base.length}), ` +
                `two-sided p = ${formatP(p)}; ${pct} Newcombe interval of head − base`
        };
    }
    if ((how === 'mean' || how === 'sum') && settings.resamples * (head.length + base.length) > BOOTSTRAP_DRAW_BUDGET) {
        const interval = welchInterval(head, base, how, confidence);
        return {
            method: 'welch',
            interval,
            confidence,
            significant: worse(interval),
            p: null,
            detail: `${pct} normal interval of head − base with Welch's standard error (${head.length} + ${base.length} cases ` +
                `exceed the bootstrap budget of ${BOOTSTRAP_DRAW_BUDGET} resampled draws)`
        };
    }
    const interval = bootstrapInterval(head, base, how, settings);
    return {
        method: 'bootstrap',
        interval,
        confidence,
        significant: worse(interval),
        p: null,
        detail: `${pct} percentile bootstrap of head − base, ${settings.resamples} resamples, seed ${settings.seed}` +
            (how === 'mean' || how === 'sum' ? '' : ' (order statistics drawn exactly from Beta distributions)')
    };
}
function formatPercent(x) {
    return `${Number((x * 100).toFixed(1))}%`;
}
/** p-values: 2 significant digits, exponent below 0.001, and "< 1e-300" where they underflow. */
function formatP(p) {
    if (p === 0)
        return '< 1e-300';
    if (p < 0.001)
        return p.toExponential(1);
    return String(Number(p.toPrecision(2)));
}

;// CONCATENATED MODULE: ./src/gate/thresholds.ts
/** "<=" before "<" so the longer operator wins; the number is a plain decimal with an optional exponent. */
const COMPARATOR_PATTERN = /^\s*(<=|>=|==|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;
const NUMBER_PATTERN = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const ACCEPTED_FORMS = 'a number (read by the metric\'s direction) or a string "<x", "<=x", ">x", ">=x" or "==x"';
/** llm_judge and deterministic metrics are higher_is_better unless declared otherwise; numeric has no default. */
function defaultDirection(type) {
    return type === 'numeric' ? null : 'higher_is_better';
}
/** The direction a comparator implies: "<0.40" passes low values, so lower is better. "==" implies none. */
function impliedDirection(comparator) {
    if (comparator === '<' || comparator === '<=')
        return 'lower_is_better';
    if (comparator === '>' || comparator === '>=')
        return 'higher_is_better';
    return null;
}
/**
 * Read one threshold. `direction` is the metric's declared direction or its type's default (null when
 * neither exists); it decides how a bare number reads: >= for higher_is_better, <= for lower_is_better.
 */
function readThreshold(written, metricName, direction) {
    if (typeof written === 'number')
        return readBare(written, written, metricName, direction);
    if (typeof written === 'string') {
        const m = COMPARATOR_PATTERN.exec(written);
        if (m) {
            const value = Number(m[2]);
            if (!Number.isFinite(value))
                return invalid(written, metricName, 'its number is out of range');
            return { ok: true, threshold: { written, comparator: m[1], value, read_by: 'comparator' } };
        }
        if (NUMBER_PATTERN.test(written))
            return readBare(written, Number(written), metricName, direction);
        return invalid(written, metricName, hintFor(written));
    }
    const what = written === null
        ? 'null'
        : Array.isArray(written)
            ? 'a list'
            : typeof written === 'object'
                ? 'a mapping'
                : `a ${typeof written}`;
    return invalid(written, metricName, `it is ${what}`);
}
function readBare(written, value, metricName, direction) {
    if (!Number.isFinite(value))
        return invalid(written, metricName, 'it is not a finite number');
    if (direction === null) {
        return {
            ok: false,
            problem: 'ambiguous',
            message: `threshold ${metricName}: ${show(written)} is a bare number on a numeric metric without a direction, ` +
                `so it could mean ">= ${formatNumber(value)}" or "<= ${formatNumber(value)}"`
        };
    }
    const comparator = direction === 'higher_is_better' ? '>=' : '<=';
    return { ok: true, threshold: { written, comparator, value, read_by: 'direction' } };
}
function invalid(written, metricName, why) {
    return {
        ok: false,
        problem: 'invalid',
        message: `threshold ${metricName}: ${show(written)} cannot be read (${why}); expected ${ACCEPTED_FORMS}`
    };
}
/** A pointer at the likely slip, for strings that almost parse. */
function hintFor(text) {
    const t = text.trim();
    if (/^(=>|=<)/.test(t))
        return `write "${t.startsWith('=>') ? '>=' : '<='}" (the "=" goes second)`;
    if (/^=\s*[^=]/.test(t))
        return 'a single "=" is not a comparator: write "==" for equality';
    if (/^!=/.test(t))
        return '"!=" cannot be a threshold: state the bound the metric must meet';
    if (/[≥≤]/.test(t))
        return 'use ASCII ">=" or "<=" instead of "≥" or "≤"';
    if (/%\s*$/.test(t))
        return 'write a share as a decimal, e.g. 0.85 for 85%';
    if (/^(<=|>=|==|<|>)\s*$/.test(t))
        return 'the comparator has no number';
    return 'it is neither a number nor a comparator followed by a number';
}
/** Whether `observed` meets the threshold. Values within 1e-9 (relative) of the bound count as equal to it. */
function meets(observed, t) {
    const equal = Math.abs(observed - t.value) <= 1e-9 * Math.max(Math.abs(observed), Math.abs(t.value));
    switch (t.comparator) {
        case '==':
            return equal;
        case '>=':
            return equal || observed > t.value;
        case '<=':
            return equal || observed < t.value;
        case '>':
            return !equal && observed > t.value;
        case '<':
            return !equal && observed < t.value;
    }
}
/** How a threshold reads, e.g. ">= 0.85". */
function describeThreshold(t) {
    return `${t.comparator} ${formatNumber(t.value)}`;
}
/**
 * The values one case may have for a metric of this type: an llm_judge score lies in [0, 1], a deterministic
 * check is 0 or 1 (false or true). null for numeric metrics, which may take any finite number.
 */
function caseRange(type) {
    if (type === 'llm_judge')
        return { min: 0, max: 1, ends: false, why: 'an llm_judge score is between 0 and 1' };
    if (type === 'deterministic') {
        return { min: 0, max: 1, ends: true, why: 'a deterministic check is true or false (1 or 0) for each case' };
    }
    return null;
}
/**
 * The values an aggregate of the metric may take, for eval_scores files that report it directly: a rate is a
 * share in [0, 1] whatever the type; the mean, min, max or a percentile of [0, 1] values lies in [0, 1]; their
 * sum is non-negative. null when nothing is known (numeric metrics, other than their rate).
 */
function aggregateRange(type, aggregate) {
    if (aggregate === 'rate') {
        return { min: 0, max: 1, ends: false, why: 'a rate is the share of cases that pass, between 0 and 1' };
    }
    const values = caseRange(type);
    if (!values)
        return null;
    if (aggregate === 'sum') {
        return { min: 0, max: Infinity, ends: false, why: `a sum of ${type} values is never below 0` };
    }
    return { min: 0, max: 1, ends: false, why: `the ${aggregate} of ${type} values is between 0 and 1` };
}
/**
 * The range of a metric's aggregate. llm_judge and deterministic values lie in [0, 1] (scores and booleans;
 * values outside it are rejected before they are aggregated); numeric values are taken as non-negative
 * (costs, latencies, counts) unless a negative value was seen. A rate is always a share in [0, 1]; a sum of
 * non-negative values is non-negative but unbounded.
 */
function metricDomain(metric, aggregate, seen) {
    const value = valueDomain(metric, seen);
    if (aggregate === 'rate')
        return { min: 0, max: 1, why: `a rate is the share of cases that pass, between 0 and 1` };
    if (aggregate === 'sum') {
        return {
            min: value.min >= 0 ? 0 : -Infinity,
            max: value.max <= 0 ? 0 : Infinity,
            why: value.min >= 0 ? `${value.why}, so their sum is never below 0` : value.why
        };
    }
    return value;
}
function valueDomain(metric, seen) {
    if (metric.type !== 'numeric') {
        return {
            min: 0,
            max: 1,
            why: metric.type === 'llm_judge'
                ? `${metric.name} is an llm_judge score, between 0 and 1`
                : `${metric.name} is a deterministic check, 0 (fail) or 1 (pass)`
        };
    }
    if (seen && seen.min < 0) {
        return { min: -Infinity, max: Infinity, why: `${metric.name} has negative values, so its range is not bounded` };
    }
    return {
        min: 0,
        max: Infinity,
        why: `${metric.name} is numeric and taken as non-negative (a cost, latency or count)` +
            (seen ? '; none of its values on base or head is negative' : '')
    };
}
/** Whether no value in the domain can fail the threshold. */
function neverFails(t, domain) {
    switch (t.comparator) {
        case '>=':
            return t.value <= domain.min;
        case '>':
            return t.value < domain.min;
        case '<=':
            return t.value >= domain.max;
        case '<':
            return t.value > domain.max;
        case '==':
            return domain.min === domain.max && domain.min === t.value;
    }
}
/** Short, deterministic rendering: integers as is, others to 4 significant digits (6 above 1). */
function formatNumber(x) {
    if (!Number.isFinite(x))
        return String(x);
    if (Number.isInteger(x))
        return String(x);
    return String(Number(x.toPrecision(Math.abs(x) >= 1 ? 6 : 4)));
}
function show(written) {
    if (typeof written === 'string')
        return JSON.stringify(written);
    if (typeof written === 'number')
        return formatNumber(written);
    try {
        return JSON.stringify(written) ?? String(written);
    }
    catch {
        return String(written);
    }
}

;// CONCATENATED MODULE: ./src/gate/evals.ts






const RULES = (0,rules/* defineRules */.x0)('evals', {
    'evals.missing-definition': {
        severity: 'deny',
        title: 'Required eval is not defined',
        description: "A change review record (`required_evals`, for review records of this pull request's changes, merged earlier " +
            'ones and the base copy of an edited one included) or a Deployment ' +
            '(`spec.promotion.requiresEval`) names an eval, but no `kind: Eval` record on the head branch has that ' +
            '`metadata.name`. Without a definition there are no thresholds to judge results against, so the requirement ' +
            'cannot be met.',
        fix: 'Add the Eval record (metadata.name, spec.metrics, spec.thresholds) or correct the name where it is required.'
    },
    'evals.missing-results': {
        severity: 'deny',
        title: 'Required eval has no results',
        description: 'An eval named by a change review record or a Deployment has no results on the head branch: no `eval_scores` ' +
            'file and no per-case results file whose `eval` field names it, or only an eval_scores file that reports ' +
            '`cases: 0` (scores of no cases are no evidence). No evidence is not a pass.',
        fix: 'Run the eval against this change and commit its results (an eval_scores file or per-case JSON Lines) where the gate reads records.'
    },
    'evals.gate-without-results': {
        severity: 'warning',
        title: 'Release-gating eval has no results',
        description: 'An Eval with `releaseGate.enabled: true`, or named as the source of a signal in the configuration, is judged ' +
            'whenever it has results, but it only must have results when a change review record or a Deployment names ' +
            'it. This one has no results on head (or only an eval_scores file that reports `cases: 0`, which is no ' +
            'evidence) and nothing requires it, so it is not blocking (a signal it feeds is ' +
            'false); it is shown so that a gate nobody feeds is noticed. Raise this rule to `deny` in the configuration ' +
            'to require results for every release-gating eval.',
        fix: 'Commit results for the eval, name it in a change review record or Deployment that needs it, or disable its releaseGate.'
    },
    'evals.missing-metric': {
        severity: 'deny',
        title: 'Thresholded metric has no value in the results',
        description: 'A metric with a threshold has no value on head: the per-case results have no column for it (a metric reads ' +
            'the column named by its `source`, else its own name) or every case lacks a value, and no eval_scores file ' +
            'gives it. A threshold with nothing to compare is missing evidence, not a pass.',
        fix: 'Record the metric in the results, or point the metric at the column that holds it with `source:` (and `aggregate:`).'
    },
    'evals.threshold': {
        severity: 'deny',
        title: 'Eval metric does not meet its threshold',
        description: "The metric's aggregate on head is compared with its threshold. Aggregates are declared per metric " +
            '(`aggregate:`), defaulting to mean for llm_judge and numeric metrics and to rate for deterministic ones: mean ' +
            'and sum (compensated summation), rate (the share of cases whose value is at least 0.5, i.e. true or 1), ' +
            'min, max, and p50/p95/p99 by the nearest-rank method (the value at rank ⌈p·n⌉ of the sorted values). Cases ' +
            "without a value are skipped and counted; values outside the range of the metric's type are never " +
            'aggregated (evals.value-out-of-range). Values within 1e-9 (relative) of the bound count as equal to it, so ' +
            'floating-point noise never fails ">= 0.85" at exactly 0.85. An eval_scores file gives the aggregate directly; ' +
            'where per-case results exist they are used instead.',
        fix: "Improve the agent until the metric meets the threshold and commit the new results; change a threshold only with the reviewers' agreement."
    },
    'evals.threshold-invalid': {
        severity: 'deny',
        title: 'Eval threshold cannot be read',
        description: 'A threshold must be a number or a comparator string: "<0.40", "<=3000", ">=0.85", ">0.5", "==0" (spaces ' +
            'are allowed around the number). Anything else (a single "=", "=>", "≥", "85%", a list) is rejected rather ' +
            'than guessed, and the metric counts as failing.',
        fix: 'Write the threshold as a number or as "<x", "<=x", ">x", ">=x" or "==x".'
    },
    'evals.threshold-ambiguous': {
        severity: 'deny',
        title: 'Bare-number threshold on a metric without a direction',
        description: "A bare number is read by the metric's direction: >= for higher_is_better, <= for lower_is_better. " +
            'llm_judge and deterministic metrics are higher_is_better unless they declare `direction`; numeric metrics ' +
            'have no default, so a bare number on a numeric metric without `direction` could mean either bound.',
        fix: 'Write the comparator ("<=0.4" or ">=0.4") or declare `direction: lower_is_better` / `higher_is_better` on the metric.'
    },
    'evals.threshold-conflict': {
        severity: 'deny',
        title: "Threshold contradicts the metric's declared direction",
        description: 'The comparator of a threshold implies a direction ("<" and "<=" pass low values, ">" and ">=" high ones) ' +
            "that is the opposite of the metric's declared `direction`. Either the threshold or the direction is wrong, " +
            'and regressions would be judged the wrong way round.',
        fix: "Make the comparator and the metric's `direction` agree."
    },
    'evals.threshold-vacuous': {
        severity: 'deny',
        title: 'Eval threshold can never fail',
        description: "A threshold that every possible value meets is a gate that cannot close. The range of a metric's aggregate " +
            'is taken as: [0, 1] for a rate; [0, 1] for llm_judge scores and deterministic checks (values outside it are ' +
            'rejected, see evals.value-out-of-range), non-negative for their sum; non-negative for numeric metrics ' +
            '(costs, latencies, counts) unless a negative value is seen on base or head, in which case nothing is ' +
            'assumed. So ">= 0", "> -1" or "<= 1" on a ' +
            '[0, 1] metric are reported. The usual cause is a bare number read the wrong way: `pii_leakage: 0.0` on a ' +
            'deterministic metric reads as ">= 0".',
        fix: 'State a bound that can fail: declare `direction: lower_is_better` or write "<=0" when the value must stay low, or raise the bound.'
    },
    'evals.threshold-unknown-metric': {
        severity: 'deny',
        title: 'Threshold for a metric the eval does not declare',
        description: 'Every key of `spec.thresholds` must name a metric in `spec.metrics`; otherwise its type, direction and ' +
            'aggregate are unknown and the threshold is never checked (often a typo).',
        fix: "Declare the metric in spec.metrics or correct the threshold's name."
    },
    'evals.no-thresholds': {
        severity: 'deny',
        title: 'Required eval has no thresholds',
        description: 'An eval that is required or release-gating but has no `spec.thresholds` passes whatever its results are: ' +
            'the extreme case of a threshold that can never fail.',
        fix: 'Add thresholds for the metrics that decide release.'
    },
    'evals.duplicate-definition': {
        severity: 'deny',
        title: 'Two Eval records share a name',
        description: 'Two `kind: Eval` records on head have the same `metadata.name`, so which thresholds apply is ambiguous. The ' +
            'first by file path is evaluated and the duplicate is reported.',
        fix: 'Rename or remove one of the Eval records.'
    },
    'evals.duplicate-metric': {
        severity: 'deny',
        title: 'Eval declares a metric twice',
        description: 'A metric name appears twice in `spec.metrics`; the first declaration is used and the eval fails.',
        fix: 'Remove or rename the duplicate metric.'
    },
    'evals.duplicate-results': {
        severity: 'deny',
        title: 'Two result files for one eval',
        description: 'Two per-case results files, or two eval_scores files, name the same eval on head. The gate cannot tell which ' +
            'run is current, and merging them would count the dataset twice, so neither is used and the eval fails. One ' +
            'per-case file together with one eval_scores file is fine: the per-case results are used and the scores are ' +
            'checked against them.',
        fix: 'Keep one results file of each kind per eval (delete the stale run).'
    },
    'evals.baseline-ambiguous': {
        severity: 'warning',
        title: 'Base branch has two result files for one eval',
        description: 'The base branch has two results files of one kind for an eval, so there is no single baseline: the ' +
            'regression check against base is skipped for that eval.',
        fix: 'Remove the stale results file on the base branch.'
    },
    'evals.results-inconsistent': {
        severity: 'warning',
        title: 'Scores file disagrees with the per-case results',
        description: "An eval_scores file and a per-case results file for the same eval disagree: a metric's score differs from " +
            'the aggregate of the cases by more than the rounding of the written score, or the case counts differ. The ' +
            'per-case results are used.',
        fix: 'Regenerate both files from the same run.'
    },
    'evals.undefined-results': {
        severity: 'warning',
        title: 'Results for an eval that is not defined',
        description: 'A results file names an eval that no Eval record on head defines, so nothing judges it. Often a typo in ' +
            'the `eval` field, which also leaves the intended eval without results.',
        fix: 'Correct the `eval` field of the results, or add the Eval record.'
    },
    'evals.cases-missing-values': {
        severity: 'warning',
        title: 'Some cases have no value for a metric',
        description: 'A case has no value for a metric when the field the metric reads is absent from it: a JSON Lines case ' +
            'without the key in `metrics` (or without `cost_usd` / `latency_ms`), a promptfoo result without the named ' +
            'score. Such cases are skipped by the aggregate; many of them can hide failures (a judge that timed out), so ' +
            'they are counted and shown. An absent value is written by leaving the field out: `null`, or a number too ' +
            'large to represent, is not a value but a record error, and the results file is rejected when it is read.',
        fix: 'Find why those cases have no value (judge errors, timeouts) and re-run them.'
    },
    'evals.values-missing': {
        severity: 'follow_up',
        title: 'A gating metric has no value in too many cases',
        description: 'A metric with a threshold, of an eval that gates the change (required, a release gate, or behind a derived ' +
            'signal), has no value in more than `evals.max_missing_share` of the head cases (default 0.1 = 10%). Its ' +
            'aggregate then stands on the cases that have one: leaving the value out of the failing cases (a judge that ' +
            'timed out on them, or an edit) would pass a metric the whole set fails. A person must confirm the cases ' +
            'without a value are not hiding failures. (Fewer missing values are `evals.cases-missing-values`, a warning.)',
        fix: 'Re-run the cases without a value (judge errors, timeouts) so that the metric is measured on the whole set, or raise evals.max_missing_share in the base configuration if such gaps are expected.'
    },
    'evals.promptfoo-unmatched': {
        severity: 'warning',
        title: 'A promptfoo mapping names no file',
        description: 'An `evals.promptfoo` entry of the configuration maps a path to an Eval, but no file on head is at that path ' +
            '(moved, misspelt, or not committed). The Eval gets no results from it; when the Eval is required, its own ' +
            'findings say the results are missing.',
        fix: 'Correct the path in evals.promptfoo, commit the results file, or remove the entry.'
    },
    'evals.value-out-of-range': {
        severity: 'deny',
        title: "Eval result outside the metric's range",
        description: "Every value must lie in the range of its metric's type: per case, an llm_judge score is between 0 and 1 and " +
            'a deterministic check is true or false (1 or 0); a numeric metric may take any number. An eval_scores value ' +
            "must lie in the range of the metric's aggregate: a rate between 0 and 1 whatever the type; the mean, min, " +
            'max or percentile of llm_judge or deterministic values between 0 and 1, their sum at least 0. A value ' +
            'outside it (a stray 300 among 0–1 scores, a judge on a 1–5 scale, a deterministic 0.49, a rate of 7) is ' +
            'never aggregated, so one outlier cannot lift or sink the result, and the metric fails. The finding is ' +
            'located at the first such case (its line in the per-case file) or at the score, and counts the others. ' +
            'A score is checked even when per-case results are used instead of it.',
        fix: 'Correct the results (re-run the judge, fix the export). If the metric is measured on another scale, ' +
            'rescale it to 0–1 or declare it `type: numeric` with a `direction`.'
    },
    'evals.baseline-out-of-range': {
        severity: 'warning',
        title: "Base results hold values outside the metric's range",
        description: "The base branch's results for a judged eval hold values outside the range of the metric's type (see " +
            'evals.value-out-of-range). They are left out of the baseline, and a base eval_scores value outside it is ' +
            'not used, so the regression check compares the head with what remains of the base.',
        fix: 'Nothing to do in this change; correct the results on the base branch when they are next recorded.'
    },
    'evals.regression': {
        severity: 'deny',
        title: 'Eval metric regressed against the base branch',
        description: 'For each metric with a value on both base and head, the regression is the relative change in the bad ' +
            'direction: (base − head) / |base| for higher_is_better, (head − base) / |base| for lower_is_better, the ' +
            'absolute difference when base is 0. Beyond `evals.regression_slack` (default 0.05 = 5%) it is a finding ' +
            'even when the threshold is still met. When both sides have per-case values a noise test decides the ' +
            "severity: rates use Fisher's exact test on pass/fail counts (two-sided, significant when p < 1 − " +
            "`evals.confidence`), shown with Newcombe's interval of head − base; means, sums and percentiles use a " +
            'seeded percentile bootstrap of head − base (`evals.bootstrap_resamples`, `evals.seed`; means and sums with ' +
            "more than 8,000,000 resampled draws use Welch's normal interval), significant when the interval lies wholly " +
            'on the bad side of 0. This rule is a drop beyond the slack that is beyond noise, or that cannot be tested ' +
            '(no per-case results on a side, fewer than 2 cases, or a min/max aggregate, whose bootstrap is ' +
            'unreliable). A metric with no direction (numeric without `direction` or a comparator threshold) is not ' +
            'compared. Such a regression also makes the metric fail.',
        fix: 'Find and fix the cause of the drop and commit new results; if the drop is intended, agree a new baseline with the reviewers.'
    },
    'evals.regression-within-noise': {
        severity: 'follow_up',
        title: 'Eval metric dropped beyond the slack, within noise',
        description: 'The metric regressed beyond `evals.regression_slack` against the base branch, but the noise test (see ' +
            'evals.regression) cannot tell the drop from sampling noise at the configured confidence. A person should ' +
            'look: re-run with more cases, or accept the change knowingly.',
        fix: 'Re-run the eval with more cases to settle it, or have a reviewer accept the drop.'
    },
    'evals.gate-weakened': {
        severity: 'follow_up',
        title: 'Change loosens an eval gate',
        description: "The head branch's Eval passes results that the base branch's would fail: a threshold removed or relaxed " +
            '(its set of passing values grew), a metric with a threshold removed, releaseGate disabled, a direction ' +
            'flipped, or a change to what a thresholded metric measures or how it is judged: its `type`, `aggregate`, ' +
            '`source` (the column it reads) or `direction`, compared as they take effect (defaults included, so ' +
            'writing out a default is no change). Such a change cannot be ranked in general (is p50 < 3000 looser ' +
            'than p95 < 3500?), so each is reported as base → head. The head results are also judged by the base ' +
            "branch's definition of every metric the change touches (its column, aggregate, type range and threshold, " +
            'and the regression check against base): when that definition fails results the head definition passes ' +
            '(a pii_leakage rate of 0.9975 that `aggregate: min` turns into 0), the finding says so, with the values. ' +
            'A metric without a threshold is reported when the base definition finds a regression the head one does ' +
            'not. Loosening a gate in the change it gates needs a person to agree.',
        fix: "Have the eval's owner approve the looser gate, or restore the base branch's definition of the eval."
    }
});
function collectRequirements(ctx) {
    const out = [];
    // the review records of this pull request's changes, including those merged earlier
    // (and the base copy of one this pull request updates: dropping a required eval from it does not drop it)
    for (const c of (0,context/* changeRecords */.nJ)(ctx, 'change_review_record')) {
        const copies = [[c.record, (0,context/* earlierNote */.lj)(c, ', ')]];
        if (c.was)
            copies.push([c.was, ', its base copy: this pull request updates it']);
        for (const [r, note] of copies) {
            const names = Array.isArray(r.data.required_evals) ? r.data.required_evals : [];
            names.forEach((name, i) => {
                if (typeof name !== 'string' || name === '')
                    return;
                out.push({
                    eval: name,
                    reason: `change_review_record ${String(r.data.review_id)} (${r.source.path}${note})`,
                    location: (0,context/* locationOf */.hD)(r, (0,context/* pointer */.Wn)('required_evals', i))
                });
            });
        }
    }
    for (const d of ctx.head.of('deployment')) {
        const wanted = d.data.spec?.promotion?.requiresEval;
        const reason = `Deployment ${String(d.data.metadata?.name)} (${d.source.path})`;
        const at = ['spec', 'promotion', 'requiresEval'];
        const entries = Array.isArray(wanted)
            ? wanted.map((name, i) => [name, (0,context/* pointer */.Wn)(...at, i)])
            : [[wanted, (0,context/* pointer */.Wn)(...at)]];
        for (const [name, ptr] of entries) {
            if (typeof name === 'string' && name !== '')
                out.push({ eval: name, reason, location: (0,context/* locationOf */.hD)(d, ptr) });
        }
    }
    return out;
}
/**
 * Eval name → why it is required (sorted, unique): a change_review_record of this pull request's changes (merged
 * earlier ones and edited ones' base copies included, see changeRecords) lists it in required_evals, or a head Deployment names
 * it in spec.promotion.requiresEval. Evals with releaseGate.enabled are judged when they have results but are
 * not "required" unless a record names them.
 */
function requiredEvals(ctx) {
    const byEval = new Map();
    for (const r of collectRequirements(ctx)) {
        const set = byEval.get(r.eval) ?? new Set();
        set.add(r.reason);
        byEval.set(r.eval, set);
    }
    return new Map([...byEval.keys()].sort(context/* cmp */.r2).map((name) => [name, [...byEval.get(name)].sort(context/* cmp */.r2)]));
}
function resultsByEval(index) {
    const out = new Map();
    if (!index)
        return out;
    const entry = (name) => {
        let e = out.get(name);
        if (!e)
            out.set(name, (e = { cases: [], scores: [] }));
        return e;
    };
    for (const r of index.of('eval_cases'))
        if (typeof r.data.eval === 'string')
            entry(r.data.eval).cases.push(r);
    for (const r of index.of('eval_scores'))
        if (typeof r.data.eval === 'string')
            entry(r.data.eval).scores.push(r);
    return out;
}
function sideResults(files) {
    if (!files || (files.cases.length === 0 && files.scores.length === 0))
        return { status: 'none' };
    if (files.cases.length > 1 || files.scores.length > 1) {
        const dup = [];
        if (files.cases.length > 1)
            dup.push(...files.cases);
        if (files.scores.length > 1)
            dup.push(...files.scores);
        return { status: 'ambiguous', files: dup };
    }
    const cases = files.cases[0] ?? null;
    const scores = files.scores[0] ?? null;
    if (!cases && scores && scores.data.cases === 0)
        return { status: 'none', emptyScores: scores };
    return { status: 'ok', cases, scores };
}
function resultPaths(side) {
    if (side.status === 'none')
        return side.emptyScores ? [side.emptyScores.source.path] : [];
    if (side.status === 'ambiguous')
        return side.files.map((f) => f.source.path);
    return [side.cases, side.scores].filter((r) => r !== null).map((r) => r.source.path);
}
// ---------------------------------------------------------------------------------------------------
// Metric plans: what each declared metric means
const DEFAULT_AGGREGATE = {
    llm_judge: 'mean',
    deterministic: 'rate',
    numeric: 'mean'
};
const AGGREGATES = ['mean', 'rate', 'p50', 'p95', 'p99', 'max', 'min', 'sum'];
function declaredDirection(m) {
    return m.direction === 'higher_is_better' || m.direction === 'lower_is_better' ? m.direction : null;
}
function planMetric(m, index, thresholds) {
    const declared = declaredDirection(m);
    const byType = defaultDirection(m.type);
    const plan = {
        metric: m,
        index,
        aggregate: m.aggregate && AGGREGATES.includes(m.aggregate) ? m.aggregate : (DEFAULT_AGGREGATE[m.type] ?? 'mean'),
        column: typeof m.source === 'string' && m.source !== '' ? m.source : m.name,
        direction: declared ?? byType,
        hasThreshold: Object.hasOwn(thresholds, m.name),
        written: thresholds[m.name],
        threshold: null,
        thresholdProblem: null,
        problemMessage: ''
    };
    if (!plan.hasThreshold)
        return plan;
    const reading = readThreshold(plan.written, m.name, declared ?? byType);
    if (!reading.ok) {
        plan.thresholdProblem = reading.problem === 'ambiguous' ? 'evals.threshold-ambiguous' : 'evals.threshold-invalid';
        plan.problemMessage = reading.message;
        if (reading.problem === 'ambiguous')
            plan.direction = null;
        return plan;
    }
    plan.threshold = reading.threshold;
    const implied = reading.threshold.read_by === 'comparator' ? impliedDirection(reading.threshold.comparator) : null;
    if (declared && implied && declared !== implied)
        plan.thresholdProblem = 'evals.threshold-conflict';
    else
        plan.direction = declared ?? implied ?? byType;
    return plan;
}
const NO_OBSERVATION = {
    value: null,
    sample: null,
    from: null,
    cases: null,
    location: null,
    shadowedScore: null,
    outside: null
};
function scoreOf(scores, metric) {
    if (!scores || !scores.data.metrics || !Object.hasOwn(scores.data.metrics, metric))
        return null;
    const value = scores.data.metrics[metric];
    if (typeof value !== 'number' || !Number.isFinite(value))
        return null;
    return { value, location: (0,context/* locationOf */.hD)(scores, (0,context/* pointer */.Wn)('metrics', metric)) };
}
/**
 * Where a case's value is: `/<case>/metrics/<name>` (or `/<case>/cost_usd`) in JSON Lines, which locates the
 * case's line; in a promptfoo file, the result's field in `results.results` or `results`, whichever the file has.
 */
function caseLocation(table, row, column) {
    if (table.data.format === 'jsonl') {
        const standard = column === 'cost_usd' || column === 'latency_ms';
        return (0,context/* locationOf */.hD)(table, standard ? (0,context/* pointer */.Wn)(row, column) : (0,context/* pointer */.Wn)(row, 'metrics', column));
    }
    const field = {
        pass: ['success'],
        score: ['score'],
        cost_usd: ['cost'],
        latency_ms: ['latencyMs']
    };
    const path = Object.hasOwn(field, column) ? field[column] : ['namedScores', column];
    const outer = table.locate((0,context/* pointer */.Wn)('results'));
    const nested = table.locate((0,context/* pointer */.Wn)('results', 'results', row));
    const same = (a, b) => a?.line === b?.line && a?.column === b?.column;
    return nested && !same(nested, outer)
        ? (0,context/* locationOf */.hD)(table, (0,context/* pointer */.Wn)('results', 'results', row, ...path))
        : (0,context/* locationOf */.hD)(table, (0,context/* pointer */.Wn)('results', row, ...path));
}
function observe(side, plan) {
    if (side.status !== 'ok')
        return NO_OBSERVATION;
    let score = scoreOf(side.scores, plan.metric.name);
    const table = side.cases;
    const columns = table?.data.columns ?? {};
    const column = Object.hasOwn(columns, plan.column) ? columns[plan.column] : undefined;
    const valueRange = caseRange(plan.metric.type);
    const sample = table && column ? collectSample(column, table.data.cases, valueRange) : null;
    const scoreRange = aggregateRange(plan.metric.type, plan.aggregate);
    const outside = { cases: null, score: null };
    if (table && sample && valueRange && sample.outside > 0) {
        outside.cases = {
            count: sample.outside,
            of: table.data.cases,
            file: table.source.path,
            range: valueRange,
            examples: sample.outsideExamples.map((e) => ({ ...e, location: caseLocation(table, e.row, plan.column) }))
        };
    }
    if (score && scoreRange && !inRange(score.value, scoreRange)) {
        outside.score = { ...score, range: scoreRange };
        score = null;
    }
    const bad = outside.cases || outside.score ? outside : null;
    if (table && sample && sample.values.length > 0) {
        return {
            value: aggregate(sample.values, plan.aggregate),
            sample,
            from: 'cases',
            cases: sample.values.length,
            location: (0,context/* locationOf */.hD)(table, ''),
            shadowedScore: score,
            outside: bad
        };
    }
    if (score && side.scores) {
        const cases = side.scores.data.cases;
        return {
            value: score.value,
            sample,
            from: 'scores',
            cases: typeof cases === 'number' && Number.isFinite(cases) ? cases : null,
            location: score.location,
            shadowedScore: null,
            outside: bad
        };
    }
    return { ...NO_OBSERVATION, sample, outside: bad };
}
function seenRange(observations) {
    let min = Infinity;
    let max = -Infinity;
    for (const o of observations) {
        if (o.sample && o.sample.values.length > 0) {
            min = Math.min(min, o.sample.min);
            max = Math.max(max, o.sample.max);
        }
        for (const v of [o.from === 'scores' ? o.value : null, o.shadowedScore?.value ?? null]) {
            if (v === null)
                continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
    }
    return min <= max ? { min, max } : null;
}
// ---------------------------------------------------------------------------------------------------
// Regression
/** Relative change in the bad direction (positive = worse); the absolute difference when base is 0. */
function regressionOf(base, head, direction) {
    const worse = direction === 'higher_is_better' ? base - head : head - base;
    return base === 0 ? worse : worse / Math.abs(base);
}
/** The worst head value the slack tolerates. */
function slackBound(base, direction, slack) {
    const room = base === 0 ? slack : slack * Math.abs(base);
    return direction === 'higher_is_better' ? base - room : base + room;
}
function passSet(t) {
    switch (t.comparator) {
        case '>=':
            return { lo: t.value, loIn: true, hi: Infinity, hiIn: false };
        case '>':
            return { lo: t.value, loIn: false, hi: Infinity, hiIn: false };
        case '<=':
            return { lo: -Infinity, loIn: false, hi: t.value, hiIn: true };
        case '<':
            return { lo: -Infinity, loIn: false, hi: t.value, hiIn: false };
        case '==':
            return { lo: t.value, loIn: true, hi: t.value, hiIn: true };
    }
}
/** Whether some value passes `head` but fails `base`. */
function looser(head, base) {
    const h = passSet(head);
    const b = passSet(base);
    const lowerOk = h.lo > b.lo || (h.lo === b.lo && (b.loIn || !h.loIn));
    const upperOk = h.hi < b.hi || (h.hi === b.hi && (b.hiIn || !h.hiIn));
    return !(lowerOk && upperOk);
}
/**
 * A metric's definition on head against base, field by field as each takes effect (defaults included, so
 * writing out a default is no change): type, aggregate, source column, and a direction the head no longer has.
 * A flipped direction is reported apart, for every metric.
 */
function definitionChanges(b, h) {
    const name = b.metric.name;
    const at = (field) => (0,context/* pointer */.Wn)('spec', 'metrics', h.index, field);
    const out = [];
    if (b.metric.type !== h.metric.type) {
        out.push({ what: `${name}: type changed`, base: b.metric.type, head: h.metric.type, pointer: at('type') });
    }
    if (b.aggregate !== h.aggregate) {
        out.push({ what: `${name}: aggregate changed`, base: b.aggregate, head: h.aggregate, pointer: at('aggregate') });
    }
    if (b.column !== h.column) {
        out.push({ what: `${name}: source changed`, base: b.column, head: h.column, pointer: at('source') });
    }
    if (b.direction && !h.direction) {
        out.push({ what: `${name}: direction removed`, base: b.direction, head: null, pointer: at('direction') });
    }
    return out;
}
function metricLoosening(b, h) {
    const name = b.metric.name;
    const changes = [];
    const latent = [];
    if (b.direction && h?.direction && b.direction !== h.direction) {
        changes.push({
            what: `${name}: direction flipped`,
            base: b.direction,
            head: h.direction,
            pointer: (0,context/* pointer */.Wn)('spec', 'metrics', h.index)
        });
    }
    // what a thresholded metric measures: any change needs a person; of other metrics (regression-checked
    // only), a change that the base definition's regression check would have caught
    if (h)
        (b.threshold ? changes : latent).push(...definitionChanges(b, h));
    if (!b.threshold) {
        if (!h && b.direction) {
            latent.push({
                what: `${name}: metric removed`,
                base: b.direction,
                head: null,
                pointer: (0,context/* pointer */.Wn)('spec', 'metrics')
            });
        }
        return { changes, latent };
    }
    const was = describeThreshold(b.threshold);
    if (!h)
        changes.push({ what: `${name}: metric removed`, base: was, head: null, pointer: (0,context/* pointer */.Wn)('spec', 'metrics') });
    else if (!h.hasThreshold) {
        changes.push({ what: `${name}: threshold removed`, base: was, head: null, pointer: (0,context/* pointer */.Wn)('spec', 'thresholds') });
    }
    else if (h.threshold && looser(h.threshold, b.threshold)) {
        changes.push({
            what: `${name}: threshold relaxed`,
            base: was,
            head: describeThreshold(h.threshold),
            pointer: (0,context/* pointer */.Wn)('spec', 'thresholds', name)
        });
    }
    return { changes, latent };
}
/**
 * The head results judged by the base branch's definition of a metric (`b`): its column, aggregate and type
 * range, its threshold, and its regression check against the base results. null when that definition passes
 * them (or cannot judge: no usable head results, a base threshold that could not be read).
 */
function judgeUnderBase(s, b) {
    if (s.head.status !== 'ok' || b.thresholdProblem)
        return null;
    const m = b.metric.name;
    const h = observe(s.head, b);
    const cases = h.outside?.cases;
    if (cases) {
        return {
            metric: m,
            reason: 'out_of_range',
            text: `as ${b.metric.type}, ${m} has a value outside its range in ${cases.count} of ${cases.of} ` +
                `case${cases.of === 1 ? '' : 's'} (${cases.range.why})`,
            observed: cases.examples.map((e) => e.value),
            required: describeRange(cases.range)
        };
    }
    const score = h.outside?.score;
    if (score) {
        return {
            metric: m,
            reason: 'out_of_range',
            text: `${m} is ${formatNumber(score.value)} in ${score.location.file}, outside ${describeRange(score.range)} (${score.range.why})`,
            observed: score.value,
            required: describeRange(score.range)
        };
    }
    if (b.threshold) {
        const required = describeThreshold(b.threshold);
        if (h.value === null) {
            const table = s.head.cases;
            return {
                metric: m,
                reason: 'missing',
                text: `${m} has no value in the head results` +
                    (table && !Object.hasOwn(table.data.columns, b.column)
                        ? ` (${table.source.path} has no column ${b.column})`
                        : ''),
                observed: null,
                required
            };
        }
        if (!meets(h.value, b.threshold)) {
            return {
                metric: m,
                reason: 'threshold',
                text: `${m} is ${formatNumber(h.value)} (${describeValue(b, h)}), required ${required}`,
                observed: finiteOrNull(h.value),
                required
            };
        }
    }
    const c = compare(s, b, h, observe(s.base, b));
    if (c && c.beyondNoise && c.regression > s.settings.slack + 1e-12) {
        const direction = b.direction;
        const [base, head] = [c.base.value, c.head.value];
        return {
            metric: m,
            reason: 'regression',
            text: `${m} (${b.aggregate} of ${b.column}) ${direction === 'higher_is_better' ? 'fell' : 'rose'} from ` +
                `${formatNumber(base)} on base to ${formatNumber(head)} on head, ` +
                `${base === 0 ? formatNumber(c.regression) : formatPercent(c.regression)} worse, beyond the ` +
                `${formatPercent(s.settings.slack)} regression slack` +
                (typeof c.noise === 'object' && c.noise !== null ? ' and beyond noise' : ''),
            observed: finiteOrNull(head),
            required: `${direction === 'higher_is_better' ? '>=' : '<='} ${formatNumber(slackBound(base, direction, s.settings.slack))}`
        };
    }
    return null;
}
function settingsOf(ctx) {
    const e = ctx.config.evals;
    // the settings layer validates these ranges; the guards only keep the engine total on any input
    const finite = (x, fallback) => (Number.isFinite(x) ? x : fallback);
    return {
        slack: Math.max(0, finite(e.regression_slack, 0.05)),
        confidence: Math.min(0.9999, Math.max(0.5, finite(e.confidence, 0.95))),
        maxMissingShare: Math.min(1, Math.max(0, finite(e.max_missing_share, 0.1))),
        resamples: Math.min(100_000, Math.max(100, Math.floor(finite(e.bootstrap_resamples, 2000)))),
        seed: Math.floor(finite(e.seed, 0)) >>> 0
    };
}
function thresholdsOf(def) {
    const t = def.spec?.thresholds;
    return t && typeof t === 'object' ? t : {};
}
function metricPlans(def) {
    const thresholds = thresholdsOf(def);
    const metrics = Array.isArray(def.spec?.metrics) ? def.spec.metrics : [];
    const byName = new Map();
    const duplicates = [];
    metrics.forEach((m, i) => {
        if (!m || typeof m.name !== 'string')
            return;
        if (byName.has(m.name))
            duplicates.push({ name: m.name, index: i });
        else
            byName.set(m.name, planMetric(m, i, thresholds));
    });
    return { plans: [...byName.values()].sort((a, b) => (0,context/* cmp */.r2)(a.metric.name, b.metric.name)), duplicates };
}
function evaluateEvals(ctx) {
    const findings = new rules/* FindingList */.kQ(ctx.config);
    const settings = settingsOf(ctx);
    const requirements = collectRequirements(ctx);
    const required = requiredEvals(ctx);
    const definitions = new Map();
    for (const r of ctx.head.of('eval')) {
        const name = r.data.metadata?.name;
        if (typeof name !== 'string')
            continue;
        definitions.set(name, [...(definitions.get(name) ?? []), r]);
    }
    const baseDefinitions = new Map();
    for (const r of ctx.base?.of('eval') ?? []) {
        const name = r.data.metadata?.name;
        if (typeof name === 'string' && !baseDefinitions.has(name))
            baseDefinitions.set(name, r);
    }
    const headResults = resultsByEval(ctx.head);
    const baseResults = resultsByEval(ctx.base);
    const signalUsers = evalSignals(ctx);
    const names = [...new Set([...definitions.keys(), ...required.keys()])].sort(context/* cmp */.r2);
    const evidence = [];
    for (const name of names) {
        const defs = definitions.get(name);
        const requiredBy = required.get(name) ?? [];
        if (!defs) {
            const firstRequirement = requirements.filter((r) => r.eval === name).sort(byLocation)[0];
            const results = resultPaths(sideResults(headResults.get(name)));
            const hint = suggest(name, [...definitions.keys()]);
            findings.add(RULES['evals.missing-definition'], {
                message: `Eval ${name} is required by ${requiredBy.join(', ')} but no Eval record on head defines it` +
                    (hint ? ` (did you mean ${hint}?)` : '') +
                    (results.length > 0 ? `; results for it exist in ${results.join(', ')}` : ''),
                observed: null,
                required: `an Eval record with metadata.name: ${name}`,
                location: firstRequirement?.location,
                evidence: { eval: name, required_by: requiredBy, results },
                subject: name
            });
            evidence.push({ eval: name, required: true, required_by: requiredBy, verdict: 'missing', metrics: [] });
            continue;
        }
        evidence.push(evaluateOne(findings, settings, {
            name,
            def: defs[0],
            duplicates: defs.slice(1),
            requiredBy,
            baseDef: baseDefinitions.get(name) ?? null,
            signals: signalUsers.get(name) ?? [],
            head: sideResults(headResults.get(name)),
            base: sideResults(baseResults.get(name))
        }));
    }
    for (const [name, baseDef] of [...baseDefinitions.entries()].sort((a, b) => (0,context/* cmp */.r2)(a[0], b[0]))) {
        if (definitions.has(name) || required.has(name) || baseDef.data.spec?.releaseGate?.enabled !== true)
            continue;
        findings.add(RULES['evals.gate-weakened'], {
            message: `Eval ${name}, release-gating on base (${baseDef.source.path}), is removed by this change`,
            observed: null,
            required: `the Eval record ${name}, or an agreed removal`,
            location: (0,context/* locationOf */.hD)(baseDef, (0,context/* pointer */.Wn)('metadata', 'name')),
            evidence: {
                eval: name,
                base_file: baseDef.source.path,
                changes: [{ what: 'Eval removed', base: true, head: null }]
            },
            subject: name
        });
    }
    // a promptfoo mapping that names no file on head: its Eval gets no results from it, which the Eval's own
    // findings show when it is required; the mapping itself (a moved or misspelt path) is said here
    const headPaths = ctx.head.set.paths;
    if (headPaths !== null) {
        (ctx.config.evals.promptfoo ?? []).forEach((mapping, index) => {
            // matchesAny spells the glob as the loader does (no leading "./")
            if (headPaths.some((path) => (0,globs/* matchesAny */._I)(path, [mapping.path])))
                return;
            findings.add(RULES['evals.promptfoo-unmatched'], {
                message: `evals.promptfoo maps ${mapping.path} to Eval ${mapping.eval}, but no file on head is at that path: the Eval gets no promptfoo results from it`,
                observed: null,
                required: `a promptfoo results file at ${mapping.path}`,
                ...locatedAt((0,approvals/* configLocation */.yS)(ctx, `/evals/promptfoo/${index}/path`)),
                evidence: { path: mapping.path, eval: mapping.eval },
                subject: mapping.eval
            });
        });
    }
    const defined = [...definitions.keys()];
    for (const [name, files] of [...headResults.entries()].sort((a, b) => (0,context/* cmp */.r2)(a[0], b[0]))) {
        if (definitions.has(name) || required.has(name))
            continue;
        const hint = suggest(name, defined);
        for (const f of [...files.cases, ...files.scores].sort((a, b) => (0,context/* cmp */.r2)(a.source.path, b.source.path))) {
            findings.add(RULES['evals.undefined-results'], {
                message: `${f.source.path} holds results for eval ${name}, which no Eval record on head defines` +
                    (hint ? ` (did you mean ${hint}?)` : ''),
                observed: name,
                required: defined.length > 0 ? `one of: ${defined.join(', ')}` : 'an Eval record with this name',
                location: (0,context/* locationOf */.hD)(f, (0,context/* pointer */.Wn)('eval')),
                evidence: { eval: name, file: f.source.path, defined },
                subject: name
            });
        }
    }
    return { findings: findings.items, evidence };
}
function locatedAt(location) {
    return location ? { location } : {};
}
/** Eval name → the configured signals whose value is that eval's verdict (`signals: { x: { eval: … } }`). */
function evalSignals(ctx) {
    const out = new Map();
    for (const [signal, source] of Object.entries(ctx.config.signals ?? {}).sort((a, b) => (0,context/* cmp */.r2)(a[0], b[0]))) {
        const name = source.eval;
        if (typeof name === 'string')
            out.set(name, [...(out.get(name) ?? []), signal]);
    }
    return out;
}
function byLocation(a, b) {
    return (0,context/* cmp */.r2)(a.location.file, b.location.file) || (0,context/* cmp */.r2)(a.location.pointer ?? '', b.location.pointer ?? '');
}
function evaluateOne(findings, settings, input) {
    const required = input.requiredBy.length > 0;
    const releaseGate = input.def.data.spec?.releaseGate?.enabled === true;
    const gated = required || releaseGate || input.signals.length > 0;
    const scope = {
        name: input.name,
        def: input.def,
        requiredBy: input.requiredBy,
        gated,
        why: required
            ? `required by ${input.requiredBy.join(', ')}`
            : releaseGate
                ? 'its releaseGate is enabled'
                : `used by signal ${input.signals.join(', ')}`,
        head: input.head,
        base: input.base,
        settings,
        add: (rule, fields) => findings.add(RULES[rule], { subject: input.name, ...fields })
    };
    const { plans, duplicates } = metricPlans(input.def.data);
    const definitionBroken = checkDefinition(scope, input.duplicates, plans, duplicates);
    checkResults(scope);
    const judged = plans.map((plan) => judgeMetric(scope, plan));
    if (gated)
        checkCaseQuality(scope, judged);
    if (input.baseDef)
        checkLoosening(scope, input.baseDef, judged);
    const metrics = judged.map((j) => j.evidence);
    const configBroken = definitionBroken || judged.some((j) => j.configBroken);
    return {
        eval: input.name,
        required,
        required_by: input.requiredBy,
        verdict: evalVerdict(gated, input.head, configBroken, metrics),
        metrics
    };
}
/** Problems with the Eval record itself. Returns whether the definition is broken. */
function checkDefinition(s, duplicateDefs, plans, duplicateMetrics) {
    const { name, def } = s;
    for (const dup of duplicateDefs) {
        s.add('evals.duplicate-definition', {
            message: `Eval ${name} is defined in both ${def.source.path} and ${dup.source.path}; ${def.source.path} is used`,
            observed: [def.source.path, dup.source.path],
            required: 'one Eval record per name',
            location: (0,context/* locationOf */.hD)(dup, (0,context/* pointer */.Wn)('metadata', 'name')),
            evidence: { eval: name, files: [def.source.path, dup.source.path] }
        });
    }
    for (const d of duplicateMetrics) {
        s.add('evals.duplicate-metric', {
            message: `${name}: metric ${d.name} is declared more than once in spec.metrics; the first declaration is used`,
            observed: d.name,
            required: 'unique metric names',
            location: (0,context/* locationOf */.hD)(def, (0,context/* pointer */.Wn)('spec', 'metrics', d.index, 'name')),
            evidence: { eval: name, metric: d.name },
            subject: `${name}/${d.name}`
        });
    }
    const declared = plans.map((p) => p.metric.name);
    const unknown = Object.keys(thresholdsOf(def.data))
        .filter((key) => !declared.includes(key))
        .sort(context/* cmp */.r2);
    for (const key of unknown) {
        const hint = suggest(key, declared);
        s.add('evals.threshold-unknown-metric', {
            message: `${name}: threshold ${key} names no metric in spec.metrics` +
                (hint ? ` (did you mean ${hint}?)` : '') +
                `; declared metrics: ${declared.length > 0 ? declared.join(', ') : 'none'}`,
            observed: key,
            required: declared.length > 0 ? `one of: ${declared.join(', ')}` : 'a declared metric',
            location: (0,context/* locationOf */.hD)(def, (0,context/* pointer */.Wn)('spec', 'thresholds', key)),
            evidence: { eval: name, threshold: key, metrics: declared },
            subject: `${name}/${key}`
        });
    }
    const unthresholded = s.gated && !plans.some((p) => p.hasThreshold);
    if (unthresholded) {
        s.add('evals.no-thresholds', {
            message: `Eval ${name} is ${s.why} but has no thresholds, so it passes whatever its results are`,
            observed: null,
            required: 'at least one threshold in spec.thresholds',
            location: (0,context/* locationOf */.hD)(def, (0,context/* pointer */.Wn)('spec', 'thresholds')),
            evidence: { eval: name, metrics: declared }
        });
    }
    return duplicateDefs.length > 0 || duplicateMetrics.length > 0 || unknown.length > 0 || unthresholded;
}
/** Whether a gated eval's results can be used: present, and one file of each kind per side. */
function checkResults(s) {
    if (!s.gated)
        return;
    const { name, head, base } = s;
    if (head.status === 'ambiguous') {
        const files = head.files.map((f) => f.source.path);
        s.add('evals.duplicate-results', {
            message: `Eval ${name} has ${files.length} result files of one kind on head (${files.join(', ')}); none is used`,
            observed: files,
            required: 'one per-case results file and/or one eval_scores file per eval',
            location: (0,context/* locationOf */.hD)(head.files[1], (0,context/* pointer */.Wn)('eval')),
            evidence: { eval: name, files }
        });
    }
    if (base.status === 'ambiguous') {
        const files = base.files.map((f) => f.source.path);
        s.add('evals.baseline-ambiguous', {
            message: `Eval ${name} has ${files.length} result files of one kind on base (${files.join(', ')}); no regression check`,
            observed: files,
            required: 'one results file of each kind per eval on base',
            location: (0,context/* locationOf */.hD)(base.files[1], (0,context/* pointer */.Wn)('eval')),
            evidence: { eval: name, files }
        });
    }
    if (head.status === 'none') {
        const required = s.requiredBy.length > 0;
        const baseFiles = resultPaths(base);
        const empty = head.emptyScores;
        s.add(required ? 'evals.missing-results' : 'evals.gate-without-results', {
            message: `Eval ${name} is ${s.why} but has no results on head: ` +
                (empty
                    ? `its only results, ${empty.source.path}, report cases: 0, and scores of no cases are no evidence`
                    : 'no eval_scores or per-case results file names it') +
                (baseFiles.length > 0 ? ` (the base branch has ${baseFiles.join(', ')})` : '') +
                (required ? '. No evidence is not a pass' : '; nothing requires it for this change, so this does not block'),
            observed: empty ? 0 : null,
            required: empty ? 'results of at least one case' : `results for eval ${name}`,
            location: empty ? (0,context/* locationOf */.hD)(empty, (0,context/* pointer */.Wn)('cases')) : (0,context/* locationOf */.hD)(s.def, (0,context/* pointer */.Wn)('metadata', 'name')),
            evidence: {
                eval: name,
                required_by: s.requiredBy,
                base_results: baseFiles,
                ...(empty ? { empty_results: empty.source.path } : {})
            }
        });
    }
}
function judgeMetric(s, plan) {
    const h = observe(s.head, plan);
    const b = observe(s.base, plan);
    const configBroken = checkThresholdConfig(s, plan, seenRange([h, b]));
    const failsThreshold = !configBroken && plan.threshold !== null && h.value !== null && !meets(h.value, plan.threshold);
    let verdict = 'not_gated';
    if (plan.hasThreshold) {
        if (configBroken || s.head.status === 'ambiguous')
            verdict = 'fail';
        else if (h.value === null)
            verdict = 'missing';
        else
            verdict = failsThreshold ? 'fail' : 'pass';
    }
    // values outside the metric's range are bad evidence: the metric fails, with a threshold or without
    if (h.outside)
        verdict = 'fail';
    if (s.gated && s.head.status === 'ok')
        checkHead(s, plan, h, failsThreshold);
    if (s.gated && b.outside)
        reportOutOfRange(s, plan, b, 'evals.baseline-out-of-range');
    const c = compare(s, plan, h, b);
    if (c && s.gated && s.head.status === 'ok' && c.regression > s.settings.slack + 1e-12) {
        if (c.beyondNoise)
            verdict = 'fail';
        reportRegression(s, plan, c);
    }
    const tested = c && typeof c.noise === 'object' && c.noise !== null ? c.noise : null;
    return {
        configBroken,
        missingValues: s.head.status === 'ok' && h.sample && h.sample.values.length > 0 ? h.sample.missing : 0,
        headCases: h.sample ? h.sample.values.length + h.sample.missing + h.sample.outside : 0,
        evidence: {
            eval: s.name,
            metric: plan.metric.name,
            aggregate: plan.aggregate,
            direction: plan.direction,
            base: finiteOrNull(b.value),
            head: finiteOrNull(h.value),
            delta: h.value !== null && b.value !== null ? finiteOrNull(h.value - b.value) : null,
            regression: c ? finiteOrNull(c.regression) : null,
            threshold: plan.threshold ? thresholdJson(plan, plan.threshold) : null,
            verdict,
            noise: tested && {
                method: tested.method,
                interval: [tested.interval[0], tested.interval[1]],
                confidence: tested.confidence,
                significant: tested.significant
            },
            cases: { base: b.cases, head: h.cases }
        }
    };
}
/**
 * A metric's head value against its base value under one definition (`plan`): the regression in the bad
 * direction and, when both sides have per-case values, the noise test. null without both values or a direction.
 */
function compare(s, plan, h, b) {
    if (h.value === null || b.value === null || !plan.direction)
        return null;
    const regression = regressionOf(b.value, h.value, plan.direction);
    let noise = null;
    if (h.from === 'cases' && b.from === 'cases' && h.sample && b.sample) {
        noise = noiseTest(h.sample.values, b.sample.values, plan.aggregate, plan.direction, {
            confidence: s.settings.confidence,
            resamples: s.settings.resamples,
            seed: hashSeed(s.settings.seed, s.name, plan.metric.name)
        });
    }
    const beyondNoise = typeof noise !== 'object' || noise === null || noise.significant;
    return { head: h, base: b, regression, noise, beyondNoise };
}
/** Findings about how a threshold is written. Returns whether it is broken (the metric cannot pass). */
function checkThresholdConfig(s, plan, seen) {
    const m = plan.metric.name;
    const base = { location: (0,context/* locationOf */.hD)(s.def, (0,context/* pointer */.Wn)('spec', 'thresholds', m)), subject: `${s.name}/${m}` };
    const written = toJson(plan.written);
    if (plan.thresholdProblem === 'evals.threshold-ambiguous') {
        const v = formatNumber(Number(plan.written));
        s.add('evals.threshold-ambiguous', {
            ...base,
            message: `${s.name}: ${plan.problemMessage}`,
            observed: written,
            required: 'a comparator string or a declared direction',
            evidence: { eval: s.name, metric: m, type: plan.metric.type, written },
            fix: `Write "<=${v}" or ">=${v}", or declare direction: lower_is_better / higher_is_better on metric ${m}.`
        });
        return true;
    }
    if (plan.thresholdProblem === 'evals.threshold-invalid') {
        s.add('evals.threshold-invalid', {
            ...base,
            message: `${s.name}: ${plan.problemMessage}`,
            observed: written,
            required: 'a number or "<x", "<=x", ">x", ">=x", "==x"',
            evidence: { eval: s.name, metric: m, type: plan.metric.type, written }
        });
        return true;
    }
    const t = plan.threshold;
    if (!t)
        return false;
    if (plan.thresholdProblem === 'evals.threshold-conflict') {
        const declared = String(plan.metric.direction);
        s.add('evals.threshold-conflict', {
            ...base,
            message: `${s.name}: threshold ${m}: ${JSON.stringify(plan.written)} passes ` +
                `${impliedDirection(t.comparator) === 'lower_is_better' ? 'low' : 'high'} values, but the metric declares ` +
                `direction: ${declared}`,
            observed: describeThreshold(t),
            required: `a comparator that agrees with direction: ${declared}`,
            evidence: { eval: s.name, metric: m, written, direction: declared }
        });
        return true;
    }
    const domain = metricDomain(plan.metric, plan.aggregate, seen);
    if (!neverFails(t, domain))
        return false;
    s.add('evals.threshold-vacuous', {
        ...base,
        message: `${s.name}: ${vacuousMessage(plan, t, domain.why)}`,
        observed: describeThreshold(t),
        required: 'a threshold some value can fail',
        evidence: {
            eval: s.name,
            metric: m,
            type: plan.metric.type,
            aggregate: plan.aggregate,
            written,
            read_as: describeThreshold(t),
            read_by: t.read_by,
            range: [finiteOrNull(domain.min), finiteOrNull(domain.max)]
        },
        fix: vacuousFix(plan, t)
    });
    return true;
}
/** A gated eval's head value against its threshold, values outside the metric's range, and the results' consistency. */
function checkHead(s, plan, h, failsThreshold) {
    const m = plan.metric.name;
    const subject = `${s.name}/${m}`;
    const head = s.head;
    if (h.outside)
        reportOutOfRange(s, plan, h, 'evals.value-out-of-range');
    if (plan.hasThreshold && h.value === null && !h.outside) {
        s.add('evals.missing-metric', {
            message: `${s.name}: ${m} has a threshold but no value in the head results (${missingMetricDetail(plan, head, h)})`,
            observed: null,
            required: plan.threshold ? describeThreshold(plan.threshold) : toJson(plan.written),
            location: (0,context/* locationOf */.hD)(s.def, (0,context/* pointer */.Wn)('spec', 'metrics', plan.index)),
            evidence: {
                eval: s.name,
                metric: m,
                column: plan.column,
                results: resultPaths(head),
                columns: head.cases ? Object.keys(head.cases.data.columns).sort(context/* cmp */.r2) : []
            },
            fix: missingMetricFix(plan, head),
            subject
        });
    }
    if (failsThreshold && plan.threshold && h.value !== null) {
        s.add('evals.threshold', {
            message: `${s.name}: ${m} is ${formatNumber(h.value)} (${describeValue(plan, h)}), required ${describeThreshold(plan.threshold)}`,
            observed: finiteOrNull(h.value),
            required: describeThreshold(plan.threshold),
            location: (0,context/* locationOf */.hD)(s.def, (0,context/* pointer */.Wn)('spec', 'thresholds', m)),
            evidence: {
                eval: s.name,
                metric: m,
                aggregate: h.from === 'cases' ? plan.aggregate : 'as reported',
                observed: finiteOrNull(h.value),
                threshold: thresholdJson(plan, plan.threshold),
                cases: h.cases,
                results: where(h.location)
            },
            subject
        });
    }
    if (h.from === 'cases' && h.shadowedScore && h.value !== null && !agrees(h.shadowedScore.value, h.value)) {
        s.add('evals.results-inconsistent', {
            message: `${s.name}: ${m} is ${formatNumber(h.shadowedScore.value)} in ${h.shadowedScore.location.file} but ` +
                `${formatNumber(h.value)} (${describeValue(plan, h)}) in ${h.location?.file}; the per-case value is used`,
            observed: finiteOrNull(h.shadowedScore.value),
            required: finiteOrNull(h.value),
            location: h.shadowedScore.location,
            evidence: { eval: s.name, metric: m, scores: finiteOrNull(h.shadowedScore.value), cases: finiteOrNull(h.value) },
            subject
        });
    }
}
/**
 * Values outside the metric's range on one side: on head a deny (the metric fails), on base a warning (they are
 * left out of the baseline). One finding for the per-case values, located at the first, and one for the score.
 */
function reportOutOfRange(s, plan, o, rule) {
    const m = plan.metric.name;
    const subject = `${s.name}/${m}`;
    const read = plan.column !== m ? ` (read from ${plan.column})` : '';
    const onBase = rule === 'evals.baseline-out-of-range';
    const cases = o.outside?.cases;
    if (cases) {
        const shown = cases.examples.map((e) => `${e.location.line !== undefined ? `line ${e.location.line}` : `case ${e.row + 1}`}: ${formatNumber(e.value)}`);
        const more = cases.count > cases.examples.length ? `, and ${cases.count - cases.examples.length} more` : '';
        s.add(rule, {
            message: `${s.name}: ${m}${read} has a value outside its range in ${cases.count} of ${cases.of} ` +
                `case${cases.of === 1 ? '' : 's'} of ${cases.file}${onBase ? ' on base' : ''} (${shown.join(', ')}${more}): ` +
                `${cases.range.why}. ` +
                (onBase ? 'They are left out of the baseline' : `Such values are not aggregated, and ${m} fails`),
            observed: cases.examples.map((e) => e.value),
            required: describeRange(cases.range),
            location: cases.examples[0].location,
            evidence: {
                eval: s.name,
                metric: m,
                type: plan.metric.type,
                column: plan.column,
                file: cases.file,
                range: rangeJson(cases.range),
                outside: cases.count,
                cases: cases.of,
                examples: cases.examples.map((e) => ({ case: e.row + 1, line: e.location.line ?? null, value: e.value }))
            },
            subject
        });
    }
    const score = o.outside?.score;
    if (score) {
        s.add(rule, {
            message: `${s.name}: ${m} is ${formatNumber(score.value)} in ${score.location.file}${onBase ? ' on base' : ''}, ` +
                `outside the range of its ${plan.aggregate}: ${score.range.why}. ` +
                (onBase ? 'The score is not used as the baseline' : `The score is not used, and ${m} fails`),
            observed: score.value,
            required: describeRange(score.range),
            location: score.location,
            evidence: {
                eval: s.name,
                metric: m,
                type: plan.metric.type,
                aggregate: plan.aggregate,
                file: score.location.file,
                range: rangeJson(score.range),
                value: score.value
            },
            subject
        });
    }
}
function describeRange(r) {
    if (r.ends)
        return `${formatNumber(r.min)} or ${formatNumber(r.max)}`;
    if (r.max === Infinity)
        return `>= ${formatNumber(r.min)}`;
    return `between ${formatNumber(r.min)} and ${formatNumber(r.max)}`;
}
function rangeJson(r) {
    return r.ends ? [r.min, r.max] : { min: finiteOrNull(r.min), max: finiteOrNull(r.max) };
}
function reportRegression(s, plan, c) {
    const direction = plan.direction;
    const m = plan.metric.name;
    const [base, head] = [c.base.value, c.head.value];
    const slack = formatPercent(s.settings.slack);
    const bound = slackBound(base, direction, s.settings.slack);
    s.add(c.beyondNoise ? 'evals.regression' : 'evals.regression-within-noise', {
        message: `${s.name}: ${m} ${direction === 'higher_is_better' ? 'fell' : 'rose'} from ${formatNumber(base)} on base to ` +
            `${formatNumber(head)} on head, ${base === 0 ? formatNumber(c.regression) : formatPercent(c.regression)} worse, ` +
            `beyond the ${slack} regression slack; ${noiseSentence(c.noise)}`,
        observed: finiteOrNull(head),
        required: `${direction === 'higher_is_better' ? '>=' : '<='} ${formatNumber(bound)} (base ${formatNumber(base)} with ${slack} slack)`,
        location: c.head.location ?? (0,context/* locationOf */.hD)(s.def, (0,context/* pointer */.Wn)('spec', 'metrics', plan.index)),
        evidence: {
            eval: s.name,
            metric: m,
            aggregate: plan.aggregate,
            direction,
            base: finiteOrNull(base),
            head: finiteOrNull(head),
            regression: finiteOrNull(c.regression),
            slack: s.settings.slack,
            base_results: where(c.base.location),
            head_results: where(c.head.location),
            noise: noiseJson(c.noise)
        },
        subject: `${s.name}/${m}`
    });
}
/** Cases without values, and a scores file whose case count disagrees with the per-case table. */
function checkCaseQuality(s, judged) {
    if (s.head.status !== 'ok' || !s.head.cases)
        return;
    const { cases, scores } = s.head;
    const limit = s.settings.maxMissingShare;
    // a gating metric measured on too few of its cases: its aggregate may stand on the ones that pass
    const tooMany = s.gated
        ? judged.filter((j) => j.evidence.threshold !== null && j.missingValues > limit * j.headCases)
        : [];
    const many = new Set(tooMany);
    for (const j of tooMany) {
        const metric = j.evidence.metric;
        const share = j.missingValues / j.headCases;
        s.add('evals.values-missing', {
            message: `${s.name}: ${metric} has no value in ${j.missingValues} of ${j.headCases} cases ` +
                `(${formatPercent(share)}); required: at most ${formatPercent(limit)} (evals.max_missing_share), so that its ` +
                'aggregate does not stand on the cases that have one',
            observed: { missing: j.missingValues, cases: j.headCases, share },
            required: `at most ${formatPercent(limit)} of the cases without a value`,
            location: (0,context/* locationOf */.hD)(cases, ''),
            evidence: { eval: s.name, metric, missing: j.missingValues, cases: j.headCases, limit },
            subject: `${s.name}/${metric}`
        });
    }
    const gaps = judged
        .filter((j) => j.missingValues > 0 && !many.has(j))
        .map((j) => ({ metric: j.evidence.metric, missing: j.missingValues, cases: j.headCases }));
    if (gaps.length > 0) {
        s.add('evals.cases-missing-values', {
            message: `${s.name}: ` +
                gaps.map((g) => `${g.metric} has no value in ${g.missing} of ${g.cases} cases`).join('; ') +
                '; those cases are left out of the aggregates',
            observed: gaps.map((g) => ({ ...g })),
            required: 'a value for every case',
            location: (0,context/* locationOf */.hD)(cases, ''),
            evidence: { eval: s.name, metrics: gaps.map((g) => ({ ...g })) }
        });
    }
    const claimed = scores?.data.cases;
    if (scores && typeof claimed === 'number' && claimed !== cases.data.cases) {
        s.add('evals.results-inconsistent', {
            message: `${s.name}: ${scores.source.path} reports ${claimed} cases but ${cases.source.path} has ${cases.data.cases}`,
            observed: claimed,
            required: cases.data.cases,
            location: (0,context/* locationOf */.hD)(scores, (0,context/* pointer */.Wn)('cases')),
            evidence: { eval: s.name, scores_cases: claimed, table_cases: cases.data.cases }
        });
    }
}
/**
 * A change to a gating Eval that lets through results the base branch's version would fail: what changed,
 * base → head, and the head results judged by the base branch's definition of each metric the change touches.
 */
function checkLoosening(s, baseDef, judged) {
    const wasGating = baseDef.data.spec?.releaseGate?.enabled === true;
    if (!(s.gated || wasGating) || baseDef.source.sha256 === s.def.source.sha256)
        return;
    const head = s.def.data;
    const changes = [];
    if (wasGating && head.spec?.releaseGate?.enabled !== true) {
        changes.push({
            what: 'releaseGate disabled',
            base: true,
            head: head.spec?.releaseGate?.enabled === false ? false : null,
            pointer: (0,context/* pointer */.Wn)('spec')
        });
    }
    const headPlans = new Map(metricPlans(head).plans.map((p) => [p.metric.name, p]));
    const headVerdicts = new Map(judged.map((j) => [j.evidence.metric, j.evidence.verdict]));
    const failures = [];
    for (const b of metricPlans(baseDef.data).plans) {
        const h = headPlans.get(b.metric.name) ?? null;
        const found = metricLoosening(b, h);
        changes.push(...found.changes);
        if (found.changes.length === 0 && found.latent.length === 0)
            continue;
        // results the head's definition already fails are blocked anyway
        if (h && headVerdicts.get(h.metric.name) === 'fail')
            continue;
        const failure = judgeUnderBase(s, b);
        if (!failure)
            continue;
        failures.push(failure);
        changes.push(...found.latent);
    }
    if (changes.length === 0)
        return;
    const plain = (c) => ({ what: c.what, base: c.base, head: c.head });
    s.add('evals.gate-weakened', {
        message: `${s.name}: this change loosens the eval's gate: ${changes.map(describeLoosening).join('; ')}` +
            (failures.length > 0
                ? `. Judged by the base branch's definition, the head results fail, where the head's definition lets them ` +
                    `pass: ${failures.map((f) => f.text).join('; ')}`
                : ''),
        observed: changes.map(plain),
        required: "the base branch's gate, or an agreed loosening",
        location: (0,context/* locationOf */.hD)(s.def, changes[0].pointer),
        evidence: {
            eval: s.name,
            base_file: baseDef.source.path,
            changes: changes.map(plain),
            base_definition_fails: failures.map((f) => ({
                metric: f.metric,
                reason: f.reason,
                observed: f.observed,
                required: f.required
            }))
        }
    });
}
function evalVerdict(gated, head, configBroken, metrics) {
    if (!gated)
        return 'not_gated';
    if (head.status === 'ambiguous' || configBroken)
        return 'fail';
    if (head.status === 'none')
        return 'missing';
    if (metrics.some((m) => m.verdict === 'fail'))
        return 'fail';
    if (metrics.some((m) => m.verdict === 'missing'))
        return 'missing';
    return 'pass';
}
function thresholdJson(plan, t) {
    return { written: toJson(plan.written), comparator: t.comparator, value: t.value };
}
function where(location) {
    return location ? { file: location.file, pointer: location.pointer ?? '' } : null;
}
// ---------------------------------------------------------------------------------------------------
// Wording
function describeValue(plan, o) {
    if (o.from === 'scores')
        return `as reported in ${o.location?.file}${o.cases !== null ? `, ${o.cases} cases` : ''}`;
    const of = `of ${o.cases} case${o.cases === 1 ? '' : 's'}`;
    if (plan.aggregate === 'rate')
        return `share of values >= ${RATE_PASS_AT} ${of}`;
    return `${plan.aggregate} ${of}`;
}
function vacuousMessage(plan, t, domainWhy) {
    const m = plan.metric;
    const written = typeof plan.written === 'string' ? JSON.stringify(plan.written) : formatNumber(Number(plan.written));
    const how = t.read_by === 'direction'
        ? `is read as "${describeThreshold(t)}" (${declaredDirection(m) ? `direction: ${declaredDirection(m)}` : `${m.type} metrics are higher_is_better unless they declare direction`})`
        : `reads "${describeThreshold(t)}"`;
    const of = plan.aggregate === 'rate' ? `its ${plan.aggregate}` : `its ${plan.aggregate} value`;
    return `threshold ${m.name}: ${written} ${how}, and ${of} can never fail it: ${domainWhy}`;
}
function vacuousFix(plan, t) {
    const m = plan.metric.name;
    if (t.comparator === '>=' || t.comparator === '>') {
        return (`If ${m} must stay low, declare direction: lower_is_better on the metric or write "<=${formatNumber(t.value)}"; ` +
            `otherwise raise the bound to the lowest acceptable value.`);
    }
    return `If ${m} must stay high, write ">=" and the lowest acceptable value; otherwise lower the bound to the highest acceptable value.`;
}
function missingMetricDetail(plan, head, o) {
    const parts = [];
    if (head.cases) {
        const columns = Object.keys(head.cases.data.columns).sort(context/* cmp */.r2);
        if (o.sample)
            parts.push(`every one of the ${head.cases.data.cases} cases in ${head.cases.source.path} lacks ${plan.column}`);
        else {
            parts.push(`${head.cases.source.path} has no column ${plan.column}; its columns are ${columns.length > 0 ? columns.join(', ') : 'none'}`);
        }
    }
    if (head.scores)
        parts.push(`${head.scores.source.path} has no metrics.${plan.metric.name}`);
    return parts.join('; ');
}
function missingMetricFix(plan, head) {
    // latency_p95_ms with a latency_ms column: the metric names its aggregate and the column it reads
    const match = /_?(p50|p95|p99|mean|max|min|sum|rate)(?=_|$)/.exec(plan.metric.name);
    if (!head.cases || !match)
        return undefined;
    const column = plan.metric.name.slice(0, match.index) + plan.metric.name.slice(match.index + match[0].length);
    if (!Object.hasOwn(head.cases.data.columns, column))
        return undefined;
    return `The per-case results have ${column}: declare source: ${column} and aggregate: ${match[1]} on metric ${plan.metric.name}.`;
}
function noiseSentence(noise) {
    if (noise === null)
        return 'no per-case results on both sides to tell noise from a real drop';
    if (typeof noise === 'string')
        return noise;
    const interval = `[${formatNumber(noise.interval[0])}, ${formatNumber(noise.interval[1])}]`;
    const how = noise.method === 'fisher' && noise.p !== null ? `Fisher's exact test p = ${formatP(noise.p)}; ` : '';
    return noise.significant
        ? `the drop is beyond noise (${how}${formatPercent(noise.confidence)} interval of head − base ${interval})`
        : `the drop is within noise (${how}${formatPercent(noise.confidence)} interval of head − base ${interval})`;
}
function noiseJson(noise) {
    if (noise === null)
        return { tested: false, reason: 'no per-case results on both sides' };
    if (typeof noise === 'string')
        return { tested: false, reason: noise };
    return {
        tested: true,
        method: noise.method,
        detail: noise.detail,
        interval: [noise.interval[0], noise.interval[1]],
        confidence: noise.confidence,
        significant: noise.significant,
        p: noise.p === null ? null : finiteOrNull(noise.p)
    };
}
function describeLoosening(c) {
    const show = (v) => (v === null ? 'none' : String(v));
    return `${c.what} (base ${show(c.base)}, head ${show(c.head)})`;
}
/** Whether a written score equals the per-case aggregate to the precision the score was written with. */
function agrees(score, computed) {
    const text = String(score);
    const decimals = text.includes('e')
        ? Math.max(0, -Number(text.split('e')[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0))
        : (text.split('.')[1]?.length ?? 0);
    const tolerance = 0.5 * 10 ** -decimals + 1e-9 * Math.max(Math.abs(score), Math.abs(computed));
    return Math.abs(score - computed) <= tolerance;
}
/** A close name: equal ignoring case and separators, or within two edits. */
function suggest(name, candidates) {
    if (name.length > 200)
        return null;
    const norm = (s) => s.toLowerCase().replace(/[-_\s.]/g, '');
    let best = null;
    for (const c of [...candidates].sort(context/* cmp */.r2)) {
        if (c === name)
            continue;
        const distance = norm(c) === norm(name) ? 0 : editDistance(name, c, 2);
        if (distance <= 2 && (best === null || distance < best.distance))
            best = { name: c, distance };
    }
    return best && (best.distance === 0 || name.length > 3) ? best.name : null;
}
/** Levenshtein distance within a band of `limit` around the diagonal; limit + 1 when it is larger. */
function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit)
        return limit + 1;
    const far = limit + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : far));
    for (let i = 1; i <= a.length; i++) {
        const row = new Array(b.length + 1).fill(far);
        row[0] = i <= limit ? i : far;
        let rowMin = row[0];
        for (let j = Math.max(1, i - limit); j <= Math.min(b.length, i + limit); j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost, far);
            row[j] = v;
            rowMin = Math.min(rowMin, v);
        }
        if (rowMin > limit)
            return far;
        prev = row;
    }
    return prev[b.length];
}
function finiteOrNull(x) {
    return x !== null && Number.isFinite(x) ? x : null;
}
function toJson(v) {
    if (v === undefined)
        return null;
    if (typeof v === 'number')
        return Number.isFinite(v) ? v : String(v);
    if (v === null || typeof v === 'string' || typeof v === 'boolean')
        return v;
    try {
        return JSON.parse(JSON.stringify(v));
    }
    catch {
        return String(v);
    }
}


/***/ }),

/***/ 3791:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Wj: () => (/* binding */ changedPathsMatching),
  QI: () => (/* binding */ isAgentChange),
  _I: () => (/* binding */ matchesAny),
  Fd: () => (/* binding */ normalizePath),
  Pq: () => (/* binding */ touchedPaths)
});

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/model/input.ts
const RECORD_KINDS = [
    'change_review_record',
    'rollout_gate_record',
    'change',
    'rollout_policy',
    'rollout_assessment',
    'eval',
    'deployment',
    'eval_scores',
    'eval_cases',
    'agbom',
    'replay_receipts'
];

// EXTERNAL MODULE: ./src/gate/context.ts
var context = __webpack_require__(2104);
;// CONCATENATED MODULE: ./src/gate/globs.ts
/**
 * Path globs for surfaces and gate integrity: picomatch with dot files included (a glob must see
 * `.github/workflows/**`), POSIX separators whatever the platform, patterns anchored at the
 * repository root (a leading double-star segment matches at any depth). And, built on them, whether
 * a pull request is an agent change at all.
 */



const compiled = new Map();
/** A repository-relative path in one spelling: forward slashes, no leading "./" or "/". */
function normalizePath(path) {
    let p = path.replace(/\\/g, '/');
    while (p.startsWith('./'))
        p = p.slice(2);
    return p.replace(/^\/+/, '');
}
function compile(glob) {
    let m = compiled.get(glob);
    if (!m) {
        // an empty pattern would make picomatch throw; it matches nothing (the settings schema rejects it anyway)
        m = glob === '' ? () => false : picomatch_default()(normalizePath(glob), { dot: true, windows: false });
        compiled.set(glob, m);
    }
    return m;
}
/** True when the path matches any of the globs. */
function matchesAny(path, globs) {
    const p = normalizePath(path);
    return globs.some((g) => compile(g)(p));
}
/**
 * Every path a changed file touches: its path and, for a rename or copy, the path it came from
 * (moving a prompt out of `prompts/` still changes the prompts surface). Removed files count.
 */
function touchedPaths(file) {
    if (file.status === 'unchanged')
        return [];
    const paths = [normalizePath(file.path)];
    if (file.previous_path !== undefined && file.previous_path !== '') {
        const prev = normalizePath(file.previous_path);
        if (prev !== paths[0])
            paths.push(prev);
    }
    return paths;
}
/** The sorted, distinct paths among the changed files that match any glob. */
function changedPathsMatching(files, globs) {
    const hits = new Set();
    for (const f of files)
        for (const p of touchedPaths(f))
            if (matchesAny(p, globs))
                hits.add(p);
    return [...hits].sort(context/* cmp */.r2);
}
/**
 * True when the pull request is an agent change: it adds or changes a gate record (review, rollout,
 * change, assessment, Eval, Deployment, results, AgBOM, receipts …) or touches a configured surface.
 * Standing requirements (the rollout policy, a Deployment's approvals, approvals.required_roles) apply
 * to agent changes only; a documentation-only pull request owes them nothing.
 */
function isAgentChange(ctx) {
    if (RECORD_KINDS.some((kind) => ctx.active(kind).length > 0))
        return true;
    const globs = Object.values(ctx.config.surfaces ?? {}).flatMap((g) => (Array.isArray(g) ? g : []));
    return (ctx.input.changed_files ?? []).some((f) => touchedPaths(f).some((p) => matchesAny(p, globs)));
}


/***/ }),

/***/ 252:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   vj: () => (/* binding */ evaluateIntegrity),
/* harmony export */   y0: () => (/* binding */ RULES)
/* harmony export */ });
/* unused harmony exports configLoosenings, integrityOverrides, withoutIntegrityOverrides */
/* harmony import */ var _approvals_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7475);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2104);
/* harmony import */ var _settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9563);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3791);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7344);





const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_3__/* .defineRules */ .x0)('integrity', {
    'integrity.gate-files-changed': {
        severity: 'follow_up',
        title: "Change modifies the gate's own files",
        description: 'The change touches files that define the gate itself: its configuration, its schemas, the workflow that runs ' +
            'it (integrity.paths, plus the configuration file in use), or a standing record that sets what every change ' +
            'must show (the rollout policy, a Deployment), edited or removed, or a record merged earlier about a change (a ' +
            'change record, a review, a rollout gate record, an assessment) removed: with it would go a hold, a rejection ' +
            'or a blocking signal, which are lifted by deciding again in the record, never by deleting it. A pull request that edits its own gate could ' +
            'switch it off, so such a change needs an approval by integrity.owner_role; the approvals family reports ' +
            'whether that approval exists. (A rollout policy the pull request edits or removes still judges its changes: ' +
            'its base copy is applied together with the head.)',
        fix: 'Ask a holder of the integrity owner role to review and approve the change to the gate.'
    },
    'integrity.config-from-head': {
        severity: 'warning',
        title: "Gate configuration was read from the pull request's head",
        description: "The gate judged this change with the configuration on the pull request's own branch, so the change could " +
            "have loosened its own gate. Reading the configuration from the base branch (the action's default) closes " +
            'that gap. Such a configuration cannot switch off this family: its `rules:` entries for integrity.* rules are ' +
            'ignored (the defaults apply) and listed here, its integrity.paths only add to the default ones, and what it ' +
            'turns off or loosens compared with the built-in defaults is listed too.',
        fix: 'Set the action input `trust-config-from: base` (the default) so the base branch configuration is used.'
    },
    'integrity.config-loosened': {
        severity: 'follow_up',
        title: 'Proposed configuration loosens the gate',
        description: 'The head branch changes or deletes the gate configuration (deleted, the gate runs with its built-in ' +
            "defaults). The decision used the base branch's configuration; this " +
            'finding lists every setting the proposed configuration would make less strict (raised drift limits or ' +
            'regression slack, a lowered trust score, rules turned off or downgraded, roles or required roles removed or ' +
            'given more members, surfaces, integrity paths or record globs narrowed, derived signals removed), each ' +
            'with its base and head value, so the owner approves the loosening knowingly. Once integrity.owner_role ' +
            'has approved the head commit the finding stays as a warning.',
        fix: 'Have the integrity owner role review each loosened setting, or restore the base value.'
    }
});
const SEVERITY_RANK = { deny: 3, follow_up: 2, warning: 1, off: 0 };
/** Rank of a severity; anything unrecognised ranks as deny, so it never hides a downgrade. */
function severityRank(value) {
    return Object.prototype.hasOwnProperty.call(SEVERITY_RANK, value) ? SEVERITY_RANK[value] : 3;
}
function get(obj, path) {
    let cur = obj;
    for (const key of path) {
        if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key))
            return undefined;
        cur = cur[key];
    }
    return cur;
}
function strings(value) {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
function keysOf(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2) : [];
}
function toJson(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
function canonical(value) {
    if (Array.isArray(value))
        return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        return `{${keysOf(value)
            .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}
/**
 * What `head` would loosen compared with `base`. `ruleDefaults` gives each rule's default severity;
 * a rule it does not know is assumed to default to deny, so a new override is never missed.
 */
function configLoosenings(base, head, ruleDefaults = {}) {
    const out = [];
    const num = (path, worse, effect) => {
        const b = get(base, path);
        const h = get(head, path);
        if (typeof b !== 'number' || typeof h !== 'number')
            return;
        if (worse === 'raised' ? h > b : h < b)
            out.push({ setting: path.join('.'), base: b, head: h, effect });
    };
    num(['drift', 'max_token_drift'], 'raised', 'more token drift between live and replay passes');
    num(['drift', 'max_cost_drift'], 'raised', 'more cost drift between live and replay passes');
    num(['evals', 'regression_slack'], 'raised', 'larger eval regressions against the base pass');
    num(['evals', 'confidence'], 'raised', 'a wider noise interval: fewer drops count as beyond noise');
    num(['evals', 'max_missing_share'], 'raised', 'more cases without a value pass unremarked on a gating metric');
    num(['agbom', 'min_trust_score'], 'lowered', 'less trusted AgBOM components pass');
    const seedBase = get(base, ['evals', 'seed']);
    const seedHead = get(head, ['evals', 'seed']);
    if (seedBase !== seedHead) {
        out.push({
            setting: 'evals.seed',
            base: toJson(seedBase),
            head: toJson(seedHead),
            effect: 'a different resampling seed can move a borderline noise test'
        });
    }
    const turnedOn = (path, effect) => {
        if (get(base, path) !== true && get(head, path) === true) {
            out.push({ setting: path.join('.'), base: toJson(get(base, path)), head: true, effect });
        }
    };
    turnedOn(['approvals', 'accept_stale'], 'approvals of earlier commits count');
    turnedOn(['records', 'allow_empty'], 'a configuration that selects no record passes');
    /** entries of `from` missing in `to` loosen the gate (by default: base entries the head drops) */
    const removed = (path, effect, from = strings(get(base, path)), to = strings(get(head, path)), shown = { base: from, head: to }) => {
        const gone = from.filter((x) => !to.includes(x));
        if (gone.length > 0)
            out.push({
                setting: path.join('.'),
                base: [...shown.base].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2),
                head: [...shown.head].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2),
                effect: `${effect}: ${gone.join(', ')}`
            });
    };
    removed(['approvals', 'required_roles'], 'roles no longer required');
    removed(['integrity', 'paths'], 'gate files no longer protected');
    removed(['records', 'include'], 'record globs dropped');
    const excludeBase = strings(get(base, ['records', 'exclude']));
    const excludeHead = strings(get(head, ['records', 'exclude']));
    removed(['records', 'exclude'], 'record files newly excluded', excludeHead, excludeBase, {
        base: excludeBase,
        head: excludeHead
    });
    const promptfoo = (cfg) => (Array.isArray(get(cfg, ['evals', 'promptfoo'])) ? get(cfg, ['evals', 'promptfoo']) : []).map(canonical);
    removed(['evals', 'promptfoo'], 'promptfoo results no longer read', promptfoo(base), promptfoo(head));
    const ownerBase = get(base, ['integrity', 'owner_role']);
    const ownerHead = get(head, ['integrity', 'owner_role']);
    if (ownerBase !== ownerHead) {
        out.push({
            setting: 'integrity.owner_role',
            base: toJson(ownerBase),
            head: toJson(ownerHead),
            effect: 'a different role approves changes to the gate'
        });
    }
    for (const role of keysOf(get(base, ['roles']))) {
        const path = ['roles', role];
        if (get(head, path) === undefined) {
            out.push({ setting: path.join('.'), base: toJson(get(base, path)), head: null, effect: 'role removed' });
            continue;
        }
        for (const field of ['users', 'teams']) {
            const b = strings(get(base, [...path, field])).map((x) => x.toLowerCase());
            const h = strings(get(head, [...path, field]));
            const added = h.filter((x) => !b.includes(x.toLowerCase()));
            if (added.length > 0) {
                out.push({
                    setting: [...path, field].join('.'),
                    base: toJson(get(base, [...path, field])),
                    head: toJson(get(head, [...path, field])),
                    effect: `more people can approve as ${role}: ${added.join(', ')}`
                });
            }
        }
    }
    for (const surface of keysOf(get(base, ['surfaces']))) {
        const path = ['surfaces', surface];
        if (get(head, path) === undefined) {
            out.push({
                setting: path.join('.'),
                base: toJson(get(base, path)),
                head: null,
                effect: 'surface no longer reviewed'
            });
        }
        else {
            removed(path, 'paths no longer part of the surface');
        }
    }
    for (const signal of keysOf(get(base, ['signals']))) {
        const path = ['signals', signal];
        const b = get(base, path);
        const h = get(head, path);
        if (canonical(b) === canonical(h))
            continue;
        out.push({
            setting: path.join('.'),
            base: toJson(b),
            head: toJson(h),
            effect: h === undefined
                ? 'no longer derived by the gate: an assessment record can assert it'
                : 'derived from different evidence'
        });
    }
    const ruleIds = [...new Set([...keysOf(get(base, ['rules'])), ...keysOf(get(head, ['rules']))])].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
    for (const id of ruleIds) {
        const b = get(base, ['rules', id]);
        const h = get(head, ['rules', id]);
        const known = Object.prototype.hasOwnProperty.call(ruleDefaults, id);
        const fallback = known ? ruleDefaults[id] : 'deny';
        const defaultLabel = known ? `default (${fallback})` : 'default (assumed deny)';
        const bEff = b ?? fallback;
        const hEff = h ?? fallback;
        if (severityRank(hEff) < severityRank(bEff)) {
            out.push({
                setting: `rules.${id}`,
                base: b ?? defaultLabel,
                head: h ?? defaultLabel,
                effect: hEff === 'off' ? 'rule turned off' : `rule downgraded from ${bEff} to ${hEff}`
            });
        }
    }
    return out.sort((x, y) => (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(x.setting, y.setting) || (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(x.effect, y.effect));
}
/** Records whose removal (deleted, renamed, no longer a record of that kind) needs integrity.owner_role. */
const REMOVAL_NEEDS_OWNER = [
    'rollout_policy',
    'deployment',
    'change',
    'change_review_record',
    'rollout_gate_record',
    'rollout_assessment'
];
function evaluateIntegrity(ctx, ruleDefaults = {}) {
    const findings = [];
    const roleRequirements = [];
    const src = ctx.input.config_source;
    const cfgFile = src.file === null ? null : (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(src.file);
    const ownerRole = ctx.config.integrity?.owner_role ?? '';
    // This family reports on the configuration itself, so a configuration read from the head (the change under
    // judgement) cannot silence or downgrade it, nor stop it watching the default gate files: its `rules:`
    // entries for integrity.* are ignored (the defaults apply) and integrity.config-from-head says so.
    const headTrusted = src.side === 'head';
    const ignoredRules = headTrusted ? integrityOverrides(ctx.config) : {};
    const ruleConfig = headTrusted ? withoutIntegrityOverrides(ctx.config) : ctx.config;
    const usedWhich = src.side === 'base'
        ? "the decision used the base branch's configuration"
        : src.side === 'head'
            ? "the decision used the head branch's configuration"
            : 'the decision used the built-in defaults';
    const globs = headTrusted
        ? [...new Set([...strings(ctx.config.integrity?.paths), ..._settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_CONFIG */ .PV.integrity.paths])]
        : strings(ctx.config.integrity?.paths);
    const files = new Set();
    if (ctx.input.changed_files !== null) {
        for (const f of (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .changedPathsMatching */ .Wj)(ctx.input.changed_files, globs))
            files.add(f);
        if (cfgFile !== null) {
            for (const f of ctx.input.changed_files)
                if ((0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .touchedPaths */ .Pq)(f).includes(cfgFile))
                    files.add(cfgFile);
        }
    }
    // Standing records (the rollout policy, Deployments) set what every change must show, and they are read
    // from the head: changing one is changing the gate, so it needs the owner too.
    if (ctx.base !== null) {
        for (const r of [...ctx.active('rollout_policy'), ...ctx.active('deployment')])
            files.add((0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(r.source.path));
        // removing one (deleting it, renaming it out of the records) changes the gate as much as editing it; so does
        // removing a record merged earlier about a change: a hold, a rejection or a blocking signal would go with it,
        // and a later pull request could bring the change back under weaker records
        for (const kind of REMOVAL_NEEDS_OWNER) {
            const kept = new Set(ctx.head.of(kind).map((r) => r.source.path));
            for (const r of ctx.base.of(kind))
                if (!kept.has(r.source.path))
                    files.add((0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(r.source.path));
        }
    }
    // a proposed configuration is a changed gate file even when the list of changed files is unknown
    const proposed = ctx.input.proposed_config;
    if (proposed !== null)
        files.add((0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(proposed.file));
    const gateFiles = [...files].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
    const first = gateFiles[0];
    // Once the owner has approved the head, the gate-change findings stay visible but stop holding the
    // change (follow_up becomes warning); a configured deny still blocks.
    const ownerApprovers = first === undefined ? [] : (0,_approvals_js__WEBPACK_IMPORTED_MODULE_0__/* .checkRole */ .R1)(ctx, ownerRole, []).evidence.approved_by;
    const approval = ownerApprovers.length > 0
        ? `approved by ${ownerApprovers.map((u) => `@${u}`).join(', ')} (\`${ownerRole}\`, integrity.owner_role)`
        : `it needs an approval by \`${ownerRole}\` (integrity.owner_role)`;
    const add = (spec, fields) => {
        const f = (0,_rules_js__WEBPACK_IMPORTED_MODULE_3__/* .makeFinding */ .MH)(ruleConfig, spec, fields);
        if (f === null)
            return;
        if (ownerApprovers.length > 0 && f.severity === 'follow_up')
            f.severity = 'warning';
        findings.push(f);
    };
    if (first !== undefined) {
        const location = { file: first };
        // a rule switched off in the (base) configuration drops its approval requirement with it
        if (ruleConfig.rules?.['integrity.gate-files-changed'] !== 'off') {
            roleRequirements.push({
                role: ownerRole,
                required_by: `integrity: gate files changed (${gateFiles.join(', ')})`,
                location
            });
        }
        add(RULES['integrity.gate-files-changed'], {
            subject: ownerRole,
            location,
            message: `The change modifies the gate's own files: ${gateFiles.join(', ')}; ${approval}. ${capitalize(usedWhich)}.`,
            observed: gateFiles,
            required: `an approval by \`${ownerRole}\``,
            evidence: {
                files: gateFiles,
                protected_paths: globs,
                config_file: cfgFile,
                owner_role: ownerRole,
                approved_by: ownerApprovers
            },
            fix: `Ask a holder of \`${ownerRole}\` to review the change to the gate and approve the pull request.`
        });
    }
    if (headTrusted) {
        const location = (0,_approvals_js__WEBPACK_IMPORTED_MODULE_0__/* .configLocation */ .yS)(ctx);
        const ignored = Object.keys(ignoredRules).sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
        // what the head's configuration turns off or loosens compared with the built-in defaults (its integrity.*
        // rule entries are listed apart: they were ignored)
        const loosened = configLoosenings(_settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_CONFIG */ .PV, ctx.config, ruleDefaults).filter((l) => !l.setting.startsWith('rules.integrity.'));
        add(RULES['integrity.config-from-head'], {
            ...(location ? { location } : {}),
            message: `The gate configuration ${src.file ?? ''} was read from the pull request's head, so this change could loosen ` +
                'its own gate; the base branch configuration is the safe source.' +
                (ignored.length > 0
                    ? ` Its rules: entries for integrity.* were ignored (the defaults apply): ` +
                        `${ignored.map((id) => `${id}: ${ignoredRules[id]}`).join(', ')}.`
                    : '') +
                (loosened.length > 0
                    ? ' Compared with the built-in defaults it loosens: ' +
                        loosened.map((l) => `${l.setting} ${fmt(l.base)} → ${fmt(l.head)} (${l.effect})`).join('; ') +
                        '.'
                    : ''),
            observed: 'head',
            required: 'base',
            evidence: {
                file: src.file,
                sha256: src.sha256,
                ignored_rules: ignored.map((id) => ({ rule: id, head: ignoredRules[id] })),
                loosened_from_defaults: loosened.map((l) => ({
                    setting: l.setting,
                    default: l.base,
                    head: l.head,
                    effect: l.effect
                }))
            }
        });
    }
    // the head deletes the configuration the decision used: once merged, the gate runs with its built-in defaults
    const deleted = proposed === null && src.side === 'base' && cfgFile !== null && headLacks(ctx, cfgFile);
    const next = proposed !== null
        ? { config: proposed.config, file: proposed.file, sha256: proposed.sha256 }
        : deleted
            ? { config: _settings_defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_CONFIG */ .PV, file: cfgFile, sha256: null }
            : null;
    if (next !== null) {
        const loosenings = configLoosenings(ctx.config, next.config, ruleDefaults);
        if (loosenings.length > 0) {
            add(RULES['integrity.config-loosened'], {
                location: deleted
                    ? { file: next.file, side: 'base', pointer: '' }
                    : { file: next.file, side: 'head', pointer: '' },
                message: (deleted
                    ? `The head deletes ${next.file}; once merged the gate would run with its built-in defaults, which would ` +
                        `loosen it (${usedWhich}; ${approval}): `
                    : `The proposed ${next.file} would loosen the gate (${usedWhich}; ${approval}): `) +
                    loosenings.map((l) => `${l.setting} ${fmt(l.base)} → ${fmt(l.head)} (${l.effect})`).join('; ') +
                    '.',
                observed: loosenings.map((l) => ({ setting: l.setting, head: l.head })),
                required: loosenings.map((l) => ({ setting: l.setting, base: l.base })),
                evidence: {
                    ...(deleted ? { head_config: 'deleted: the built-in defaults' } : {}),
                    base_sha256: src.sha256,
                    head_sha256: next.sha256,
                    loosened: loosenings.map((l) => ({ setting: l.setting, base: l.base, head: l.head, effect: l.effect }))
                },
                fix: `Ask a holder of \`${ownerRole}\` to review each loosened setting; it takes effect for later pull requests ` +
                    'once merged.'
            });
        }
    }
    return { findings, evidence: null, roleRequirements };
}
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const isIntegrityRule = (id) => id.startsWith('integrity.');
/** The configuration's `rules:` entries for integrity.* rules. */
function integrityOverrides(config) {
    const out = {};
    for (const [id, value] of Object.entries(config.rules ?? {}))
        if (isIntegrityRule(id))
            out[id] = value;
    return out;
}
/** `config` with its integrity.* `rules:` entries dropped, so those rules run at their default severity. */
function withoutIntegrityOverrides(config) {
    const rules = Object.fromEntries(Object.entries(config.rules ?? {}).filter(([id]) => !isIntegrityRule(id)));
    return { ...config, rules };
}
/**
 * The head has no file at `file` (the base has it): the changed files say it was removed or renamed away or,
 * when they are unknown, the head tree (if it was listed) does not hold it.
 */
function headLacks(ctx, file) {
    const changed = ctx.input.changed_files;
    if (changed !== null) {
        const goneFrom = (f) => (f.status === 'removed' && (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(f.path) === file) ||
            (f.status === 'renamed' &&
                f.previous_path !== undefined &&
                (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(f.previous_path) === file &&
                (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(f.path) !== file);
        const readded = (f) => f.status !== 'removed' && (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(f.path) === file;
        return changed.some(goneFrom) && !changed.some(readded);
    }
    const paths = ctx.input.head.paths;
    return paths !== null && !paths.some((p) => (0,_globs_js__WEBPACK_IMPORTED_MODULE_2__/* .normalizePath */ .Fd)(p) === file);
}
function fmt(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}


/***/ }),

/***/ 4583:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ evaluateReview),
/* harmony export */   y: () => (/* binding */ RULES)
/* harmony export */ });
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2104);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3791);
/* harmony import */ var _read_validate_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2626);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7344);
/* harmony import */ var _signals_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(766);





const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .defineRules */ .x0)('review', {
    'review.missing-record': {
        severity: 'deny',
        title: 'Agent surfaces changed without a change review record',
        description: 'The change touches paths of one or more configured surfaces (prompts, model_routing, tool_exposure, ' +
            'policy_bundle, …) but adds or updates no change_review_record. Every change to an agent surface needs a ' +
            'review record of its own that says what changed, how risky it is, who must review it and which evals must pass.',
        fix: 'Add a change_review_record for this change that lists every touched surface in affected_surfaces.'
    },
    'review.uncovered-surface': {
        severity: 'deny',
        title: 'Changed surface is not listed in any review record',
        description: "A file of a configured surface changed, but none of this change's change_review_records lists that surface " +
            'in affected_surfaces. This is how a risky change passes as "small tuning": the review record describes ' +
            'part of the change and the reviewers never see the rest.',
        fix: 'Add the surface to affected_surfaces of the review record (and have its reviewers look at those files), or split the change.'
    },
    'review.changes-unknown': {
        severity: 'warning',
        title: 'Changed files are unknown: surface coverage was not checked',
        description: 'The gate was not given the list of files the change touches (no pull request, no base to diff with), so ' +
            'it could not check which surfaces changed or whether the gate’s own files changed.',
        fix: 'Run the gate on a pull request, or give the CLI a base (--base REF or --base-dir DIR; the action input base-ref) so changed files can be listed.'
    },
    'review.high-risk-unreviewed': {
        severity: 'deny',
        title: 'High-risk change has no review record',
        description: 'A change record (change.yaml) declares risk_level high or critical, but no change_review_record has its ' +
            'change_id, in this change or merged earlier. Each change record is judged on its own: a review record of ' +
            'another change in the same pull request does not review it. Seed invariant: a high-risk change does not ' +
            'enter rollout without a review record.',
        fix: 'Add a change_review_record with the same change_id, its affected surfaces, required reviews and required evals.'
    },
    'review.risk-understated': {
        severity: 'deny',
        title: 'Review record rates the change lower than its change record',
        description: 'A change_review_record gives a lower risk_level (low < medium < high < critical) than the change record ' +
            '(change.yaml) of the same change_id declares. What a review demands (the reviews and evals it requires) ' +
            'follows from the risk it saw: a review of a critical change that rated it low has not reviewed the change ' +
            'as declared.',
        fix: 'Review the change at the risk its change record declares (and require what that risk needs), or correct the change record if its risk was overstated.'
    },
    'review.not-approved': {
        severity: 'follow_up',
        title: 'Review record is not approved yet',
        description: "A change_review_record of this pull request's changes (its own, or one merged earlier — left alone or removed " +
            'on the head) has status draft, proposed, in_review or changes_requested. status is ' +
            'an operational fact: the change is releasable only once its review record says approved (and the roles in ' +
            'required_reviews have approved the pull request).',
        fix: 'Finish the review and set status: approved in the record once the required reviewers agree.'
    },
    'review.rejected': {
        severity: 'deny',
        title: 'Review record is rejected or withdrawn',
        description: "A change_review_record of this pull request's changes (its own, or one merged earlier — left alone or removed " +
            'on the head) has status rejected or withdrawn: its reviewers decided the change ' +
            'must not be released.',
        fix: 'Rework the change and open a new review, or remove the change from this pull request.'
    },
    'review.missing-signal': {
        severity: 'deny',
        title: 'Change record has required signals without evidence',
        description: 'change.yaml required_signals name the release evidence the change needs (design_review_passed, ' +
            'offline_eval_passed, rollback_plan_ready, …). As in agent_runtime_ref check-change, the change is ready ' +
            'only when every required signal is evidenced true: derived by the gate (signals: in the configuration) or ' +
            'asserted in a rollout_assessment record of this change. An unknown signal is missing, not passed.',
        fix: 'Produce the evidence for each missing signal: define how the gate derives it under signals:, or assert it in a rollout_assessment record.'
    },
    'review.change-id-mismatch': {
        severity: 'deny',
        title: 'Review record belongs to a different change',
        description: "A change_review_record in this change names a change_id that differs from the change record's (change.yaml) " +
            'change_id. The review then does not describe this change, and the change_id → bundle_id → rollout_wave ' +
            'chain cannot be reconstructed.',
        fix: 'Make change_id in the review record match change.change_id in change.yaml (or review the right change).'
    },
    'review.assessment-other-change': {
        severity: 'deny',
        title: 'Rollout assessment belongs to a different change',
        description: "A rollout_assessment record in this change names a change_id that none of this change's change records, " +
            'review records or rollout gate records has. Its signals are about that other change: they evidence nothing ' +
            'here, and a blocker it asserts is not applied here either. Usually the change_id is mistyped or stale.',
        fix: "Set change_id in the assessment to this change's change_id (or remove it, so the signals apply to every " +
            'change of the pull request), or move the assessment to the pull request of the change it names.'
    },
    'review.duplicate-id': {
        severity: 'deny',
        title: 'Two records claim the same identity',
        description: 'Two change_review_records of this change share a review_id, or two change records share a change_id. The ' +
            'gate cannot tell which one is authoritative, and an incident review could reconstruct the wrong one.',
        fix: 'Give each record its own id, or delete the stale copy.'
    },
    'review.unknown-surface': {
        severity: 'warning',
        title: 'A record names a surface the configuration almost has',
        description: 'A change record or change_review_record this pull request adds or edits lists, in affected_surfaces, a name that is no surface of the configuration but is one or two letters away from one (`prompt` for `prompts`). The gate matches surfaces by name: the misspelt one covers nothing, and the surface meant stays uncovered (review.uncovered-surface says so when its files changed). Names far from every surface are left alone: a record may describe areas the configuration does not map to files.',
        fix: 'Write the surface as the configuration names it (the finding suggests the nearest), or add the surface to `surfaces` in the configuration.'
    },
    'review.required-eval-unchecked': {
        severity: 'deny',
        title: 'Required eval was not evaluated',
        description: 'A change_review_record lists an eval in required_evals that the evals family produced no result for at ' +
            'all. No evidence is not a pass.',
        fix: 'Add the Eval record and its results, or correct the eval name in required_evals.'
    }
});
const PENDING_STATUSES = ['draft', 'proposed', 'in_review', 'changes_requested'];
const HIGH_RISK = ['high', 'critical'];
const RISK_ORDER = ['low', 'medium', 'high', 'critical'];
function strings(value) {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
const str = (value) => (typeof value === 'string' ? value : '');
const quoteList = (items) => (items.length > 0 ? items.join(', ') : 'none');
/** Records in file order, then by id (several records may share a file). */
function byPathThenId(id) {
    return (a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(a.source.path, b.source.path) || (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(id(a), id(b));
}
function evaluateReview(ctx, evals, signals) {
    const findings = new _rules_js__WEBPACK_IMPORTED_MODULE_2__/* .FindingList */ .kQ(ctx.config);
    const reviews = [...ctx.active('change_review_record')].sort(byPathThenId((r) => str(r.data.review_id)));
    // every change record and review record of this pull request's changes: its own, those merged earlier (left
    // alone or removed on the head: the base copy), so that which records count never depends on the bytes touched
    const changeRecs = (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .changeRecords */ .nJ)(ctx, 'change');
    const reviewRecs = (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .changeRecords */ .nJ)(ctx, 'change_review_record');
    const changes = changeRecs.map((c) => c.record).sort(byPathThenId((r) => str(r.data.change?.change_id)));
    const allReviews = reviewRecs.map((c) => c.record);
    const notes = new Map([...changeRecs, ...reviewRecs].map((c) => [c.record, (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .earlierNote */ .lj)(c)]));
    const baseCopies = new Map();
    for (const c of changeRecs)
        if (c.was)
            baseCopies.set(c.record, c.was);
    // duplicated identities
    // (a record of this pull request that repeats the id of one merged earlier is a duplicate too: the second copy
    // would otherwise shadow the first)
    const own = new Set([...ctx.active('change_review_record'), ...ctx.active('change')]);
    const duplicates = (items, what) => {
        const byId = new Map();
        for (const it of items)
            byId.set(it.id, [...(byId.get(it.id) ?? []), it]);
        for (const [id, list] of [...byId].sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(a, b))) {
            if (list.length < 2 || !list.some((l) => own.has(l.rec)))
                continue;
            const files = list.map((l) => l.rec.source.path);
            findings.add(RULES['review.duplicate-id'], {
                subject: id,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(list[1].rec, list[1].ptr),
                message: `${what} ${id} appears in ${list.length} records of this change: ${files.join(', ')}; each must be unique.`,
                observed: files,
                required: `one record with ${what} ${id}`,
                evidence: { id, files }
            });
        }
    };
    duplicates([...allReviews]
        .sort(byPathThenId((r) => str(r.data.review_id)))
        .map((r) => ({ id: str(r.data.review_id), rec: r, ptr: '/review_id' })), 'review_id');
    duplicates(changes.map((r) => ({ id: str(r.data.change?.change_id), rec: r, ptr: '/change/change_id' })), 'change_id');
    // surfaces
    const surfaces = [];
    const changed = ctx.input.changed_files;
    if (changed === null) {
        findings.add(RULES['review.changes-unknown'], {
            message: 'The files this change touches are unknown, so the gate could not check which surfaces changed, whether ' +
                "each is covered by a review record, or whether the gate's own files changed.",
            observed: null,
            required: 'the list of changed files'
        });
    }
    else {
        const surfaceGlobs = ctx.config.surfaces ?? {};
        for (const surface of Object.keys(surfaceGlobs).sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)) {
            const globs = strings(surfaceGlobs[surface]);
            const files = new Set();
            for (const f of changed)
                for (const p of (0,_globs_js__WEBPACK_IMPORTED_MODULE_0__/* .touchedPaths */ .Pq)(f))
                    if ((0,_globs_js__WEBPACK_IMPORTED_MODULE_0__/* .matchesAny */ ._I)(p, globs))
                        files.add(p);
            if (files.size === 0)
                continue;
            const coveredBy = reviews.filter((r) => strings(r.data.affected_surfaces).includes(surface));
            surfaces.push({
                surface,
                files: [...files].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2),
                covered_by: [...new Set(coveredBy.map((r) => str(r.data.review_id)))].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)
            });
        }
        const touched = surfaces.map((s) => s.surface);
        if (touched.length > 0 && reviews.length === 0) {
            const headReviews = ctx.head.of('change_review_record').map((r) => `${r.source.path} (${str(r.data.review_id)})`);
            const allFiles = [...new Set(surfaces.flatMap((s) => s.files))].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
            findings.add(RULES['review.missing-record'], {
                subject: touched.join(','),
                location: { file: allFiles[0] },
                message: `The change touches ${touched.map((s) => `\`${s}\``).join(', ')} (${allFiles.join(', ')}) but adds or ` +
                    'updates no change_review_record' +
                    (headReviews.length > 0
                        ? `; ${headReviews.join(', ')} ${headReviews.length > 1 ? 'are' : 'is'} unchanged and ` +
                            `${headReviews.length > 1 ? 'describe' : 'describes'} an earlier change.`
                        : '.'),
                observed: null,
                required: `a change_review_record listing ${touched.join(', ')} in affected_surfaces`,
                evidence: { surfaces: surfaces.map((s) => ({ surface: s.surface, files: s.files })) }
            });
        }
        else {
            for (const s of surfaces) {
                if (s.covered_by.length > 0)
                    continue;
                const first = reviews[0];
                const listed = reviews.map((r) => `${str(r.data.review_id)} lists ${quoteList(strings(r.data.affected_surfaces))}`);
                findings.add(RULES['review.uncovered-surface'], {
                    subject: s.surface,
                    location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(first, '/affected_surfaces'),
                    message: `${s.files.join(', ')} ${s.files.length > 1 ? 'change' : 'changes'} the \`${s.surface}\` surface, but no ` +
                        `change_review_record of this change lists \`${s.surface}\` in affected_surfaces (${listed.join('; ')}).`,
                    observed: reviews.map((r) => ({
                        review_id: str(r.data.review_id),
                        affected_surfaces: strings(r.data.affected_surfaces)
                    })),
                    required: `\`${s.surface}\` in affected_surfaces`,
                    evidence: { surface: s.surface, files: s.files, globs: strings(surfaceGlobs[s.surface]) },
                    fix: `Add \`${s.surface}\` to affected_surfaces in ${first.source.path} and have its reviewers look at ` +
                        `${s.files.join(', ')} — or move those files to a change of their own.`
                });
            }
        }
    }
    // each high-risk change record needs a review record of its own: one with its change_id, in this change or
    // merged earlier (a review record of another change does not review it); every one's status is judged below
    for (const c of changes) {
        const change = c.data.change;
        const risk = str(change?.risk_level).trim().toLowerCase();
        if (!HIGH_RISK.includes(risk))
            continue;
        const id = str(change?.change_id);
        if (allReviews.some((r) => r.data.change_id === id))
            continue;
        const others = [...new Set(reviews.map((r) => str(r.data.change_id)))].sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
        findings.add(RULES['review.high-risk-unreviewed'], {
            subject: id,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(c, '/change/risk_level'),
            message: `Change ${id} declares risk_level ${str(change?.risk_level)} but has no change_review_record` +
                (others.length > 0 ? ` (the review records of this pull request review ${others.join(', ')})` : '') +
                '; a high-risk change must be reviewed before rollout.',
            observed: { risk_level: str(change?.risk_level), review_records: 0 },
            required: `a change_review_record with change_id ${id}`,
            evidence: { change_id: id, change_record: c.source.path, reviewed_changes: others }
        });
    }
    // a review rates the change at least as risky as its change record declares
    for (const c of changes) {
        const declared = str(c.data.change?.risk_level).trim().toLowerCase();
        const id = str(c.data.change?.change_id);
        if (!RISK_ORDER.includes(declared))
            continue;
        for (const r of [...allReviews].sort(byPathThenId((x) => str(x.data.review_id)))) {
            if (r.data.change_id !== id)
                continue;
            const rated = str(r.data.risk_level).trim().toLowerCase();
            if (!RISK_ORDER.includes(rated) || RISK_ORDER.indexOf(rated) >= RISK_ORDER.indexOf(declared))
                continue;
            findings.add(RULES['review.risk-understated'], {
                subject: str(r.data.review_id),
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(r, '/risk_level'),
                message: `change_review_record ${str(r.data.review_id)}${notes.get(r) ?? ''} rates change ${id} ${rated}, but its ` +
                    `change record (${c.source.path}) declares risk_level ${declared}.`,
                observed: rated,
                required: `${declared} or higher`,
                evidence: { change_id: id, change_record: c.source.path, declared, rated }
            });
        }
    }
    // review records belong to this change
    const changeIds = changes.map((c) => str(c.data.change?.change_id));
    if (changeIds.length > 0) {
        for (const r of reviews) {
            if (changeIds.includes(r.data.change_id))
                continue;
            findings.add(RULES['review.change-id-mismatch'], {
                subject: str(r.data.review_id),
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(r, '/change_id'),
                message: `change_review_record ${str(r.data.review_id)} reviews change ${str(r.data.change_id)}, but this change's ` +
                    `change record${changeIds.length > 1 ? 's declare' : ' declares'} ${changeIds.join(', ')}.`,
                observed: str(r.data.change_id),
                required: changeIds.length === 1 ? changeIds[0] : changeIds,
                evidence: { review_id: str(r.data.review_id), change_records: changes.map((c) => c.source.path) }
            });
        }
    }
    // status: every review record of this pull request's changes, merged earlier ones too (a change rejected in an
    // earlier pull request stays rejected until its review record says otherwise)
    for (const r of [...allReviews].sort(byPathThenId((x) => str(x.data.review_id)))) {
        const status = str(r.data.status);
        if (status === 'approved')
            continue;
        const rejected = !PENDING_STATUSES.includes(status);
        findings.add(rejected ? RULES['review.rejected'] : RULES['review.not-approved'], {
            subject: str(r.data.review_id),
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(r, '/status'),
            message: `change_review_record ${str(r.data.review_id)}${notes.get(r) ?? ''} has status ${status || '(none)'}; ` +
                (rejected ? 'its reviewers decided the change must not be released.' : 'it must be approved before release.'),
            observed: status,
            required: 'approved'
        });
    }
    // required evals are judged by the evals family; only an eval it never saw is reported here
    const evaluated = new Set(evals.map((e) => e.eval));
    for (const r of reviews) {
        strings(r.data.required_evals).forEach((name, i) => {
            if (evaluated.has(name))
                return;
            findings.add(RULES['review.required-eval-unchecked'], {
                subject: name,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(r, (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .pointer */ .Wn)('required_evals', i)),
                message: `change_review_record ${str(r.data.review_id)} requires eval ${name}, but no result for ${name} was evaluated.`,
                observed: null,
                required: `eval ${name} evaluated and passing`
            });
        });
    }
    // assessments about a change this pull request is not about evidence nothing here
    if (signals.changes.length > 0) {
        for (const a of signals.elsewhere) {
            const named = str(a.data.change_id);
            const asserted = Object.keys(a.data.signals ?? {}).sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
            findings.add(RULES['review.assessment-other-change'], {
                subject: named,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(a, '/change_id'),
                message: `rollout_assessment ${a.source.path} asserts signals for change ${named}, but this change's records are ` +
                    `about ${signals.changes.join(', ')}; its ${asserted.length} signal${asserted.length === 1 ? '' : 's'} ` +
                    `(${quoteList(asserted)}) evidence nothing here.`,
                observed: named,
                required: signals.changes.length === 1 ? signals.changes[0] : [...signals.changes],
                evidence: { assessment: a.source.path, change_id: named, changes: [...signals.changes], signals: asserted }
            });
        }
    }
    // required signals (check-change): each change record is judged with its own change's signals
    // (with those its base copy required, when this pull request updates the change record: editing it does not
    // drop a requirement)
    for (const c of changes) {
        const change = c.data.change;
        const scope = signals.forChange(str(change?.change_id));
        const was = baseCopies.get(c);
        const listed = strings(change?.required_signals);
        const required = [...new Set([...listed, ...strings(was?.data.change?.required_signals)])];
        const missing = required.filter((s) => (0,_signals_js__WEBPACK_IMPORTED_MODULE_3__/* .signalOf */ .oX)(scope, s).value !== true);
        if (missing.length === 0)
            continue;
        const firstIndex = listed.indexOf(missing[0]);
        const at = firstIndex >= 0 || !was ? c : was;
        const index = firstIndex >= 0 ? firstIndex : strings(was?.data.change?.required_signals).indexOf(missing[0]);
        const finding = findings.add(RULES['review.missing-signal'], {
            subject: str(change?.change_id),
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(at, (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .pointer */ .Wn)('change', 'required_signals', index)),
            message: `Change ${str(change?.change_id)}${notes.get(c) ?? ''} is not ready: ${missing.length} of ${required.length} required signals ` +
                `are not evidenced true: ${(0,_signals_js__WEBPACK_IMPORTED_MODULE_3__/* .describeUnevidenced */ .ci)(scope, missing)}.`,
            ...(0,_signals_js__WEBPACK_IMPORTED_MODULE_3__/* .unevidencedValues */ .hl)(scope, missing),
            evidence: { missing_signals: missing, sources: (0,_signals_js__WEBPACK_IMPORTED_MODULE_3__/* .signalSources */ .Rw)(scope, missing) }
        });
        (0,_signals_js__WEBPACK_IMPORTED_MODULE_3__/* .softenIfAwaiting */ .LI)(finding, scope, missing);
    }
    reportSurfaceTypos(ctx, findings);
    return { findings: findings.items, evidence: { surfaces } };
}
/**
 * Names in affected_surfaces of this pull request's records that are a typo away from a configured surface: one
 * finding per record. Names of fewer than four characters are left alone (against short surface names such as
 * `api` or `ui`, every short word would be "a typo away").
 */
function reportSurfaceTypos(ctx, findings) {
    const configured = Object.keys(ctx.config.surfaces).sort(_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2);
    const known = new Set(configured);
    const listed = [
        ...ctx.active('change').map((r) => ({
            rec: r,
            what: `change ${str(r.data.change?.change_id)}`,
            names: r.data.change?.affected_surfaces,
            at: ['change', 'affected_surfaces']
        })),
        ...ctx.active('change_review_record').map((r) => ({
            rec: r,
            what: `change_review_record ${str(r.data.review_id)}`,
            names: r.data.affected_surfaces,
            at: ['affected_surfaces']
        }))
    ].sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(a.rec.source.path, b.rec.source.path) || (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .cmp */ .r2)(a.what, b.what));
    for (const { rec, what, names, at } of listed) {
        if (!Array.isArray(names))
            continue;
        const typos = [];
        names.forEach((name, index) => {
            if (typeof name !== 'string' || name.length < 4 || known.has(name))
                return;
            const near = (0,_read_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .nearest */ .pA)(name, configured);
            if (near !== undefined)
                typos.push({ index, name, near });
        });
        if (typos.length === 0)
            continue;
        const shown = typos.slice(0, MESSAGE_TYPOS).map((t) => `"${t.name}" (did you mean "${t.near}"?)`);
        const more = typos.length > shown.length ? `, and ${typos.length - shown.length} more` : '';
        findings.add(RULES['review.unknown-surface'], {
            subject: typos[0].name,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .locationOf */ .hD)(rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .pointer */ .Wn)(...at, typos[0].index)),
            message: `${what} lists ${typos.length === 1 ? 'a surface' : `${typos.length} surfaces`} the configuration does not define: ${shown.join(', ')}${more}. As written, ${typos.length === 1 ? 'it covers' : 'they cover'} no file.`,
            observed: typos.length === 1 ? typos[0].name : typos.slice(0, MESSAGE_TYPOS).map((t) => t.name),
            required: typos.length === 1 ? typos[0].near : typos.slice(0, MESSAGE_TYPOS).map((t) => t.near),
            evidence: {
                record: rec.source.path,
                surfaces: typos.slice(0, MESSAGE_TYPOS).map((t) => ({ name: t.name, nearest: t.near })),
                configured
            }
        });
    }
}
/** Misspelt surfaces a finding names (the rest are counted). */
const MESSAGE_TYPOS = 10;


/***/ }),

/***/ 9946:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dh: () => (/* binding */ evaluateRollout),
/* harmony export */   y0: () => (/* binding */ RULES)
/* harmony export */ });
/* unused harmony export parseTrafficScope */
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2104);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3791);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7344);
/* harmony import */ var _signals_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(766);




const RULES = (0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .defineRules */ .x0)('rollout', {
    'rollout.untraceable': {
        severity: 'deny',
        title: 'Rollout gate record does not resolve to a review record',
        description: "A rollout_gate_record's change_id must name a change_review_record (of this change or already in the " +
            'repository) so the change_id → bundle_id → rollout_wave chain can be reconstructed from an incident. A gate ' +
            'that points at no review lets an unreviewed change into rollout.',
        fix: 'Set change_id to the change_id of the change_review_record that reviewed this change, or add that review record.'
    },
    'rollout.vague-target': {
        severity: 'deny',
        title: 'Rollout gate record does not name a concrete bundle or wave',
        description: 'Seed invariant: the rollout gate points to a concrete bundle_id and rollout_wave. A placeholder such as ' +
            '"tbd", "n/a" or "unknown" makes the gate unreconstructable: nobody can say what was released where.',
        fix: 'Write the real bundle_id (the artifact being released) and rollout_wave (canary, wave-1, …).'
    },
    'rollout.duplicate-gate-id': {
        severity: 'deny',
        title: 'Two rollout gate records share a gate_id',
        description: 'Two rollout_gate_records of this change use the same gate_id; the gate cannot tell which decision stands.',
        fix: 'Give each gate record its own gate_id, or delete the stale copy.'
    },
    'rollout.check-not-evidenced': {
        severity: 'deny',
        title: 'Required rollout checks are not evidenced',
        description: "Every entry of a rollout gate record's required_checks must be evidenced true: derived by the gate (signals: " +
            'in the configuration) or asserted in a rollout_assessment record of this change. Listing a check is not ' +
            'doing it; an unknown check is not a passed one.',
        fix: 'Produce the evidence for each check (a derived signal under signals:, or a rollout_assessment record), or fix the record.'
    },
    'rollout.blocking-findings': {
        severity: 'deny',
        title: 'Rollout gate record has blocking findings',
        description: 'A rollout_gate_record lists blocking_findings. While any is open the change must not roll out.',
        fix: 'Resolve each blocking finding and remove it from blocking_findings once it is closed.'
    },
    'rollout.not-go': {
        severity: 'deny',
        title: 'Rollout gate decision is not go',
        description: "A rollout_gate_record's decision is no_go, hold or rollback: its owners decided the change must not roll out now.",
        fix: 'Change the decision to go only once the owners in decided_by agree the change is ready.'
    },
    'rollout.no-owner': {
        severity: 'deny',
        title: 'Rollout gate decision has no owner',
        description: 'Seed invariant: every decision has an owner. decided_by lists no role, so nobody answers for the rollout.',
        fix: 'List the roles that own the decision in decided_by (each must approve the pull request).'
    },
    'rollout.exposure-exceeded': {
        severity: 'deny',
        title: 'Traffic scope exceeds the rollout policy',
        description: "A rollout gate record's traffic_scope is larger than the rollout policy's rollout_mode.max_tenant_exposure_pct.",
        fix: 'Lower traffic_scope to the policy maximum, or change the rollout policy in a reviewed change of its own.'
    },
    'rollout.scope-unreadable': {
        severity: 'deny',
        title: 'Traffic scope cannot be read',
        description: 'traffic_scope must say how much traffic the wave gets: a percentage ("5_percent", "5%", "5 percent", ' +
            '"5pct", 5, "0.5_percent") or internal_only / shadow (no tenant traffic). Anything else cannot be compared ' +
            "with the rollout policy's maximum, so it fails closed.",
        fix: 'Write traffic_scope as a percentage such as 5_percent, or internal_only / shadow.'
    },
    'rollout.exposure-unbounded': {
        severity: 'warning',
        title: 'Traffic scope could not be checked against a policy',
        description: 'The change has a rollout gate record, but no rollout policy (rollout.yaml) sets rollout_mode.max_tenant_exposure_pct, ' +
            'so its traffic_scope could not be checked.',
        fix: 'Add a rollout policy with rollout_mode.max_tenant_exposure_pct.'
    },
    'rollout.missing-required': {
        severity: 'deny',
        title: 'Rollout policy requires evidence that is missing',
        description: "The rollout policy's `require` entries name evidence every rollout needs (trace_coverage, offline_eval_pass, " +
            'rollback_plan, …). Entries not evidenced true are missing_required, as in agent_runtime_ref check-rollout; ' +
            'missing evidence is reported apart from explicit blockers.',
        fix: 'Produce the evidence for each missing entry: a derived signal under signals:, or a rollout_assessment record of this change.'
    },
    'rollout.blocking-signal': {
        severity: 'deny',
        title: 'Rollout policy blocker is present',
        description: "The rollout policy's `block_if` entries name hard blockers (direct_tool_access_present, " +
            'policy_decisions_not_traced, …). An entry evidenced true is a blocking signal, as in agent_runtime_ref ' +
            'check-rollout. A blocker nobody evidences is unknown, not present, and does not block.',
        fix: 'Remove the cause of the blocker, then record the signal as false.'
    },
    'rollout.multiple-policies': {
        severity: 'warning',
        title: 'More than one rollout policy',
        description: 'The repository has more than one rollout policy. The gate applies the strictest combination (every require ' +
            'and block_if entry, the lowest max_tenant_exposure_pct); keep one policy so the rules are unambiguous.',
        fix: 'Merge the rollout policies into one rollout.yaml.'
    },
    'rollout.signal-conflict': {
        severity: 'deny',
        title: 'Signal evidence contradicts itself',
        description: 'Two sources disagree about a signal: two rollout_assessment records, or an assertion and what the gate ' +
            'derived itself (an eval verdict, an approval, a file). The gate takes false, but a contradiction means ' +
            'some record is stale or wrong, and for a block_if signal false would hide a blocker, so it fails closed.',
        fix: 'Correct or delete the stale assertion so every source agrees.'
    }
});
const PLACEHOLDERS = new Set([
    'tbd',
    'tba',
    'todo',
    'n/a',
    'na',
    'none',
    'null',
    'nil',
    'unknown',
    'unset',
    'pending',
    'placeholder',
    'xxx',
    'changeme',
    '-',
    '?',
    '...'
]);
/** Scopes that expose no tenant traffic. */
const ZERO_SCOPES = new Set(['internal_only', 'internal', 'shadow', 'shadow_only', 'dark', 'dark_launch', 'none']);
/** Scopes that expose all traffic. */
const FULL_SCOPES = new Set(['full', 'all', 'ga', 'general_availability', 'everyone']);
/** traffic_scope as a percentage of tenant traffic, or null when it cannot be read. */
function parseTrafficScope(scope) {
    if (typeof scope === 'number')
        return Number.isFinite(scope) && scope >= 0 && scope <= 100 ? scope : null;
    if (typeof scope !== 'string')
        return null;
    const s = scope.trim().toLowerCase();
    if (ZERO_SCOPES.has(s))
        return 0;
    if (FULL_SCOPES.has(s))
        return 100;
    const m = /^(\d+(?:\.\d+)?|\.\d+)[\s_-]*(%|percent|per[\s_-]?cent|pct)?$/.exec(s);
    if (!m)
        return null;
    const pct = Number(m[1]);
    return pct <= 100 ? pct : null;
}
function strings(value) {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
const str = (value) => (typeof value === 'string' ? value : '');
function isPlaceholder(value) {
    const s = str(value).trim().toLowerCase();
    return s === '' || PLACEHOLDERS.has(s);
}
function describeBlocking(f) {
    if (typeof f === 'string')
        return f;
    let out = str(f?.id);
    if (f?.summary)
        out += `: ${f.summary}`;
    const meta = [f?.severity ? `severity ${f.severity}` : '', f?.owner ? `owner ${f.owner}` : ''].filter(Boolean);
    return meta.length > 0 ? `${out} (${meta.join(', ')})` : out;
}
function readPolicy(ctx) {
    const records = [...ctx.head.of('rollout_policy')].sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.source.path, b.source.path));
    // the base copies of policies this pull request edits or removes judge its changes too (after the head's, so
    // that an entry both list is located on the head)
    const replaced = (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .replacedPolicies */ .Pk)(ctx).sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.source.path, b.source.path));
    if (records.length === 0 && replaced.length === 0)
        return null;
    const policy = { records, require: new Map(), block_if: new Map(), max_exposure: null, rollout_mode: null };
    for (const rec of [...records, ...replaced]) {
        const rollout = rec.data.rollout;
        strings(rollout?.require).forEach((s, index) => policy.require.has(s) || policy.require.set(s, { rec, index }));
        strings(rollout?.block_if).forEach((s, index) => policy.block_if.has(s) || policy.block_if.set(s, { rec, index }));
        const mode = rollout?.rollout_mode;
        if (mode !== null && typeof mode === 'object') {
            const pct = mode.max_tenant_exposure_pct;
            if (typeof pct === 'number' &&
                Number.isFinite(pct) &&
                (policy.max_exposure === null || pct < policy.max_exposure.pct)) {
                policy.max_exposure = { pct, rec };
            }
            policy.rollout_mode ??= JSON.parse(JSON.stringify(mode));
        }
    }
    if (policy.rollout_mode && policy.max_exposure)
        policy.rollout_mode.max_tenant_exposure_pct = policy.max_exposure.pct;
    return policy;
}
/**
 * Whether the standing rollout policy judges this pull request: it is an agent change (globs.isAgentChange) that
 * has a change of its own (context changeIds), touches an agent surface without one (judged with derived and
 * unscoped evidence; the review family reports the missing records), or whose changed files are unknown (fail
 * closed). A pull request that only edits records no change is named by — eval results, the rollout policy, an
 * unscoped assessment, a file renamed without its change — rolls nothing out: there is no change for `require`
 * to hold for or `block_if` to block, so the policy judges nothing (a later pull request of a change does).
 */
function policyApplies(ctx, signals) {
    if (!(0,_globs_js__WEBPACK_IMPORTED_MODULE_0__/* .isAgentChange */ .QI)(ctx))
        return false;
    if (signals.changes.length > 0 || ctx.input.changed_files === null)
        return true;
    const globs = Object.values(ctx.config.surfaces ?? {}).flatMap((g) => (Array.isArray(g) ? g : []));
    return ctx.input.changed_files.some((f) => (0,_globs_js__WEBPACK_IMPORTED_MODULE_0__/* .touchedPaths */ .Pq)(f).some((p) => (0,_globs_js__WEBPACK_IMPORTED_MODULE_0__/* .matchesAny */ ._I)(p, globs)));
}
function evaluateRollout(ctx, signals, 
// decided_by roles are required approvals: the approvals family judges them, so they are not re-checked here
_approvals) {
    const findings = new _rules_js__WEBPACK_IMPORTED_MODULE_1__/* .FindingList */ .kQ(ctx.config);
    // the gate records of this pull request's changes: added or updated here, or merged earlier for one of its
    // changes (a hold or an open blocking finding merged earlier still holds when a later pull request leaves it alone)
    const evidence = (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .changeRecords */ .nJ)(ctx, 'rollout_gate_record');
    const notes = new Map(evidence.map((e) => [e.record, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .earlierNote */ .lj)(e)]));
    const gates = evidence
        .map((e) => e.record)
        .sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.source.path, b.source.path) || (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(str(a.data.gate_id), str(b.data.gate_id)));
    const activeReviews = ctx.active('change_review_record');
    const headReviews = ctx.head.of('change_review_record');
    const policy = readPolicy(ctx);
    const chain = [];
    const checks = new Map();
    const byGateId = new Map();
    for (const g of gates)
        byGateId.set(str(g.data.gate_id), [...(byGateId.get(str(g.data.gate_id)) ?? []), g]);
    for (const [id, list] of [...byGateId].sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a, b))) {
        if (list.length < 2)
            continue;
        const files = list.map((g) => g.source.path);
        findings.add(RULES['rollout.duplicate-gate-id'], {
            subject: id,
            location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(list[1], '/gate_id'),
            message: `gate_id ${id} appears in ${list.length} rollout gate records of this change: ${files.join(', ')}.`,
            observed: files,
            required: `one rollout_gate_record with gate_id ${id}`
        });
    }
    for (const g of gates) {
        const d = g.data;
        const gateId = str(d.gate_id);
        // how messages name the record: one merged earlier says so, so a reader knows why an untouched file is judged
        const gateName = `${gateId}${notes.get(g) ?? ''}`;
        const changeId = str(d.change_id);
        const review = activeReviews.find((r) => r.data.change_id === changeId) ??
            headReviews.find((r) => r.data.change_id === changeId);
        chain.push({
            change_id: changeId,
            review_id: review ? str(review.data.review_id) : null,
            bundle_id: typeof d.bundle_id === 'string' ? d.bundle_id : null,
            rollout_wave: typeof d.rollout_wave === 'string' ? d.rollout_wave : null,
            gate_id: gateId,
            decision: typeof d.decision === 'string' ? d.decision : null
        });
        const base = { subject: gateId };
        if (!review) {
            const known = [...new Set(headReviews.map((r) => str(r.data.change_id)))].sort(_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2);
            findings.add(RULES['rollout.untraceable'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/change_id'),
                message: `rollout_gate_record ${gateName} is for change ${changeId}, but no change_review_record has that change_id ` +
                    `(review records exist for: ${known.length > 0 ? known.join(', ') : 'no change'}); the change_id → bundle_id → ` +
                    'rollout_wave chain is broken.',
                observed: changeId,
                required: known.length > 0 ? known : 'a change_review_record with this change_id',
                evidence: { gate_id: gateId, change_id: changeId, review_change_ids: known }
            });
        }
        for (const field of ['bundle_id', 'rollout_wave']) {
            if (!isPlaceholder(d[field]))
                continue;
            findings.add(RULES['rollout.vague-target'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, `/${field}`),
                message: `rollout_gate_record ${gateName} has ${field} "${str(d[field])}", which names no concrete ${field === 'bundle_id' ? 'bundle' : 'rollout wave'}.`,
                observed: str(d[field]),
                required: `a concrete ${field}`
            });
        }
        // a gate record's checks are evidenced by its change's signals (and those asserted for every change)
        const scope = signals.forChange(changeId);
        const required = strings(d.required_checks);
        const missingChecks = [];
        for (const check of required) {
            const entry = (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(scope, check);
            if (entry.value !== true)
                missingChecks.push(check);
            if (!checks.has(check)) {
                checks.set(check, {
                    check,
                    evidenced: entry.value === true,
                    source: entry.observations.length > 0 ? entry.source : null
                });
            }
        }
        if (missingChecks.length > 0) {
            const finding = findings.add(RULES['rollout.check-not-evidenced'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .pointer */ .Wn)('required_checks', required.indexOf(missingChecks[0]))),
                message: `rollout_gate_record ${gateName}: ${missingChecks.length} of ${required.length} required checks are not ` +
                    `evidenced true: ${(0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .describeUnevidenced */ .ci)(scope, missingChecks)}.`,
                ...(0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .unevidencedValues */ .hl)(scope, missingChecks),
                evidence: {
                    checks: (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalSources */ .Rw)(scope, missingChecks).map(({ signal, value, source }) => ({
                        check: signal,
                        value,
                        source
                    }))
                }
            });
            (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .softenIfAwaiting */ .LI)(finding, scope, missingChecks);
        }
        const blocking = Array.isArray(d.blocking_findings) ? d.blocking_findings : [];
        if (blocking.length > 0) {
            const described = blocking.map(describeBlocking);
            findings.add(RULES['rollout.blocking-findings'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/blocking_findings'),
                message: `rollout_gate_record ${gateName} lists ${blocking.length} blocking finding${blocking.length > 1 ? 's' : ''}: ${described.join('; ')}.`,
                observed: described,
                required: []
            });
        }
        if (d.decision !== 'go') {
            findings.add(RULES['rollout.not-go'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/decision'),
                message: `rollout_gate_record ${gateName} decided ${str(d.decision) || '(nothing)'} for wave ${str(d.rollout_wave)}; only go lets the change roll out.`,
                observed: str(d.decision),
                required: 'go'
            });
        }
        if (strings(d.decided_by).length === 0) {
            findings.add(RULES['rollout.no-owner'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/decided_by'),
                message: `rollout_gate_record ${gateName} has no decided_by: nobody owns the decision ${str(d.decision)}.`,
                observed: [],
                required: 'at least one role in decided_by'
            });
        }
        const pct = parseTrafficScope(d.traffic_scope);
        const scopeText = typeof d.traffic_scope === 'number' ? `${d.traffic_scope}` : str(d.traffic_scope);
        const exposure = pct === null || scopeText === `${pct}%` || scopeText === `${pct}` ? `${pct}%` : `${scopeText} (${pct}%)`;
        if (pct === null) {
            findings.add(RULES['rollout.scope-unreadable'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/traffic_scope'),
                message: `rollout_gate_record ${gateName} has traffic_scope "${scopeText}", which is not a readable percentage of traffic.`,
                observed: scopeText,
                required: 'a percentage (5_percent, 5%, 5) or internal_only / shadow'
            });
        }
        else if (policy?.max_exposure) {
            const max = policy.max_exposure;
            if (pct > max.pct) {
                findings.add(RULES['rollout.exposure-exceeded'], {
                    ...base,
                    location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/traffic_scope'),
                    message: `rollout_gate_record ${gateName} exposes ${exposure} of traffic in wave ${str(d.rollout_wave)}, ` +
                        `above the rollout policy's max_tenant_exposure_pct of ${max.pct}% (${max.rec.source.path}).`,
                    observed: pct,
                    required: { max_tenant_exposure_pct: max.pct },
                    evidence: {
                        traffic_scope: scopeText,
                        exposure_pct: pct,
                        policy: max.rec.source.path,
                        max_tenant_exposure_pct: max.pct
                    }
                });
            }
        }
        else if (pct > 0) {
            findings.add(RULES['rollout.exposure-unbounded'], {
                ...base,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(g, '/traffic_scope'),
                message: `rollout_gate_record ${gateName} exposes ${exposure} of traffic, but ` +
                    (policy ? 'the rollout policy sets no rollout_mode.max_tenant_exposure_pct' : 'there is no rollout policy') +
                    ' to check it against.',
                observed: pct,
                required: null
            });
        }
    }
    // the rollout policy applies to any agent change, whether or not it has a gate record yet
    const judgePolicy = policy !== null && policyApplies(ctx, signals);
    let rollout = null;
    if (policy && judgePolicy) {
        if (policy.records.length > 1) {
            findings.add(RULES['rollout.multiple-policies'], {
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(policy.records[1], ''),
                message: `${policy.records.length} rollout policies were found (${policy.records.map((r) => r.source.path).join(', ')}); ` +
                    'the gate applies all their require and block_if entries and the lowest max_tenant_exposure_pct.',
                observed: policy.records.map((r) => r.source.path),
                required: 'one rollout policy'
            });
        }
        // the policy holds for every change of the pull request: a require entry must be true for each, a block_if
        // entry blocks when it is true for any
        const required = [...policy.require.keys()];
        const missing = required.filter((s) => (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(signals, s).value !== true);
        const blockers = [...policy.block_if.keys()].filter((s) => (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(signals.blocking, s).value === true);
        const firstMissing = missing[0] === undefined ? undefined : policy.require.get(missing[0]);
        if (firstMissing) {
            const finding = findings.add(RULES['rollout.missing-required'], {
                subject: firstMissing.rec.source.path,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(firstMissing.rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .pointer */ .Wn)('rollout', 'require', firstMissing.index)),
                message: `The rollout policy requires ${missing.length} piece${missing.length > 1 ? 's' : ''} of evidence not ` +
                    `evidenced true (missing_required): ${(0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .describeUnevidenced */ .ci)(signals, missing)}.`,
                ...(0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .unevidencedValues */ .hl)(signals, missing),
                evidence: { missing_required: missing, sources: (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalSources */ .Rw)(signals, missing) }
            });
            (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .softenIfAwaiting */ .LI)(finding, signals, missing);
        }
        const firstBlocker = blockers[0] === undefined ? undefined : policy.block_if.get(blockers[0]);
        if (firstBlocker) {
            findings.add(RULES['rollout.blocking-signal'], {
                subject: firstBlocker.rec.source.path,
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .locationOf */ .hD)(firstBlocker.rec, (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .pointer */ .Wn)('rollout', 'block_if', firstBlocker.index)),
                message: `The rollout policy's block_if ${blockers.length > 1 ? 'entries are' : 'entry is'} evidenced true ` +
                    `(blocking_signals): ${blockers.map((s) => `${s} (${(0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(signals.blocking, s).source})`).join('; ')}.`,
                observed: Object.fromEntries(blockers.map((s) => [s, true])),
                required: Object.fromEntries(blockers.map((s) => [s, false])),
                evidence: {
                    blocking_signals: blockers,
                    sources: blockers.map((s) => ({ signal: s, source: (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(signals.blocking, s).source }))
                }
            });
        }
        rollout = {
            required,
            missing_required: missing,
            blocking_signals: blockers,
            required_checks: [...checks.values()].sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.check, b.check)),
            rollout_mode: policy.rollout_mode
        };
    }
    else if (gates.length > 0) {
        rollout = {
            required: [],
            missing_required: [],
            blocking_signals: [],
            required_checks: [...checks.values()].sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.check, b.check)),
            rollout_mode: null
        };
    }
    // contradictions in the signal evidence, wherever the signal is used: a contradiction about a signal nothing
    // uses decides nothing, and reporting it would let an approval (true) against a stale assertion (false) turn
    // an allowed change into a denied one. Each change is judged with its own signals: two changes that differ
    // do not contradict each other.
    const used = new Map();
    const use = (changeId, names) => {
        const set = used.get(changeId) ?? new Set();
        for (const n of names)
            set.add(n);
        used.set(changeId, set);
    };
    for (const c of (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .changeRecords */ .nJ)(ctx, 'change'))
        for (const r of c.was ? [c.record, c.was] : [c.record])
            use(str(r.data.change?.change_id), strings(r.data.change?.required_signals));
    for (const g of gates)
        use(str(g.data.change_id), strings(g.data.required_checks));
    if (policy && judgePolicy) {
        const names = [...policy.require.keys(), ...policy.block_if.keys()];
        for (const c of signals.changes.length > 0 ? signals.changes : [null])
            use(c, names);
    }
    const conflicts = new Map();
    for (const [changeId, names] of [...used].sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a ?? '', b ?? ''))) {
        const scope = signals.forChange(changeId);
        for (const name of names) {
            const entry = (0,_signals_js__WEBPACK_IMPORTED_MODULE_2__/* .signalOf */ .oX)(scope, name);
            if (entry.conflict && !conflicts.has(name))
                conflicts.set(name, { changeId, entry });
        }
    }
    for (const [name, { changeId, entry }] of [...conflicts].sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a, b))) {
        const at = entry.observations.find((o) => o.origin === 'asserted' && o.location)?.location;
        findings.add(RULES['rollout.signal-conflict'], {
            subject: name,
            ...(at ? { location: at } : {}),
            message: `Signal ${name} has contradicting evidence${signals.changes.length > 1 && changeId ? ` for change ${changeId}` : ''}: ` +
                entry.observations
                    .filter((o) => o.value !== null)
                    .map((o) => `${o.source} says ${String(o.value)}`)
                    .join('; ') +
                '. The gate takes false.',
            observed: entry.observations.map((o) => ({ source: o.source, value: o.value })),
            required: 'every source agrees'
        });
    }
    chain.sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.change_id, b.change_id) || (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2)(a.gate_id ?? '', b.gate_id ?? ''));
    return { findings: findings.items, evidence: { rollout, chain } };
}


/***/ }),

/***/ 7344:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MH: () => (/* binding */ makeFinding),
/* harmony export */   Te: () => (/* binding */ maskJson),
/* harmony export */   kQ: () => (/* binding */ FindingList),
/* harmony export */   x0: () => (/* binding */ defineRules)
/* harmony export */ });
/* harmony import */ var _read_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7689);
/* harmony import */ var _model_own_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3057);


function defineRules(family, rules) {
    const out = {};
    for (const id of Object.keys(rules)) {
        if (!id.startsWith(`${family}.`))
            throw new Error(`rule ${id} must start with "${family}."`);
        out[id] = { id, family, ...rules[id] };
    }
    return out;
}
/** Make a finding for `spec`, applying the configuration's severity override. Returns null when the rule is off. */
function makeFinding(config, spec, fields) {
    const override = config.rules[spec.id];
    if (override === 'off')
        return null;
    const finding = {
        rule: spec.id,
        family: spec.family,
        severity: override ?? spec.severity,
        title: fields.title ?? spec.title,
        message: fields.message,
        fix: fields.fix ?? spec.fix
    };
    if (fields.observed !== undefined)
        finding.observed = fields.observed;
    if (fields.required !== undefined)
        finding.required = fields.required;
    if (fields.location !== undefined)
        finding.location = fields.location;
    if (fields.evidence !== undefined)
        finding.evidence = fields.evidence;
    if (fields.subject !== undefined)
        finding.subject = fields.subject;
    return finding;
}
/**
 * A finding's fields with every secret in the record text they quote masked (maskSecrets): eval, metric, review
 * and role names, ids, keys and values come from records, and no finding may repeat a secret a record holds
 * (docs/security.md) — whichever family wrote it. Families that know the field a value sits under mask it there
 * too (the AgBOM's name-based checks); masking a masked text changes nothing. The gate's own words pass unchanged.
 */
function masked(fields) {
    const json = maskJson;
    // what people read also shows invisible characters as escapes; the evidence keeps the values as they are
    const text = (t) => (0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .revealInvisible */ .hR)((0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .maskSecrets */ .QU)(t));
    const shown = (v) => (typeof v === 'string' ? (0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .revealInvisible */ .hR)(v) : v);
    const out = { ...fields, message: text(fields.message) };
    if (fields.observed !== undefined)
        out.observed = shown(json(fields.observed));
    if (fields.required !== undefined)
        out.required = shown(json(fields.required));
    if (fields.evidence !== undefined)
        out.evidence = json(fields.evidence);
    if (fields.subject !== undefined)
        out.subject = text(fields.subject);
    if (fields.fix !== undefined)
        out.fix = text(fields.fix);
    if (fields.location?.pointer !== undefined)
        out.location = { ...fields.location, pointer: (0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .maskPointer */ .Ii)(fields.location.pointer) };
    return out;
}
/**
 * A JSON value with every secret in its strings and keys masked. Run over the findings (masked) and over the whole
 * evidence of a decision (evaluate): families copy record values into their evidence (run ids, verdicts, manifest
 * paths, names), and none of it may repeat a secret either.
 */
function maskJson(v) {
    if (typeof v === 'string')
        return (0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .maskSecrets */ .QU)(v);
    if (Array.isArray(v))
        return v.map(maskJson);
    if (v === null || typeof v !== 'object')
        return v;
    const out = {};
    const source = v;
    for (const k of Object.keys(source))
        (0,_model_own_js__WEBPACK_IMPORTED_MODULE_1__/* .setOwn */ .P)(out, (0,_read_text_js__WEBPACK_IMPORTED_MODULE_0__/* .maskSecrets */ .QU)(k), maskJson(source[k]));
    return out;
}
/** Collects findings for one family, each masked (see masked); `add` drops rules that are off. */
class FindingList {
    config;
    items = [];
    constructor(config) {
        this.config = config;
    }
    add(spec, fields) {
        const f = makeFinding(this.config, spec, masked(fields));
        if (f)
            this.items.push(f);
        return f;
    }
}


/***/ }),

/***/ 9918:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dL: () => (/* binding */ findSecrets),
/* harmony export */   pO: () => (/* binding */ Redactor)
/* harmony export */ });
/* unused harmony exports maskSecret, patternMatches */
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2104);
/**
 * Secret detection for records the gate shows to reviewers (the AgBOM first). One pass over every string:
 * well-known credential shapes anywhere, plus passwords and long random-looking values in fields whose
 * name says they hold a secret. Nothing here ever returns a secret itself: callers get a kind, a JSON
 * pointer and a masked form, and a redactor that masks secrets in any text derived from the scanned data.
 */

const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
const UPPER_OR_DIGIT = /^[A-Z0-9]/;
/** What `Basic` credentials decode to: `user:password`, printable. */
const BASIC_CREDENTIAL = /^[\x20-\x7e]*:[\x20-\x7e]+$/;
const SHAPES = [
    {
        group: 'aws',
        kind: 'AWS access key id',
        // no `\b` at the end: a key glued onto letters or onto a second key is still a key (see GLUED)
        source: String.raw `\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}`,
        prefix: (t) => t.slice(0, 4),
        // 20 characters ending an upper-case run, as before; inside a longer upper-case run (`ASIAPACIFICREGIONALHUB`)
        // only with a digit, which a word in capitals lacks and nearly every key id has
        accept: (t, next) => !UPPER_OR_DIGIT.test(next) || HAS_DIGIT.test(t.slice(4))
    },
    {
        group: 'github',
        kind: 'GitHub token',
        source: String.raw `\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
        prefix: (t) => (t.startsWith('github_pat_') ? 'github_pat_' : t.slice(0, 4))
    },
    {
        group: 'pem',
        kind: 'private key',
        // the whole block up to its END line (or the end of the string), so that no part of the body is shown
        // a body (some base64 after the BEGIN line) is required: the masked form, a bare BEGIN line and an ellipsis,
        // is then no secret, so masking a text that was masked already changes nothing
        source: String.raw `-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?=[\s\S]*?[A-Za-z0-9+/]{8})[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)`,
        prefix: (t) => t.slice(0, t.indexOf('-----', 5) + 5),
        tail: false
    },
    {
        group: 'slackhook',
        kind: 'Slack webhook URL',
        source: String.raw `https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{8,}`,
        prefix: () => 'https://hooks.slack.com/'
    },
    {
        group: 'slack',
        kind: 'Slack token',
        // bot, user, app-level (`xapp-`) and the other xox… tokens
        source: String.raw `\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}`,
        prefix: (t) => t.slice(0, 5)
    },
    {
        group: 'stripe',
        kind: 'Stripe key',
        source: String.raw `\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}`,
        prefix: (t) => t.slice(0, t.indexOf('_', 3) + 1)
    },
    {
        group: 'openai',
        kind: 'API key (sk-…)',
        // project/service/admin/Anthropic keys carry a marker; legacy keys are one long alphanumeric run
        source: String.raw `\bsk-(?:(?:proj|svcacct|admin|ant(?:-[a-z0-9]+)?)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,})`,
        prefix: (t) => /^sk-(?:proj|svcacct|admin|ant)-/.exec(t)?.[0] ?? 'sk-',
        accept: (t) => HAS_DIGIT.test(t) && HAS_LETTER.test(t.slice(3))
    },
    {
        group: 'huggingface',
        kind: 'Hugging Face token',
        source: String.raw `\bhf_[A-Za-z0-9]{34,}`,
        prefix: () => 'hf_',
        accept: (t) => HAS_DIGIT.test(t) || /[A-Z]/.test(t.slice(3))
    },
    {
        group: 'gitlab',
        kind: 'GitLab token',
        source: String.raw `\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}`,
        prefix: (t) => t.slice(0, t.indexOf('-') + 1)
    },
    {
        group: 'npm',
        kind: 'npm token',
        source: String.raw `\bnpm_[A-Za-z0-9]{36}`,
        prefix: () => 'npm_'
    },
    {
        group: 'google',
        kind: 'Google API key',
        source: String.raw `\bAIza[0-9A-Za-z_-]{35}`,
        prefix: () => 'AIza'
    },
    {
        group: 'googleoauth',
        kind: 'Google OAuth access token',
        source: String.raw `\bya29\.[0-9A-Za-z_-]{20,}`,
        prefix: () => 'ya29.'
    },
    {
        group: 'authheader',
        kind: 'credential in an authorization header',
        // `Bearer <token>` (a long token with letters and digits) or `Basic <base64 of user:password>`, wherever it is
        // written: a field's name (`capability_token`, `http.header.Authorization`) does not decide it
        source: String.raw `\b(?:Bearer|BEARER|bearer|Basic|BASIC|basic) +[A-Za-z0-9._~+/-]+=*`,
        prefix: (t) => t.slice(0, t.indexOf(' ')) + ' ',
        accept: (t) => {
            const credential = t.slice(t.indexOf(' ')).trim();
            if (/^basic/i.test(t))
                return BASIC_CREDENTIAL.test(Buffer.from(credential, 'base64').toString('latin1'));
            // a known token behind the scheme (`Bearer ghp_…`) is named by its own shape, found on the rescan (the
            // credential holds no space, so this scan uses another of the shared patterns than the one in progress)
            if (patternMatches(credential) !== null)
                return false;
            return credential.length >= 16 && HAS_DIGIT.test(credential) && HAS_LETTER.test(credential);
        },
        // the end of a base64 user:password is the end of the password
        tail: false
    },
    {
        group: 'jwt',
        kind: 'JSON Web Token',
        // header and payload are base64url JSON objects: `{"` is `eyJ`, `{ "` (a space after the brace) is `eyAi`
        source: String.raw `\bey(?:J|Ai)[A-Za-z0-9_-]{8,}\.ey(?:J|Ai)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
        prefix: (t) => t.slice(0, t.startsWith('eyJ') ? 3 : 4),
        // dots are part of a token's alphabet: a second token glued on goes on with dots
        glued: /(?:(?!-----BEGIN )[\w-]|\.(?=[\w-])|:\/\/[^\s"'`<>]*)*/y
    }
];
/** `scheme://user:password@host` */
const URL_USERINFO = String.raw `\b[A-Za-z][A-Za-z0-9+.-]*://(?<uiuser>[^\s/?#@:]*):(?<uipass>[^\s/?#@]+)@`;
/** `?token=…` / `&password=…` in a URL or a connection string; `password=…` anywhere */
const URL_PARAM = String.raw `(?:[?&;](?<qname>password|passwd|pwd|pass|token|access_token|auth_token|refresh_token|id_token|api_key|apikey|api-key|x-api-key|key|secret|client_secret|sig|signature|access-token|private_token|x-amz-security-token|x-amz-signature|x-goog-signature)|(?:^|[\s,"'\x60([{])(?<pname>password|passwd|pwd))=(?<qvalue>[^&#;\s]+)`;
/**
 * The shapes and both URL patterns as one alternation, in that order, scanned once per string. Eight variants:
 * an alternative only where it can match at all (`://` and `@` for userinfo, `=` for a parameter, a space for an
 * authorization header). Most strings hold none of them, and the userinfo alternative, tried at every word, costs
 * more than all the shapes together; leaving out an alternative that cannot match anywhere in the text changes no
 * match.
 */
function combined(userinfo, param, header) {
    const shapes = header ? SHAPES : SHAPES.filter((s) => s.group !== 'authheader');
    const alternatives = shapes.map((s) => `(?<${s.group}>${s.source})`);
    if (userinfo)
        alternatives.push(URL_USERINFO);
    if (param)
        alternatives.push(URL_PARAM);
    return new RegExp(alternatives.join('|'), 'gi');
}
const COMBINED = Array.from({ length: 8 }, (_, i) => combined((i & 1) !== 0, (i & 2) !== 0, (i & 4) !== 0));
const COMPLETE = COMBINED[7];
function combinedFor(text) {
    // userinfo needs both `://` and the `@` after it: references such as `cap://agent/run/step` skip it
    const userinfo = text.includes('://') && text.includes('@');
    const header = text.includes(' ');
    return COMBINED[(userinfo ? 1 : 0) + (text.includes('=') ? 2 : 0) + (header ? 4 : 0)];
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
function gluedEnd(text, end, glued) {
    glued.lastIndex = end;
    glued.exec(text);
    return Math.max(end, glued.lastIndex);
}
/** Values that name a secret rather than hold one: `${TOKEN}`, `{{ secrets.X }}`, `<your-key>`, `****`. */
const PLACEHOLDER = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?|\$\{\{.*\}\}|\{\{.*\}\}|<[^<>]*>|%[A-Za-z_][A-Za-z0-9_]*%|[*xX•.…]+|redacted|\[redacted\]|masked|hidden|none|null|empty|unset)$/i;
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
function nameWords(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== '');
}
/** Field names repeat (every property of every component): classify each name once. */
const nameClasses = new Map();
function classifyName(name) {
    let cls = nameClasses.get(name);
    if (cls === undefined) {
        cls = classifyWords(nameWords(name));
        // a hostile file may use millions of distinct names: the cache is a speed-up, not a store
        if (nameClasses.size >= 10_000)
            nameClasses.clear();
        nameClasses.set(name, cls);
    }
    return cls;
}
function classifyWords(words) {
    let secret = false;
    let password = false;
    for (const w of words) {
        if (NOT_SECRET_WORDS.has(w))
            return null;
        if (PASSWORD_WORDS.has(w))
            password = true;
        else if (SECRET_WORDS.has(w))
            secret = true;
    }
    // `api_key`, `access key` are split in two words
    const joined = words.join('');
    if (!secret && (joined.endsWith('apikey') || joined.endsWith('accesskey')))
        secret = true;
    return password ? 'password' : secret ? 'secret' : null;
}
/** Shannon entropy in bits per character. */
function entropy(text) {
    const counts = new Map();
    for (const ch of text)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / text.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}
/** The masked form of a secret: its well-known prefix, an ellipsis and, for long secrets only, its last four characters. */
function maskSecret(secret, prefix = '', showTail = true) {
    const visiblePrefix = prefix.length <= secret.length / 2 ? prefix : '';
    const tail = showTail && secret.length >= 16 ? secret.slice(-4) : '';
    return `${visiblePrefix}…${tail}`;
}
function isPlaceholder(value) {
    return PLACEHOLDER.test(value.trim());
}
/** A value that points at a secret store or a URL rather than holding the secret: `vault:…`, `env:…`, `arn:…`. */
const REFERENCE = /^(?:vault|env|arn|secret|secrets|secretref|ref|op|ssm|sm|kms|keyvault|akv|gcpsm|k8s|kubernetes|file|https?|s3|gs):/i;
/** False alarms after which a string is scanned again from just inside them (see patternMatches). */
const MAX_RESCANS = 64;
/** An HTTP authorization scheme in front of a single credential. */
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|digest|apikey|api-key)[ \t]+(?=\S+$)/i;
/** Whole-value secrets judged by the field's name: any password, or a long random-looking token/key/secret. */
function nameBasedMatch(value, fieldName) {
    if (fieldName === null)
        return null;
    const cls = classifyName(fieldName);
    if (cls === null)
        return null;
    // `Bearer <token>`: the credential is what follows the scheme (prose, with more words, is still not judged)
    const v = value.trim().replace(AUTH_SCHEME, '');
    if (v === '' || isPlaceholder(v) || REFERENCE.test(v) || /\s/.test(v))
        return null;
    const start = value.indexOf(v);
    if (cls === 'password') {
        if (v.length < 4)
            return null;
        return { kind: 'password', start, end: start + v.length, masked: maskSecret(v) };
    }
    if (v.length < 16 || !HAS_DIGIT.test(v) || !HAS_LETTER.test(v) || entropy(v) < 3)
        return null;
    return { kind: `high-entropy value in "${fieldName}"`, start, end: start + v.length, masked: maskSecret(v) };
}
/**
 * The credential shapes in a string, or null (the common case, so it allocates nothing). `complete` scans with
 * every alternative whatever the text holds (the differential test's reference).
 */
function patternMatches(text, complete = false) {
    let out = null;
    let rescans = 0;
    // exec on a shared global regex: matchAll would clone it for every string scanned
    const pattern = complete ? COMPLETE : combinedFor(text);
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        const match = readMatch(m, text);
        if (match) {
            (out ??= []).push(match);
            // a credential masked with what is glued onto it: go on scanning after the whole run
            if (match.end > pattern.lastIndex)
                pattern.lastIndex = match.end;
        }
        else if (m.groups?.uipass !== undefined) {
            // `https://ghp_…:***@host`: the password is a placeholder, but a token passed as the user name is a token
            const user = m.groups.uiuser ?? '';
            const userStart = m.index + m[0].length - 2 - m.groups.uipass.length - user.length;
            for (const inner of (user.length >= MIN_SECRET_CHARS ? patternMatches(user) : null) ?? []) {
                const shifted = { ...inner, start: inner.start + userStart, end: inner.end + userStart };
                (out ??= []).push(shifted);
            }
        }
        else if (rescans++ < MAX_RESCANS) {
            // any other false alarm must not hide a credential inside it (`HTTPS://HOOKS.SLACK.COM/…/ghp_…` is no Slack
            // hook, in capitals); a hostile string of many false alarms is rescanned a bounded number of times
            pattern.lastIndex = m.index + 1;
        }
    }
    return out;
}
/** What one hit of the combined pattern is, after the checks the pattern cannot express; null for a false alarm. */
function readMatch(m, text) {
    const groups = m.groups ?? {};
    const start = m.index;
    const hit = m[0];
    const shape = SHAPES.find((s) => groups[s.group] !== undefined);
    if (shape) {
        const next = text.charAt(start + hit.length);
        if (!EXACT.get(shape.group).test(hit) || (shape.accept && !shape.accept(hit, next)))
            return null;
        const end = gluedEnd(text, start + hit.length, shape.glued ?? GLUED);
        const run = end === start + hit.length ? hit : text.slice(start, end);
        const masked = maskSecret(run, shape.prefix(run), shape.tail ?? true);
        return { kind: shape.kind, start, end, masked };
    }
    const pass = groups.uipass;
    if (pass !== undefined) {
        if (isPlaceholder(decodeLoosely(pass)))
            return null;
        const passStart = start + hit.length - 1 - pass.length;
        const userStart = passStart - 1 - (groups.uiuser ?? '').length;
        // mask the whole userinfo: a token is often passed as the user name
        return { kind: 'credentials in a URL', start: userStart, end: passStart + pass.length, masked: '****:****' };
    }
    const value = groups.qvalue;
    const name = groups.qname ?? groups.pname;
    if (value === undefined || name === undefined || isPlaceholder(decodeLoosely(value)))
        return null;
    const valueStart = start + hit.length - value.length;
    const kind = `${name.toLowerCase()}= in a URL or connection string`;
    return { kind, start: valueStart, end: valueStart + value.length, masked: '****' };
}
/** Percent-decoding that never throws (`%24%7BTOKEN%7D` is a placeholder too). */
function decodeLoosely(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** Replace each match (non-overlapping, in order) with its masked form. */
function applyMasks(text, matches) {
    let out = '';
    let at = 0;
    for (const m of matches) {
        if (m.start < at)
            continue;
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
function findSecrets(text, fieldName = null) {
    const byName = text.length >= 4 ? nameBasedMatch(text, fieldName) : null;
    const matches = text.length >= MIN_SECRET_CHARS ? patternMatches(text) : null;
    if (byName) {
        // the whole value is the secret; a pattern hit inside it names the kind better
        const kinds = matches ? matches.map((m) => m.kind) : [byName.kind];
        return { kinds: unique(kinds), masked: applyMasks(text, [byName]) };
    }
    if (matches === null)
        return null;
    matches.sort((a, b) => a.start - b.start);
    return { kinds: unique(matches.map((m) => m.kind)), masked: applyMasks(text, matches) };
}
function unique(items) {
    return [...new Set(items)];
}
/** Masks secrets in text shown to people: known secret strings by lookup, anything else by pattern. */
class Redactor {
    known = new Map();
    /** Scan a parsed JSON value; returns the hits in document order and remembers them for `text`. */
    scan(value) {
        const hits = [];
        this.walk(value, null, [], hits);
        return hits;
    }
    /** `text` with every secret masked; `fieldName` is the name the text sits under, when known. */
    text(text, fieldName = null) {
        const known = this.known.get(text);
        if (known !== undefined)
            return known;
        const found = findSecrets(text, fieldName);
        return found ? found.masked : text;
    }
    walk(value, fieldName, path, hits) {
        if (typeof value === 'string') {
            if (value.length < 4)
                return;
            const found = findSecrets(value, fieldName);
            if (found) {
                this.known.set(value, found.masked);
                hits.push({ pointer: toPointer(path), kinds: found.kinds, masked: found.masked });
            }
            return;
        }
        if (value === null || typeof value !== 'object')
            return;
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
        const obj = value;
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
function toPointer(path) {
    return path.map((k) => `/${(0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .pointerSegment */ .LQ)(k)}`).join('');
}


/***/ }),

/***/ 766:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LI: () => (/* binding */ softenIfAwaiting),
/* harmony export */   Rw: () => (/* binding */ signalSources),
/* harmony export */   ci: () => (/* binding */ describeUnevidenced),
/* harmony export */   eg: () => (/* binding */ signalEvidence),
/* harmony export */   hl: () => (/* binding */ unevidencedValues),
/* harmony export */   nu: () => (/* binding */ deriveSignals),
/* harmony export */   oX: () => (/* binding */ signalOf)
/* harmony export */ });
/* unused harmony exports SignalTable, allAwaitingApproval */
/* harmony import */ var _approvals_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7475);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2104);
/* harmony import */ var _globs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3791);



const NO_EVIDENCE = 'no evidence: not derived by `signals:` in the configuration and not asserted in a rollout_assessment record';
function own(map, key) {
    return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}
function strings(value) {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
/** Every signal name this change's records (its gate records merged earlier too) or the standing rollout policy refer to. */
function referencedSignals(ctx) {
    const names = new Set();
    for (const c of (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .changeRecords */ .nJ)(ctx, 'change'))
        for (const r of c.was ? [c.record, c.was] : [c.record])
            for (const s of strings(r.data.change?.required_signals))
                names.add(s);
    for (const { record: r } of (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .changeRecords */ .nJ)(ctx, 'rollout_gate_record'))
        for (const s of strings(r.data.required_checks))
            names.add(s);
    for (const r of [...ctx.head.of('rollout_policy'), ...(0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .replacedPolicies */ .Pk)(ctx)]) {
        for (const s of strings(r.data.rollout?.require))
            names.add(s);
        for (const s of strings(r.data.rollout?.block_if))
            names.add(s);
    }
    return [...names];
}
function derive(ctx, name, evals, approvals) {
    const written = own(ctx.config.signals, name);
    if (written === undefined)
        return null;
    const location = (0,_approvals_js__WEBPACK_IMPORTED_MODULE_0__/* .configLocation */ .yS)(ctx, (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .pointer */ .Wn)('signals', name));
    const at = location ? { location } : {};
    const def = (written !== null && typeof written === 'object' ? written : {});
    if (typeof def.eval === 'string') {
        const ev = evals.find((e) => e.eval === def.eval);
        const verdict = ev?.verdict ?? 'missing';
        return { origin: 'derived', value: verdict === 'pass', source: `eval ${def.eval}: ${verdict}`, ...at };
    }
    if (typeof def.approval === 'string') {
        const role = def.approval;
        if (!ctx.input.approvals.available && ctx.input.approvals.read_failed === true) {
            const why = ctx.input.approvals.unavailable_reason ?? 'the pull request reviews could not be read';
            return {
                origin: 'derived',
                value: null,
                source: `approval ${role}: the reviews could not be read (${why})`,
                approval_unreadable: true,
                ...at
            };
        }
        if (!ctx.input.approvals.available) {
            const why = ctx.input.approvals.unavailable_reason ?? 'approvals unavailable';
            return {
                origin: 'derived',
                value: null,
                source: `approval ${role}: not readable (${why})`,
                awaiting_approval: true,
                ...at
            };
        }
        const ev = approvals.find((a) => a.role === role) ?? (0,_approvals_js__WEBPACK_IMPORTED_MODULE_0__/* .checkRole */ .R1)(ctx, role, []).evidence;
        const state = ev.satisfied ? `approved by ${ev.approved_by.map((u) => '@' + u).join(', ')}` : 'not approved';
        return { origin: 'derived', value: ev.satisfied, source: `approval ${role}: ${state}`, ...at };
    }
    if (typeof def.file === 'string') {
        const paths = ctx.input.head.paths;
        const file = (0,_globs_js__WEBPACK_IMPORTED_MODULE_1__/* .normalizePath */ .Fd)(def.file);
        if (paths === null) {
            return { origin: 'derived', value: null, source: `file ${file}: the head tree was not listed`, ...at };
        }
        const present = paths.some((p) => (0,_globs_js__WEBPACK_IMPORTED_MODULE_1__/* .normalizePath */ .Fd)(p) === file);
        return {
            origin: 'derived',
            value: present,
            source: `file ${file}: ${present ? 'present' : 'absent'} in head`,
            ...at
        };
    }
    return { origin: 'derived', value: null, source: 'configuration: unrecognised signal source', ...at };
}
function assertions(ctx) {
    const out = new Map();
    // this change's assessments: added or updated here, or merged earlier for one of its changes (or for every change)
    // One merged earlier and removed on the head (its base copy) still holds what it asserted against the change — a
    // blocker true, anything else false — but no longer vouches for anything: deleting a blocker does not lift it,
    // and deleting a claim withdraws it.
    const blockers = new Set([...ctx.head.of('rollout_policy'), ...(0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .replacedPolicies */ .Pk)(ctx)].flatMap((p) => strings(p.data.rollout?.block_if)));
    const records = (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .changeRecords */ .nJ)(ctx, 'rollout_assessment').map((e) => e.record);
    for (const r of records) {
        const signals = r.data.signals;
        if (signals === null || typeof signals !== 'object')
            continue;
        const removed = r.source.side === 'base';
        for (const name of Object.keys(signals).sort(_context_js__WEBPACK_IMPORTED_MODULE_2__/* .cmp */ .r2)) {
            const value = signals[name];
            if (typeof value !== 'boolean')
                continue; // the schema requires booleans; anything else is no evidence
            if (removed && value !== blockers.has(name))
                continue;
            const note = own(r.data.evidence, name);
            const obs = {
                origin: 'asserted',
                value,
                source: `asserted in ${r.source.path}${removed ? ' (merged earlier, removed on the head)' : ''}` +
                    (typeof note === 'string' && note !== '' ? ` (${note})` : ''),
                location: (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .locationOf */ .hD)(r, (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .pointer */ .Wn)('signals', name)),
                ...(typeof r.data.change_id === 'string' ? { change_id: r.data.change_id } : {})
            };
            const list = out.get(name);
            if (list)
                list.push(obs);
            else
                out.set(name, [obs]);
        }
    }
    return out;
}
function combine(observations, notApplying = []) {
    const known = observations.filter((o) => o.value !== null);
    // a signal the configuration derives from an approval is the approval's to decide: while it cannot be read,
    // an assertion does not stand in for it
    const awaiting = observations.some((o) => o.awaiting_approval === true);
    const unreadable = observations.some((o) => o.approval_unreadable === true);
    const value = known.some((o) => o.value === false)
        ? false
        : !awaiting && !unreadable && known.some((o) => o.value === true)
            ? true
            : null;
    const conflict = known.some((o) => o.value === true) && known.some((o) => o.value === false);
    const decisive = (value === null ? observations.find((o) => o.awaiting_approval || o.approval_unreadable) : undefined) ??
        known.find((o) => o.value === value) ??
        observations[0];
    let source = decisive ? decisive.source : notApplying.length > 0 ? 'no evidence for this change' : NO_EVIDENCE;
    if (conflict) {
        const others = known.filter((o) => o.value !== value).map((o) => `${o.source} says ${String(o.value)}`);
        source += `; contradicted: ${others.join('; ')}`;
    }
    if (value !== true && notApplying.length > 0)
        source += `; ${describeNotApplying(notApplying)}`;
    return {
        value,
        source,
        observations,
        conflict,
        awaiting_approval: awaiting && value === null,
        not_applying: notApplying
    };
}
/** "asserted true for change chg-x in records/a.yaml (does not apply)" */
function describeNotApplying(list) {
    return list
        .map((o) => o.source.replace(/^asserted in/, `asserted ${String(o.value)} for change ${o.change_id ?? ''} in`) +
        ' (does not apply)')
        .join('; ');
}
/**
 * The signals of one pull request. As a map it holds what the standing rollout policy's `require` reads: each
 * signal as it stands for every change of the pull request (true only when true for each).
 */
class SignalTable extends Map {
    /** the changes the pull request's records are about, sorted */
    changes;
    /** assessments of this change that name a change none of its records is about: they evidence nothing here */
    elsewhere;
    /** what a `block_if` entry reads: a signal true for any change of the pull request */
    blocking;
    derived;
    asserted;
    names;
    scopes = new Map();
    constructor(names, derived, asserted, changes, elsewhere) {
        super();
        this.names = names;
        this.derived = derived;
        this.asserted = asserted;
        this.changes = changes;
        this.elsewhere = elsewhere;
        const blocking = new Map();
        // each change's scope once: the pull request's view and forChange read the same entries
        const ids = changes.length > 0 ? changes : [null];
        const scopes = ids.map((id) => [id, this.forChange(id)]);
        for (const name of names) {
            const perChange = scopes.map(([id, scope]) => [id, scope.get(name)]);
            this.set(name, across(perChange, notTrue));
            blocking.set(name, across(perChange, (e) => (e.value === true ? 0 : notTrue(e))));
        }
        this.blocking = blocking;
    }
    /**
     * The signals of one change: what the gate derives, assertions without a change_id and those naming this
     * change. null: the pull request names no change, so only derived signals and unscoped assertions count.
     */
    forChange(changeId) {
        let scope = this.scopes.get(changeId);
        if (!scope) {
            scope = new Map(this.names.map((n) => [n, this.entryFor(n, changeId)]));
            this.scopes.set(changeId, scope);
        }
        return scope;
    }
    entryFor(name, changeId) {
        const derived = this.derived.get(name);
        const asserted = this.asserted.get(name) ?? [];
        const applies = (o) => o.change_id === undefined || o.change_id === changeId;
        return combine([...(derived ? [derived] : []), ...asserted.filter(applies)], asserted.filter((o) => !applies(o)));
    }
}
/**
 * How strongly an entry that is not true speaks against a `require`: false first, then unknown, and last
 * unknown only because an approval cannot be read yet (so a false elsewhere is never softened to a follow-up).
 */
function notTrue(e) {
    return e.value === true ? Infinity : e.value === false ? 1 : e.awaiting_approval ? 3 : 2;
}
/**
 * One entry from each change's: when they all agree, the first; otherwise the first entry of the lowest `rank`
 * (Infinity: it decides nothing), its source naming the change.
 */
function across(perChange, rank) {
    const [firstId, first] = perChange[0];
    if (perChange.every(([, e]) => e.value === first.value && e.source === first.source))
        return first;
    let best = [firstId, first];
    let bestRank = Infinity;
    for (const [id, e] of perChange) {
        const r = rank(e);
        if (r < bestRank)
            [best, bestRank] = [[id, e], r];
    }
    const [id, entry] = best;
    return { ...entry, source: `for change ${id ?? '(none)'}: ${entry.source}` };
}
/** The signal table for this change: every signal derived, asserted or referenced, by name. */
function deriveSignals(ctx, evals, approvals) {
    const asserted = assertions(ctx);
    const names = [
        ...new Set([...Object.keys(ctx.config.signals ?? {}), ...asserted.keys(), ...referencedSignals(ctx)])
    ].sort(_context_js__WEBPACK_IMPORTED_MODULE_2__/* .cmp */ .r2);
    const derived = new Map(names.map((name) => [name, derive(ctx, name, evals, approvals)]));
    const changes = (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .changeIds */ .zF)(ctx);
    const elsewhere = ctx
        .active('rollout_assessment')
        .filter((r) => typeof r.data.change_id === 'string' && !changes.includes(r.data.change_id))
        .sort((a, b) => (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .cmp */ .r2)(a.source.path, b.source.path));
    return new SignalTable(names, derived, asserted, changes, elsewhere);
}
/** A signal's entry; unknown signals are null with "no evidence". */
function signalOf(table, name) {
    return (table.get(name) ?? {
        value: null,
        source: NO_EVIDENCE,
        observations: [],
        conflict: false,
        awaiting_approval: false,
        not_applying: []
    });
}
/** "false: eval x: fail" / "unknown: no evidence …" */
function describeSignal(table, name) {
    const e = signalOf(table, name);
    return `${e.value === null ? 'unknown' : String(e.value)}: ${e.source}`;
}
/**
 * Signals that are not evidenced true, for a message: each with its value and source, and those
 * without any evidence grouped at the end so a long list stays readable.
 */
function describeUnevidenced(table, names) {
    const without = names.filter((n) => signalOf(table, n).source === NO_EVIDENCE);
    const parts = names.filter((n) => !without.includes(n)).map((n) => `${n} (${describeSignal(table, n)})`);
    if (without.length > 0) {
        parts.push(`${without.join(', ')} (no evidence: not derived by \`signals:\` in the configuration and not asserted in ` +
            'a rollout_assessment record)');
    }
    return parts.join('; ');
}
/** A finding's observed and required values for signals not evidenced true: what each is, and true for each. */
function unevidencedValues(table, names) {
    return {
        observed: Object.fromEntries(names.map((n) => [n, signalOf(table, n).value])),
        required: Object.fromEntries(names.map((n) => [n, true]))
    };
}
/** Each signal's value and where it comes from, for a finding's evidence. */
function signalSources(table, names) {
    return names.map((signal) => ({
        signal,
        value: signalOf(table, signal).value,
        source: signalOf(table, signal).source
    }));
}
function signalEvidence(table) {
    return [...table.entries()]
        .sort(([a], [b]) => (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .cmp */ .r2)(a, b))
        .map(([name, e]) => ({ name, value: e.value, source: e.source }));
}
/** Every name is unevidenced only because approvals cannot be read yet: a person's action, not a blocker. */
function allAwaitingApproval(table, names) {
    return names.length > 0 && names.every((n) => signalOf(table, n).awaiting_approval);
}
/** Blocking findings caused only by unreadable approvals become follow-ups (a configured severity below deny stays). */
function softenIfAwaiting(finding, table, names) {
    if (finding && finding.severity === 'deny' && allAwaitingApproval(table, names)) {
        finding.severity = 'follow_up';
        finding.message +=
            " These signals come from approvals, which cannot be read here: they need the pull request's reviews.";
    }
}


/***/ }),

/***/ 1300:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ FAMILIES)
/* harmony export */ });
const FAMILIES = ['review', 'rollout', 'evals', 'drift', 'agbom', 'approvals', 'integrity'];


/***/ }),

/***/ 3057:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ setOwn)
/* harmony export */ });
/**
 * Sets `key` on a plain object as an own data property. Plain assignment would call Object.prototype's
 * `__proto__` setter for a key of that name (a record may have one) and lose it; every other key is assigned
 * plainly, which is much faster than defining each property (large evidence and documents are copied this way).
 */
function setOwn(target, key, value) {
    if (key === '__proto__') {
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    }
    else
        target[key] = value;
}


/***/ }),

/***/ 369:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $8: () => (/* binding */ inheritsEnumerable),
/* harmony export */   Rn: () => (/* binding */ colonCount),
/* harmony export */   XH: () => (/* binding */ unescapedPlain)
/* harmony export */ });
/**
 * Counting what JSON.parse merges: every ':' of a JSON text outside strings separates one member, so a text with as
 * many ':' as its parsed value has members merged no duplicate key. Kept apart from parse.ts (and the YAML parser)
 * because the thread that reads large results files in parallel loads this alone.
 */
/**
 * plainJson's answer for a text without a backslash whose parsed value the caller has walked itself, finding
 * `members` members (nothing inherited counted), no number beyond 2^53 and a nesting well within MAX_DEPTH:
 * whether JSON.parse merged no duplicate key (and no string holds a ':', which only plainJson can tell apart).
 */
function unescapedPlain(text, members) {
    return !inheritsEnumerable() && colonCount(text) === members;
}
/** Whether Object.prototype has an enumerable property (someone's bug), which for-in would count. */
function inheritsEnumerable() {
    for (const _ in Object.prototype)
        return true;
    return false;
}
/** The ':' in a text. */
function colonCount(text) {
    let n = 0;
    for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1))
        n++;
    return n;
}


/***/ }),

/***/ 373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ ordinaryCaseMembers)
/* harmony export */ });
/**
 * The ordinary per-case line (schemas/eval_case_line.schema.json), recognised by a direct walk of its parsed value.
 * Kept apart from validate.ts (and its generated validators) because the thread that reads large results files in
 * parallel loads this alone.
 */
/**
 * The members of an ordinary case line (its fields plus its metrics, what plainJson counts), or -1 when the line
 * is not ordinary. Ordinary numbers are also within 2^53, as plain JSON's are: the reader's fast path walks each
 * line once, for both questions.
 */
function ordinaryCaseMembers(value, printable = false) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return -1;
    const line = value;
    let required = 0;
    let members = 0;
    for (const key in line) {
        const v = line[key];
        members++;
        switch (key) {
            case 'eval':
            case 'case_id':
                if (!isAsciiId(v, printable))
                    return -1;
                required++;
                break;
            case 'metrics': {
                const metrics = ordinaryMetrics(v, printable);
                if (metrics < 0)
                    return -1;
                members += metrics;
                required++;
                break;
            }
            case 'cost_usd':
            case 'latency_ms':
                if (typeof v !== 'number' || !(v >= 0) || v > Number.MAX_SAFE_INTEGER)
                    return -1;
                break;
            default:
                return -1;
        }
    }
    return required === 3 && Object.getPrototypeOf(line) === Object.prototype ? members : -1;
}
function ordinaryMetrics(value, printable) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return -1;
    let members = 0;
    for (const name in value) {
        if (!isAsciiId(name, printable))
            return -1;
        const v = value[name];
        if (typeof v === 'number' ? !(Math.abs(v) <= Number.MAX_SAFE_INTEGER) : typeof v !== 'boolean')
            return -1;
        members++;
    }
    return members;
}
/**
 * 1–256 printable ASCII characters, the first and last not a space: what the schema's `id` accepts, in ASCII.
 * Of U+0020–U+007F only the space is whitespace and none is a line break, so for a `printable` string the ends
 * are all there is to check.
 */
function isAsciiId(value, printable) {
    if (typeof value !== 'string')
        return false;
    const n = value.length;
    if (n === 0 || n > 256 || value.charCodeAt(0) === 0x20 || value.charCodeAt(n - 1) === 0x20)
        return false;
    if (printable)
        return true;
    for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}


/***/ }),

/***/ 379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HV: () => (/* binding */ NOT_PLAIN),
/* harmony export */   Kb: () => (/* binding */ excerpt),
/* harmony export */   Tp: () => (/* binding */ parseDocument),
/* harmony export */   XH: () => (/* reexport safe */ _json_colons_js__WEBPACK_IMPORTED_MODULE_2__.XH),
/* harmony export */   _y: () => (/* binding */ plainValue)
/* harmony export */ });
/* unused harmony exports MAX_DEPTH, plainJson, LineIndex, jsonResolvers */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _json_colons_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(369);
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7689);
/* harmony import */ var _model_own_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3057);
/**
 * One file's text → a plain value plus a locator (JSON pointer → line/column).
 *
 * The rules are strict because records are written by anyone who opens a pull request:
 * - YAML is read as YAML 1.2, core schema, whatever the file says: a `%YAML 1.1` directive is rejected
 *   (in 1.1, `no` and `on` are booleans; reading them as 1.2 strings would silently change the record);
 *   anchors and aliases (alias bombs), merge keys, tags other than the core ones, several documents and
 *   duplicate keys are rejected.
 * - JSON is strict JSON, and duplicate keys are rejected (JSON.parse would silently keep the last one).
 * - Both: nesting deeper than MAX_DEPTH is rejected before any recursive code runs; integers beyond
 *   2^53 and non-finite numbers are rejected with a "quote it" hint; `__proto__` and `constructor`
 *   keys stay plain own properties.
 * Messages never echo more than a short, sanitized excerpt of the file, and never a secret it holds: every excerpt is
 * masked (maskSecrets) before it is clipped, since a clipped secret may no longer look like one. Masking runs on the
 * message paths only, never per value.
 */





/** Deepest nesting of mappings/sequences (objects/arrays) a record may have. */
const MAX_DEPTH = 64;
const TOO_COMPLEX = 'is too deeply nested or too complex to read';
/** At most this many syntax errors are reported per file (a broken file cascades); other issues are all kept. */
const MAX_SYNTAX_ISSUES = 20;
function parseDocument(text, file, format, options = {}) {
    const lines = new LineIndex(text);
    const maxDepth = options.maxDepth ?? MAX_DEPTH;
    try {
        return format === 'yaml' ? parseYaml(text, file, lines, maxDepth) : parseJson(text, file, lines, maxDepth);
    }
    catch (error) {
        // A stack overflow in any parser is the input's fault (it is too deeply nested or too complex),
        // reported like any other parse error. Anything else is a bug and propagates.
        if (error instanceof RangeError) {
            return {
                ok: false,
                issues: [
                    {
                        code: `${format}.too-complex`,
                        message: TOO_COMPLEX,
                        file,
                        line: 1,
                        column: 1,
                        hint: `records nest at most ${maxDepth} levels deep`
                    }
                ]
            };
        }
        throw error;
    }
}
/**
 * Where two things are, for a message: lines when they differ, else columns (a JSON Lines line is read as a text of
 * its own, so its "line 1" is not the file's line; the issue's location says which line it is).
 */
function twoPlaces(a, b) {
    return a.line === b.line
        ? `at columns ${a.column} and ${b.column} of the line`
        : `at line ${a.line} and line ${b.line}`;
}
/** What plainJson answers when a text needs the strict scanner instead. */
const NOT_PLAIN = Symbol('not plain JSON');
/**
 * JSON.parse alone, when the text is JSON that the strict scanner (below) would accept without a problem;
 * else NOT_PLAIN. This is the fast path of every JSON record and of each line of JSON Lines: the scanner's
 * checking pass runs only on texts that fail here. What JSON.parse hides is checked on its result:
 * - nesting deeper than maxDepth;
 * - numbers beyond 2^53: an unsafe integer, or one that overflows to Infinity, parses to one;
 * - duplicate keys, which JSON.parse silently merges. Every ':' of a JSON text outside strings separates a
 *   member, so the text's ':' plus its escaped ones (\u003a, inside strings) equal the parsed members plus the
 *   ':' in the parsed keys and strings; a merged key leaves the parsed side short. When the text has no escape
 *   and as many ':' as members, no string holds one and the strings need not be looked at.
 * The value is the same JSON.parse value the slow path gives.
 */
function plainJson(text, maxDepth = MAX_DEPTH) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return NOT_PLAIN;
    }
    return plainValue(text, value, maxDepth);
}
/** plainJson for a text the caller has already given to JSON.parse: `value` is what it answered. */
function plainValue(text, value, maxDepth = MAX_DEPTH) {
    if (typeof value !== 'object' || value === null)
        return plainItem(value, 0, maxDepth) < 0 ? NOT_PLAIN : value;
    if ((0,_json_colons_js__WEBPACK_IMPORTED_MODULE_2__/* .inheritsEnumerable */ .$8)())
        return NOT_PLAIN;
    const members = plainMembers(value, 0, maxDepth);
    if (members < 0)
        return NOT_PLAIN;
    const colons = (0,_json_colons_js__WEBPACK_IMPORTED_MODULE_2__/* .colonCount */ .Rn)(text);
    if (colons === members && text.indexOf('\\') < 0)
        return value;
    return colons + escapedColons(text) === members + stringColons(value) ? value : NOT_PLAIN;
}
/** Members in a parsed value; -1 when it nests too deep or holds a number beyond 2^53. */
function plainMembers(value, depth, maxDepth) {
    if (depth >= maxDepth)
        return -1;
    let members = 0;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const inner = plainItem(value[i], depth, maxDepth);
            if (inner < 0)
                return -1;
            members += inner;
        }
        return members;
    }
    // for-in, not Object.keys: no array per object (plainJson has made sure nothing is inherited)
    for (const key in value) {
        const inner = plainItem(value[key], depth, maxDepth);
        if (inner < 0)
            return -1;
        members += 1 + inner;
    }
    return members;
}
function plainItem(item, depth, maxDepth) {
    if (typeof item === 'number')
        return Math.abs(item) <= Number.MAX_SAFE_INTEGER ? 0 : -1;
    if (typeof item === 'object' && item !== null)
        return plainMembers(item, depth + 1, maxDepth);
    return 0;
}
/** The ':' inside the keys and string values of a parsed value (plainJson has made sure nothing is inherited). */
function stringColons(value) {
    if (typeof value === 'string')
        return (0,_json_colons_js__WEBPACK_IMPORTED_MODULE_2__/* .colonCount */ .Rn)(value);
    if (value === null || typeof value !== 'object')
        return 0;
    let colons = 0;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
            colons += stringColons(value[i]);
        return colons;
    }
    for (const key in value)
        colons += (0,_json_colons_js__WEBPACK_IMPORTED_MODULE_2__/* .colonCount */ .Rn)(key) + stringColons(value[key]);
    return colons;
}
/** The escapes that stand for ':' (\u003a, any case) in a valid JSON text, where a backslash only starts an escape. */
function escapedColons(text) {
    let n = 0;
    for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i)) {
        if (text.charCodeAt(i + 1) === 0x75 /* u */) {
            if (text.slice(i + 2, i + 6).toLowerCase() === '003a')
                n++;
            i += 6;
        }
        else
            i += 2;
    }
    return n;
}
// ---------------------------------------------------------------------------------------------------
// Shared helpers
/**
 * Offsets → 1-based line/column (column in UTF-16 code units). Line starts are found on demand, only as far
 * into the text as an offset asked for: locating a finding near the top of a large file reads little of it.
 * Only every 1,024th line start is kept (a 33 MB AgBOM has 1.6 million lines); a position is counted from the
 * nearest kept start before it.
 */
class LineIndex {
    text;
    stride;
    /** where lines 1, 1 + stride, 1 + 2 × stride … start */
    checkpoints = new Int32Array(64);
    kept = 1;
    /** line starts found so far, and where the last one is */
    lines = 1;
    last = 0;
    /** where the search for the next line start resumes; -1 once the whole text is indexed */
    scanned = 0;
    /** `stride`: a test sets a small one, so that short texts cross many checkpoints */
    constructor(text, stride = 1024) {
        this.text = text;
        this.stride = stride;
    }
    position(offset) {
        const at = Math.max(0, Math.min(offset, this.text.length));
        this.indexTo(at);
        const cp = this.checkpoints;
        let lo = 0;
        let hi = this.kept - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (cp[mid] <= at)
                lo = mid;
            else
                hi = mid - 1;
        }
        let line = lo * this.stride + 1;
        let start = cp[lo];
        for (;;) {
            const newline = this.text.indexOf('\n', start);
            if (newline < 0 || newline >= at)
                break;
            line++;
            start = newline + 1;
        }
        return { line, column: at - start + 1 };
    }
    /** Finds line starts until one lies beyond `at` (or the text ends). */
    indexTo(at) {
        // locals, not fields, in the loop: it may run over millions of lines before a finding near the end
        const text = this.text;
        const stride = this.stride;
        let { checkpoints, kept, lines, last, scanned } = this;
        while (scanned >= 0 && last <= at) {
            const newline = text.indexOf('\n', scanned);
            if (newline < 0) {
                scanned = -1;
                break;
            }
            last = scanned = newline + 1;
            if (lines++ % stride === 0) {
                if (kept === checkpoints.length) {
                    const grown = new Int32Array(kept * 2);
                    grown.set(checkpoints);
                    checkpoints = grown;
                }
                checkpoints[kept++] = last;
            }
        }
        this.checkpoints = checkpoints;
        this.kept = kept;
        this.lines = lines;
        this.last = last;
        this.scanned = scanned;
    }
}
/** A short, printable, single-line excerpt of user text for messages: control characters escaped, length capped. */
function excerpt(value, max = 40) {
    const chars = [...value];
    const clipped = chars.length > max ? chars.slice(0, max) : chars;
    let out = '';
    for (const ch of clipped) {
        const code = ch.codePointAt(0);
        if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
            out += code === 0x0a ? '\\n' : code === 0x09 ? '\\t' : `\\u${code.toString(16).padStart(4, '0')}`;
        }
        else if (code === 0xfeff || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e)) {
            // invisible and bidirectional controls could disguise the excerpt
            out += `\\u${code.toString(16).padStart(4, '0')}`;
        }
        else
            out += ch;
    }
    return chars.length > max ? `${out}…` : out;
}
/**
 * Record text as a message quotes it: secrets masked first, then the excerpt (see excerpt). `fieldName` is the key the
 * text sits under, when known: it enables the name-based checks (a password, a long random value under `api_key`).
 */
function shown(value, max, fieldName = null) {
    return excerpt((0,_text_js__WEBPACK_IMPORTED_MODULE_1__/* .maskSecrets */ .QU)(value, fieldName), max);
}
/**
 * The name a value at `pointer` sits under, for the name-based secret checks: its key, or for a list item the key
 * of the list (as the AgBOM's secret scan reads it). Only for messages: pointers are not parsed on the value paths.
 */
function fieldOf(pointer) {
    const segments = pointer.split('/');
    for (let i = segments.length - 1; i > 0; i--) {
        const seg = segments[i];
        if (!/^(?:0|[1-9][0-9]*)$/.test(seg))
            return seg.replace(/~1/g, '/').replace(/~0/g, '~');
    }
    return null;
}
/** One JSON pointer segment (RFC 6901). */
function segment(key) {
    return typeof key === 'number' ? String(key) : key.replace(/~/g, '~0').replace(/\//g, '~1');
}
/** Walk a pointer up to the nearest ancestor the map knows. */
function nearest(map, pointer) {
    let p = pointer;
    for (;;) {
        const hit = map.get(p);
        if (hit !== undefined)
            return hit;
        if (p === '')
            return undefined;
        const cut = p.lastIndexOf('/');
        p = cut <= 0 ? '' : p.slice(0, cut);
    }
}
const INTEGER_LITERAL = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
/** `pointer` is where the number is: the name it sits under masks it as a secret would be (a long `pin`, a `password`). */
function numberProblem(value, source, quote, pointer) {
    // the excerpt is built only for a problem: this runs on every long number of the strict scanner
    if (!Number.isFinite(value)) {
        const literal = shown(source, 40, fieldOf(pointer));
        return {
            code: 'non-finite',
            message: `${literal} is not a finite number`,
            hint: `numbers in records must be finite; if this is text, quote it: ${quote}${literal}${quote}`
        };
    }
    if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER && INTEGER_LITERAL.test(source.trim())) {
        const literal = shown(source, 40, fieldOf(pointer));
        return {
            code: 'unsafe-integer',
            message: `${literal} is an integer larger than 2^53 − 1 (${Number.MAX_SAFE_INTEGER}) and cannot be read exactly`,
            hint: `quote it: ${quote}${literal}${quote}`
        };
    }
    return null;
}
// ---------------------------------------------------------------------------------------------------
// YAML
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));
function showTag(tag) {
    if (tag.startsWith('tag:yaml.org,2002:'))
        return `!!${shown(tag.slice('tag:yaml.org,2002:'.length), 40)}`;
    return tag.startsWith('!') ? shown(tag, 40) : `!<${shown(tag, 40)}>`;
}
function parseYaml(text, file, lines, maxDepth) {
    const issues = [];
    const at = (offset, code, message, hint, pointer) => {
        const issue = { code, message, file, ...lines.position(offset) };
        if (pointer !== undefined)
            issue.pointer = pointer;
        if (hint !== undefined)
            issue.hint = hint;
        issues.push(issue);
    };
    // The parser slows down sharply on deep nesting (a megabyte of "[" takes seconds), so nesting is
    // bounded first with the linear lexer; the exact depth is checked on the parsed tokens below.
    const tooDeep = lexicalNesting(text, maxDepth);
    if (tooDeep !== null) {
        at(tooDeep, 'yaml.too-deep', `nests mappings/sequences more than ${maxDepth} levels deep`, `records nest at most ${maxDepth} levels deep`);
        return { ok: false, issues };
    }
    const tokens = [...new yaml__WEBPACK_IMPORTED_MODULE_0__/* .Parser */ .iX().parse(text)];
    let documents = 0;
    for (const token of tokens) {
        if (token.type === 'directive')
            checkDirective(token, at);
        if (token.type === 'document') {
            documents++;
            if (documents === 2) {
                at(token.offset, 'yaml.multiple-documents', 'contains more than one YAML document (a "---" separator); a record file holds exactly one', 'split the documents into separate files');
            }
            const deep = deepestCollection(token, maxDepth);
            if (deep) {
                at(deep.offset, 'yaml.too-deep', `nests mappings/sequences more than ${maxDepth} levels deep`, `records nest at most ${maxDepth} levels deep`);
            }
        }
    }
    if (issues.length > 0)
        return { ok: false, issues };
    const composer = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .Composer */ .Dk({
        version: '1.2',
        schema: 'core',
        merge: false,
        uniqueKeys: false, // duplicates are reported below, naming both lines
        resolveKnownTags: false,
        strict: true,
        prettyErrors: false,
        intAsBigInt: false,
        keepSourceTokens: false
    });
    const docs = [...composer.compose(tokens, true, text.length)];
    const doc = docs[0];
    if (!doc)
        return { ok: true, value: null, locate: () => ({ line: 1, column: 1 }), sourceOf: () => undefined };
    const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')];
    for (const problem of syntax.slice(0, MAX_SYNTAX_ISSUES)) {
        const message = problem.message.split('\n')[0] ?? '';
        // the composer catches its own stack overflow and reports it as an error of the document
        if (/call stack/i.test(message))
            at(problem.pos[0], 'yaml.too-complex', TOO_COMPLEX, `records nest at most ${maxDepth} levels deep`);
        // the parser's messages quote the source ("Not a YAML token: …"); a line longer than 4,096 characters is cut
        // first, for speed (a secret starting within the 160 shown is still whole enough to recognise)
        else
            at(problem.pos[0], 'yaml.syntax', `YAML syntax error: ${shown(message.slice(0, 4096), 160)}`);
    }
    if (syntax.length > MAX_SYNTAX_ISSUES) {
        at(syntax[MAX_SYNTAX_ISSUES].pos[0], 'yaml.syntax', `and ${syntax.length - MAX_SYNTAX_ISSUES} more YAML syntax errors`);
    }
    if (issues.length > 0)
        return { ok: false, issues };
    const converted = new YamlConverter(text, lines, at).convertDocument(doc);
    if (issues.length > 0)
        return { ok: false, issues };
    const { value, offsets, scalarRanges } = converted;
    return {
        ok: true,
        value,
        locate: (pointer) => {
            const offset = nearest(offsets, pointer);
            return offset === undefined ? undefined : lines.position(offset);
        },
        sourceOf: (pointer) => {
            const range = scalarRanges.get(pointer);
            return range ? text.slice(range[0], range[1]) : undefined;
        }
    };
}
function checkDirective(token, at) {
    const source = token.source.replace(/\s+#.*$/, '').trim();
    const yamlVersion = /^%YAML[ \t]+(\S+)$/.exec(source);
    if (yamlVersion) {
        if (yamlVersion[1] === '1.2')
            return;
        at(token.offset, 'yaml.directive', `declares ${shown(source, 20)}; records are read as YAML 1.2 only`, 'remove the directive; in YAML 1.2 `no`, `yes`, `on` and `off` are strings, so write booleans as true/false');
        return;
    }
    if (source.startsWith('%TAG')) {
        at(token.offset, 'yaml.directive', 'declares a %TAG directive; records do not use custom tags', 'remove the directive');
        return;
    }
    at(token.offset, 'yaml.directive', `has an unknown directive ${shown(source, 20)}`, 'remove the directive');
}
/** Lexer tokens that mark what follows and stand for no source text. */
const SYNTHETIC_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);
/**
 * The offset where flow brackets, or block indicators on one line ("- - - x"), nest deeper than maxDepth,
 * or null. An upper bound on neither is needed for indentation: nesting by indentation costs a line per level.
 */
function lexicalNesting(text, maxDepth) {
    let offset = 0;
    let flow = 0;
    let compact = 0;
    let scalarNext = false;
    for (const token of new yaml__WEBPACK_IMPORTED_MODULE_0__/* .Lexer */ .JG().lex(text)) {
        if (scalarNext) {
            scalarNext = false; // a scalar's own text: brackets in it are characters
        }
        else if (token === '\u001f') {
            scalarNext = true;
        }
        else if (token === '[' || token === '{') {
            if (++flow > maxDepth)
                return offset;
        }
        else if (token === ']' || token === '}') {
            if (flow > 0)
                flow--;
        }
        else if ((token === '-' || token === '?') && flow === 0) {
            if (++compact > maxDepth)
                return offset;
        }
        else if (token === '\n' || token === '\r\n') {
            compact = 0;
        }
        if (!SYNTHETIC_TOKENS.has(token))
            offset += token.length;
    }
    return null;
}
/** The first collection token nested deeper than maxDepth, found without recursion. */
function deepestCollection(document, maxDepth) {
    const stack = [];
    if (document.value)
        stack.push([document.value, 0]);
    while (stack.length > 0) {
        const [token, depth] = stack.pop();
        if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
            continue;
        const inner = depth + 1;
        if (inner > maxDepth)
            return { offset: token.offset };
        for (const item of token.items) {
            if (item.key)
                stack.push([item.key, inner]);
            if (item.value)
                stack.push([item.value, inner]);
        }
    }
    return null;
}
class YamlConverter {
    text;
    lines;
    at;
    offsets = new Map();
    scalarRanges = new Map();
    constructor(text, lines, at) {
        this.text = text;
        this.lines = lines;
        this.at = at;
    }
    convertDocument(doc) {
        const root = doc.contents;
        this.offsets.set('', root ? root.range[0] : 0);
        const value = root ? this.convert(root, '') : null;
        return { value, offsets: this.offsets, scalarRanges: this.scalarRanges };
    }
    /** Recursion is bounded: the CST was checked against MAX_DEPTH before composing. */
    convert(node, pointer) {
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node)) {
            this.at(node.range[0], 'yaml.alias', `uses the alias *${shown(node.source, 30)}; aliases are not allowed in records`, 'write the value out in full (aliases can expand exponentially: an "alias bomb")', pointer);
            return null;
        }
        if (node.anchor) {
            this.at(node.range[0], 'yaml.anchor', `defines the anchor &${shown(node.anchor, 30)}; anchors and aliases are not allowed in records`, 'remove the anchor and write every value out in full', pointer);
        }
        if (node.tag && !CORE_TAGS.has(node.tag)) {
            this.at(node.range[0], 'yaml.tag', `uses the tag ${showTag(node.tag)}; records allow only plain YAML 1.2 values`, 'remove the tag; write a string, number, boolean, null, mapping or list (quote text that looks like something else)', pointer);
            return null;
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node)) {
            const out = {};
            const seen = new Map();
            for (const pair of node.items) {
                const keyNode = pair.key;
                const key = this.keyOf(keyNode, pointer, node.range[0]);
                if (key === null)
                    continue;
                const { name, offset } = key;
                const child = `${pointer}/${segment(name)}`;
                const first = seen.get(name);
                if (first !== undefined) {
                    const a = this.lines.position(first);
                    const b = this.lines.position(offset);
                    this.at(offset, 'yaml.duplicate-key', `has the key "${shown(name, 40)}" twice in one mapping: ${twoPlaces(a, b)}`, 'keep one of them; a YAML mapping cannot hold the same key twice', child);
                    continue;
                }
                seen.set(name, offset);
                this.offsets.set(child, offset);
                const valueNode = pair.value;
                (0,_model_own_js__WEBPACK_IMPORTED_MODULE_3__/* .setOwn */ .P)(out, name, valueNode ? this.convert(valueNode, child) : null);
            }
            return out;
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node)) {
            const out = [];
            node.items.forEach((item, index) => {
                const child = `${pointer}/${index}`;
                const itemNode = item;
                if (itemNode)
                    this.offsets.set(child, itemNode.range[0]);
                out.push(itemNode ? this.convert(itemNode, child) : null);
            });
            return out;
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node))
            return this.scalar(node, pointer);
        this.at(0, 'yaml.syntax', 'contains a YAML node of an unknown type', undefined, pointer);
        return null;
    }
    scalar(node, pointer) {
        this.scalarRanges.set(pointer, [node.range[0], node.range[1]]);
        const value = node.value;
        if (typeof value === 'number') {
            const problem = numberProblem(value, this.text.slice(node.range[0], node.range[1]), '"', pointer);
            if (problem)
                this.at(node.range[0], `yaml.${problem.code}`, problem.message, problem.hint, pointer);
            return value;
        }
        if (value === null || typeof value === 'string' || typeof value === 'boolean')
            return value;
        this.at(node.range[0], 'yaml.tag', 'holds a value that is not a string, number, boolean or null', undefined, pointer);
        return null;
    }
    /** The key of a mapping entry as a string, or null (after reporting) when it is not a plain scalar. */
    keyOf(keyNode, pointer, mapOffset) {
        if (!keyNode) {
            this.at(mapOffset, 'yaml.empty-key', 'has a mapping entry without a key', 'write a key before the colon', pointer);
            return null;
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(keyNode) || !(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(keyNode)) {
            if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(keyNode))
                this.convert(keyNode, pointer);
            else {
                this.at(keyNode.range[0], 'yaml.complex-key', 'uses a mapping or list as a key; record keys are strings', 'write the key as plain text', pointer);
            }
            return null;
        }
        if (keyNode.anchor || (keyNode.tag && !CORE_TAGS.has(keyNode.tag))) {
            this.convert(keyNode, pointer);
            return null;
        }
        const offset = keyNode.range[0];
        const plain = keyNode.type === 'PLAIN';
        const name = typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? this.text.slice(offset, keyNode.range[1]));
        if (plain && name === '<<') {
            this.at(offset, 'yaml.merge-key', 'uses a merge key (<<); merge keys are not allowed in records', 'write the merged fields out in full', pointer);
            return null;
        }
        if (plain && name === '' && keyNode.value === null) {
            this.at(offset, 'yaml.empty-key', 'has a mapping entry without a key', 'write a key before the colon', pointer);
            return null;
        }
        return { name: String(name), offset };
    }
}
function parseJson(text, file, lines, maxDepth) {
    let value = plainJson(text, maxDepth);
    if (value === NOT_PLAIN) {
        const scan = new JsonScanner(text, maxDepth, lines).run();
        const toIssue = (p) => {
            const issue = { code: p.code, message: p.message, file, ...lines.position(p.offset) };
            if (p.pointer !== undefined)
                issue.pointer = p.pointer;
            if (p.hint !== undefined)
                issue.hint = p.hint;
            return issue;
        };
        if (scan.length > 0)
            return { ok: false, issues: scan.map(toIssue) };
        try {
            value = JSON.parse(text);
        }
        catch {
            // The scanner accepts exactly JSON; a disagreement is reported, never passed through.
            return { ok: false, issues: [toIssue({ offset: 0, code: 'json.syntax', message: 'is not valid JSON' })] };
        }
    }
    // Pointers are resolved by walking the text, which records the children of each container it passes through
    // so that later pointers resume where earlier ones stopped; a walk that has rescanned too much hands over to
    // the full structure index. An AgBOM may be tens of megabytes with two findings near its end, and most files
    // need no location at all. The parsed value tells the walker how long each list is, so that it can come from
    // a list's end when the item is nearer to it.
    let walker = null;
    let index = null;
    const parsed = value;
    const resolve = (pointer) => {
        if (index === null) {
            walker ??= new JsonWalker(text, parsed);
            const place = walker.place(pointer);
            if (place !== null)
                return place;
            walker = null;
            index = JsonIndex.of(text);
        }
        return index.place(pointer);
    };
    return {
        ok: true,
        value,
        locate: (pointer) => lines.position(resolve(pointer).location),
        sourceOf: (pointer) => {
            const place = resolve(pointer);
            return place.exact ? scalarSource(text, place.value) : undefined;
        }
    };
}
/** Both ways of resolving pointers in one text, for the differential test that keeps them the same. */
function jsonResolvers(text) {
    const walker = new JsonWalker(text, JSON.parse(text));
    const index = JsonIndex.of(text);
    return {
        walk: (pointer) => walker.place(pointer),
        index: (pointer) => index.place(pointer),
        scanned: () => walker.scanned
    };
}
/** The keys of a JSON pointer that starts with "/", unescaped (RFC 6901: ~1 is "/", ~0 is "~"). */
function pointerKeys(pointer) {
    return pointer
        .slice(1)
        .split('/')
        .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}
/** An integer-like key: JSON.parse's objects enumerate these first, whatever order they were written in. */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
/**
 * Resolves pointers in a text JSON.parse accepted by walking it: values off the path are skipped (strings with
 * indexOf, containers by counting brackets) and only where each child of a container on the path starts is kept.
 * Its answers are the structure index's (JsonIndex.place); a differential test keeps the two the same. A value
 * that is skipped and later entered is scanned twice, so the walker stops (place answers null) once it has
 * scanned twice the text: past that point the structure index, one pass, is cheaper.
 *
 * A pointer that exists in the parsed value is walked from whichever end of each container is nearer. A text
 * JSON.parse accepted without duplicate keys has exactly the parsed value's structure: the parsed list's length
 * says that item n is the (length − n)th from the end, and the parsed object's key order (the written order, when
 * no key is integer-like) says which member it is from either end. An item in the second half of a list is found
 * by skipping the items after it, from the list's closing bracket; a member is found from its object's end when it
 * is written in the second half or its value is such a list (in an AgBOM: back past the dependency graph to the
 * end of the components, then to the last components). The document's end is known; only which way is walked
 * depends on the parsed value, never the answer.
 */
class JsonWalker {
    text;
    parsed;
    containers = new Map();
    fromEnd = new Map();
    /** characters skipped so far (read by tests) */
    scanned = 0;
    constructor(text, parsed) {
        this.text = text;
        this.parsed = parsed;
    }
    place(pointer) {
        const steps = this.steps(pointer);
        return steps === null ? this.placeForward(pointer) : this.placeNearer(steps);
    }
    /** The steps of a pointer that exists in the parsed value, or null. */
    steps(pointer) {
        if (pointer === '' || !pointer.startsWith('/'))
            return null;
        const steps = [];
        let node = this.parsed;
        for (const key of pointerKeys(pointer)) {
            if (Array.isArray(node)) {
                if (!INDEX_LIKE.test(key))
                    return null;
                const index = Number(key);
                if (index >= node.length)
                    return null;
                steps.push({ key, index, length: node.length, object: false });
                node = node[index];
            }
            else if (node !== null && typeof node === 'object') {
                if (!Object.hasOwn(node, key))
                    return null;
                const keys = Object.keys(node);
                const index = keys.some((k) => INDEX_LIKE.test(k)) ? -1 : keys.indexOf(key);
                steps.push({ key, index, length: keys.length, object: true });
                node = node[key];
            }
            else
                return null;
        }
        return steps;
    }
    /** Walks each step from the nearer end of its container; null when it hands over to the index. */
    placeNearer(steps) {
        const { text } = this;
        // the container being entered: where it starts (-1 until needed, when it was found from its end) and ends
        // (-1 when it was found from its start)
        let start = skipSpace(text, 0);
        let end = skipSpaceBack(text, text.length - 1) + 1;
        let location = start;
        let from = null;
        const startNow = () => {
            if (start < 0 && from !== null) {
                start = this.startFromEnd(from.c, from.n, from.key);
                location = from.key === null ? start : (from.c.keys[from.n] ?? -1);
            }
            return start;
        };
        for (let s = 0; s < steps.length; s++) {
            const step = steps[s];
            const next = steps[s + 1];
            const secondHalf = step.index >= step.length / 2;
            const backward = end >= 0 &&
                step.index >= 0 &&
                (secondHalf || (step.object && next !== undefined && !next.object && next.index >= next.length / 2));
            if (backward) {
                const c = this.childrenFromEnd(end, step.object);
                const n = step.length - 1 - step.index;
                end = this.endFromEnd(c, n);
                if (end < 0)
                    return null;
                start = -1;
                from = { c, n, key: step.object ? step.key : null };
            }
            else {
                if (startNow() < 0)
                    return null;
                if (step.object) {
                    const member = this.member(start, step.key);
                    if (member === null)
                        return null;
                    [location, start] = member;
                }
                else {
                    start = this.item(start, step.index);
                    if (start < 0)
                        return null;
                    location = start;
                }
                end = -1;
                from = null;
            }
            if (this.scanned > 2 * text.length)
                return null;
        }
        if (startNow() < 0 || location < 0 || this.scanned > 2 * text.length)
            return null;
        return { value: start, location, exact: true };
    }
    childrenFromEnd(end, object) {
        let c = this.fromEnd.get(end);
        if (c === undefined) {
            const last = skipSpaceBack(this.text, end - 2);
            const empty = this.text.charCodeAt(last) === (object ? 0x7b : 0x5b);
            c = { ends: empty ? [] : [last + 1], starts: [], keys: [], object, done: empty };
            this.fromEnd.set(end, c);
        }
        return c;
    }
    /** Where the nth child from the end ends, or -1. */
    endFromEnd(c, n) {
        const { text } = this;
        while (c.ends.length <= n && !c.done) {
            // skip the last child found, then look before it
            const skipped = c.ends.length - 1;
            if (this.startFromEnd(c, skipped, null) < 0)
                return -1;
            const i = skipSpaceBack(text, (c.object ? c.keys[skipped] : c.starts[skipped]) - 1);
            if (text.charCodeAt(i) === 0x2c /* , */)
                c.ends.push(skipSpaceBack(text, i - 1) + 1);
            else
                c.done = true;
        }
        return c.ends[n] ?? -1;
    }
    /**
     * Where the nth child from the end starts (and, for a member, where its key starts), skipping the children up to
     * it; -1 when the member found there is not `key` (the text and the parsed value disagree: the index answers).
     */
    startFromEnd(c, n, key) {
        const { text } = this;
        while (c.starts.length <= n) {
            const k = c.starts.length;
            const end = this.endFromEnd(c, k);
            if (end < 0)
                return -1;
            const start = skipValueBack(text, end);
            this.scanned += end - start;
            c.starts.push(start);
            if (c.object) {
                // before the value: the colon, then the key
                const keyEnd = skipSpaceBack(text, skipSpaceBack(text, start - 1) - 1) + 1;
                c.keys.push(stringStartBack(text, keyEnd - 1));
            }
        }
        if (key !== null) {
            const keyStart = c.keys[n];
            if (keyText(text, keyStart, stringEnd(text, keyStart)) !== key)
                return -1;
        }
        return c.starts[n];
    }
    /** The walk from each container's start (pointers that do not exist in the parsed value). */
    placeForward(pointer) {
        const { text } = this;
        let value = skipSpace(text, 0);
        let location = value;
        if (pointer === '')
            return { value, location, exact: true };
        if (!pointer.startsWith('/'))
            return { value, location, exact: false };
        for (const key of pointerKeys(pointer)) {
            const open = text.charCodeAt(value);
            let child = -1;
            if (open === 0x5b /* [ */) {
                if (!/^(?:0|[1-9][0-9]*)$/.test(key))
                    return { value, location, exact: false };
                child = this.item(value, Number(key));
                if (child >= 0)
                    location = child;
            }
            else if (open === 0x7b /* { */) {
                const member = this.member(value, key);
                if (member !== null)
                    [location, child] = member;
            }
            if (this.scanned > 2 * text.length)
                return null;
            if (child < 0)
                return { value, location, exact: false };
            value = child;
        }
        return { value, location, exact: true };
    }
    children(container, object) {
        let c = this.containers.get(container);
        if (c === undefined) {
            const first = skipSpace(this.text, container + 1);
            const done = this.text.charCodeAt(first) === (object ? 0x7d : 0x5d);
            c = { values: [], keys: [], byKey: object ? new Map() : null, first, last: -1, done };
            this.containers.set(container, c);
        }
        return c;
    }
    /** Finds one more child; false when there are no more. */
    advance(c) {
        if (c.done)
            return false;
        const { text } = this;
        let i = c.first;
        if (i < 0) {
            const end = skipValue(text, c.last);
            this.scanned += end - c.last;
            i = skipSpace(text, end);
            if (text.charCodeAt(i) !== 0x2c /* , */) {
                c.done = true;
                return false;
            }
            i = skipSpace(text, i + 1);
        }
        c.first = -1;
        if (c.byKey !== null) {
            const keyEnd = stringEnd(text, i);
            const key = keyText(text, i, keyEnd);
            // the first occurrence wins, as in the structure index
            if (!c.byKey.has(key))
                c.byKey.set(key, c.keys.length);
            c.keys.push(i);
            i = skipSpace(text, skipSpace(text, keyEnd) + 1);
        }
        c.values.push(i);
        c.last = i;
        return true;
    }
    item(container, n) {
        const c = this.children(container, false);
        while (c.values.length <= n && this.advance(c))
            ;
        return c.values[n] ?? -1;
    }
    /** [where the member is located (its key), where its value starts], or null. */
    member(container, key) {
        const c = this.children(container, true);
        let found = c.byKey.get(key);
        while (found === undefined && this.advance(c))
            found = c.byKey.get(key);
        return found === undefined ? null : [c.keys[found], c.values[found]];
    }
}
/** The last offset at or before `i` that is not JSON whitespace (-1 when there is none). */
function skipSpaceBack(text, i) {
    for (;;) {
        const c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
            i--;
        else
            return i;
    }
}
/** Where the (valid) value ending just before `end` starts: the text read backwards. */
function skipValueBack(text, end) {
    let i = end - 1;
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */)
        return stringStartBack(text, i);
    if (c !== 0x7d && c !== 0x5d) {
        // a number, true, false or null: back to the delimiter before it
        for (i--; i >= 0; i--) {
            const d = text.charCodeAt(i);
            if (d === 0x2c || d === 0x3a || d === 0x5b || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09)
                break;
        }
        return i + 1;
    }
    let depth = 0;
    for (; i >= 0; i--) {
        const d = text.charCodeAt(i);
        if (d === 0x22)
            i = stringStartBack(text, i);
        else if (d === 0x7d || d === 0x5d)
            depth++;
        else if ((d === 0x7b || d === 0x5b) && --depth === 0)
            return i;
    }
    return 0;
}
/**
 * Where the (valid) string whose closing quote is at `close` starts. Read backwards, the first quote not escaped
 * (not after an odd number of backslashes) is the opening one: inside a string every quote is escaped, and a
 * string's opening quote follows a delimiter or whitespace, never a backslash.
 */
function stringStartBack(text, close) {
    let i = text.lastIndexOf('"', close - 1);
    while (i > 0) {
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c)
            backslashes++;
        if (backslashes % 2 === 0)
            return i;
        i = text.lastIndexOf('"', i - 1);
    }
    return Math.max(i, 0);
}
function skipSpace(text, i) {
    for (;;) {
        const c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
            i++;
        else
            return i;
    }
}
/** Offset just past the (valid) value starting at `i`. */
function skipValue(text, i) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */)
        return stringEnd(text, i);
    if (c !== 0x7b && c !== 0x5b)
        return literalEnd(text, i);
    let depth = 0;
    for (;;) {
        const d = text.charCodeAt(i);
        if (d === 0x22) {
            i = stringEnd(text, i);
            continue;
        }
        if (d === 0x7b || d === 0x5b)
            depth++;
        else if (d === 0x7d || d === 0x5d) {
            if (--depth === 0)
                return i + 1;
        }
        else if (Number.isNaN(d))
            return text.length;
        i++;
    }
}
/** Offset just past the number, true, false or null starting at `i`: the next delimiter. */
function literalEnd(text, i) {
    for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09)
            break;
    }
    return i;
}
/** A member's key as a string, from its quoted text. */
function keyText(text, start, end) {
    const raw = text.slice(start, end);
    return raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1);
}
/** The source text of the scalar at `start`, or undefined for a container. */
function scalarSource(text, start) {
    const c = text.charCodeAt(start);
    if (c === 0x7b || c === 0x5b)
        return undefined;
    return c === 0x22
        ? text.slice(start, stringEnd(text, start))
        : /[^,\]}\s]*/y.exec(text.slice(start, start + 400))?.[0];
}
/**
 * Every value of a JSON document as a tree of typed arrays (no strings): where its value starts, where
 * its key starts (members), its first child and next sibling. A pointer is resolved by walking it,
 * reading keys from the text only along the way.
 */
class JsonIndex {
    text;
    size = 0;
    valueStart;
    keyStart;
    firstChild;
    lastChild;
    nextSibling;
    constructor(text) {
        this.text = text;
        const capacity = Math.max(1024, text.length >> 4);
        this.valueStart = new Int32Array(capacity);
        this.keyStart = new Int32Array(capacity);
        this.firstChild = new Int32Array(capacity);
        this.lastChild = new Int32Array(capacity);
        this.nextSibling = new Int32Array(capacity);
    }
    /**
     * The index of a text JSON.parse accepted, in one pass over its structure: nothing needs checking, strings
     * are skipped with indexOf, and only where values and keys start is recorded.
     */
    static of(text) {
        const index = new JsonIndex(text);
        const outer = [];
        let parent = -1;
        let inObject = false;
        let expectKey = false;
        let keyOffset = -1;
        const n = text.length;
        let i = 0;
        while (i < n) {
            const c = text.charCodeAt(i);
            if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
                i++;
            else if (c === 0x22 /* " */) {
                if (expectKey)
                    keyOffset = i;
                else {
                    index.add(parent, i, keyOffset);
                    keyOffset = -1;
                }
                i = stringEnd(text, i);
            }
            else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
                outer.push(parent, inObject ? 1 : 0);
                parent = index.add(parent, i, keyOffset);
                keyOffset = -1;
                inObject = c === 0x7b;
                expectKey = inObject;
                i++;
            }
            else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
                inObject = outer.pop() === 1;
                parent = outer.pop();
                expectKey = false;
                i++;
            }
            else if (c === 0x2c /* , */) {
                expectKey = inObject;
                i++;
            }
            else if (c === 0x3a /* : */) {
                expectKey = false;
                i++;
            }
            else {
                // a number, true, false or null, up to the next delimiter
                index.add(parent, i, keyOffset);
                keyOffset = -1;
                i = literalEnd(text, i);
            }
        }
        return index;
    }
    /** Adds a value under `parent` (-1 for the root); returns its id. */
    add(parent, valueOffset, keyOffset) {
        if (this.size === this.valueStart.length)
            this.grow();
        const id = this.size++;
        this.valueStart[id] = valueOffset;
        this.keyStart[id] = keyOffset;
        this.firstChild[id] = -1;
        this.lastChild[id] = -1;
        this.nextSibling[id] = -1;
        if (parent >= 0) {
            const last = this.lastChild[parent];
            if (last < 0)
                this.firstChild[parent] = id;
            else
                this.nextSibling[last] = id;
            this.lastChild[parent] = id;
        }
        return id;
    }
    /** The node a pointer names, or its nearest existing ancestor (exact = false). */
    find(pointer) {
        if (this.size === 0)
            return { node: -1, exact: false };
        let node = 0;
        if (pointer === '')
            return { node, exact: true };
        if (!pointer.startsWith('/'))
            return { node, exact: false };
        for (const key of pointerKeys(pointer)) {
            const open = this.text.charCodeAt(this.valueStart[node]);
            let child = this.firstChild[node];
            if (open === 0x5b /* [ */) {
                if (!/^(?:0|[1-9][0-9]*)$/.test(key))
                    return { node, exact: false };
                for (let i = Number(key); i > 0 && child >= 0; i--)
                    child = this.nextSibling[child];
            }
            else if (open === 0x7b /* { */) {
                while (child >= 0 && this.keyAt(this.keyStart[child]) !== key)
                    child = this.nextSibling[child];
            }
            else
                child = -1;
            if (child < 0)
                return { node, exact: false };
            node = child;
        }
        return { node, exact: true };
    }
    /** Where a pointer leads (see JsonPlace); the answer JsonWalker gives without the index. */
    place(pointer) {
        const { node, exact } = this.find(pointer);
        if (node < 0)
            return { value: 0, location: 0, exact: false };
        const key = this.keyStart[node];
        const value = this.valueStart[node];
        return { value, location: key >= 0 ? key : value, exact };
    }
    keyAt(offset) {
        return keyText(this.text, offset, stringEnd(this.text, offset));
    }
    grow() {
        const grow = (a) => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
        };
        this.valueStart = grow(this.valueStart);
        this.keyStart = grow(this.keyStart);
        this.firstChild = grow(this.firstChild);
        this.lastChild = grow(this.lastChild);
        this.nextSibling = grow(this.nextSibling);
    }
}
/** Offset just past the closing quote of the (valid) string starting at `start`. */
function stringEnd(text, start) {
    let i = text.indexOf('"', start + 1);
    for (;;) {
        if (i < 0)
            return text.length + 1;
        // a quote after an odd number of backslashes is escaped
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c)
            backslashes++;
        if (backslashes % 2 === 0)
            return i + 1;
        i = text.indexOf('"', i + 1);
    }
}
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
/**
 * A strict, non-recursive JSON scanner: validates syntax exactly as JSON.parse does (so that errors are
 * located), caps nesting depth, and reports duplicate keys, unsafe integers and non-finite numbers. It runs on
 * the texts plainJson does not accept.
 */
class JsonScanner {
    text;
    maxDepth;
    lines;
    pos = 0;
    stack = [];
    problems = [];
    /** pointer of the value about to be read */
    pointer = '';
    constructor(text, maxDepth, lines) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.lines = lines;
    }
    /** Problems found; a syntax error ends the scan (it is the last problem). */
    run() {
        try {
            this.scan();
        }
        catch (error) {
            if (!(error instanceof JsonSyntaxError))
                throw error;
            this.problems.push(error.problem);
        }
        return this.problems;
    }
    scan() {
        const text = this.text;
        this.skipWhitespace();
        if (this.pos >= text.length)
            this.fail('json.syntax', 'is empty; expected a JSON value');
        for (;;) {
            // a value starts here
            this.skipWhitespace();
            const start = this.pos;
            const c = text.charCodeAt(start);
            if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
                const array = c === 0x5b;
                if (this.stack.length >= this.maxDepth) {
                    this.fail('json.too-deep', `nests objects/arrays more than ${this.maxDepth} levels deep`, `records nest at most ${this.maxDepth} levels deep`);
                }
                this.stack.push({ array, pointer: this.pointer, keys: null, index: 0 });
                this.pos++;
                this.skipWhitespace();
                if (text.charCodeAt(this.pos) === (array ? 0x5d : 0x7d)) {
                    this.pos++;
                    this.stack.pop();
                }
                else {
                    if (array)
                        this.element();
                    else
                        this.member();
                    continue;
                }
            }
            else {
                this.scalar();
            }
            // after a value: close containers, or move on to the next element/member
            let more = false;
            while (this.stack.length > 0) {
                const frame = this.stack[this.stack.length - 1];
                this.skipWhitespace();
                const d = text.charCodeAt(this.pos);
                if (d === 0x2c /* , */) {
                    this.pos++;
                    this.skipWhitespace();
                    const e = text.charCodeAt(this.pos);
                    if (e === 0x7d || e === 0x5d) {
                        this.fail('json.syntax', `has a trailing comma before '${text[this.pos]}'`, 'JSON does not allow trailing commas; remove it');
                    }
                    frame.index++;
                    if (frame.array)
                        this.element();
                    else
                        this.member();
                    more = true;
                    break;
                }
                if (d === (frame.array ? 0x5d : 0x7d)) {
                    this.pos++;
                    this.stack.pop();
                    continue;
                }
                this.unexpected(frame.array ? "',' or ']'" : "',' or '}'");
            }
            if (more)
                continue;
            this.skipWhitespace();
            if (this.pos < text.length)
                this.unexpected('the end of the file after the JSON value');
            return;
        }
    }
    element() {
        const frame = this.stack[this.stack.length - 1];
        this.pointer = `${frame.pointer}/${frame.index}`;
    }
    member() {
        const frame = this.stack[this.stack.length - 1];
        this.skipWhitespace();
        const keyOffset = this.pos;
        if (this.text.charCodeAt(this.pos) !== 0x22)
            this.unexpected('a property name in double quotes');
        const key = this.string();
        const pointer = `${frame.pointer}/${segment(key)}`;
        this.pointer = pointer;
        frame.keys ??= new Map();
        const first = frame.keys.get(key);
        if (first === undefined)
            frame.keys.set(key, keyOffset);
        else {
            this.problems.push({
                offset: keyOffset,
                code: 'json.duplicate-key',
                message: `has the key "${shown(key, 40)}" twice in one object: ${twoPlaces(this.lines.position(first), this.lines.position(keyOffset))}`,
                hint: 'keep one of them; JSON readers silently keep only the last',
                pointer
            });
        }
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) !== 0x3a)
            this.unexpected("':' after the property name");
        this.pos++;
    }
    scalar() {
        const text = this.text;
        const start = this.pos;
        const c = text.charCodeAt(start);
        if (c === 0x22) {
            this.string();
        }
        else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            NUMBER.lastIndex = start;
            const m = NUMBER.exec(text);
            if (!m || m[0] === '-') {
                this.pos = start + 1;
                this.unexpected('a digit');
            }
            const literal = m[0];
            this.pos = start + literal.length;
            if (literal.length > 15 || m[2] !== undefined) {
                const problem = numberProblem(Number(literal), literal, '"', this.pointer);
                if (problem) {
                    this.problems.push({
                        offset: start,
                        code: `json.${problem.code}`,
                        message: problem.message,
                        hint: problem.hint,
                        pointer: this.pointer
                    });
                }
            }
        }
        else if (text.startsWith('true', start))
            this.pos += 4;
        else if (text.startsWith('false', start))
            this.pos += 5;
        else if (text.startsWith('null', start))
            this.pos += 4;
        else
            this.unexpected('a value');
    }
    /** Scans a string starting at the opening quote; returns its value. */
    string() {
        const text = this.text;
        const start = this.pos;
        let i = start + 1;
        let escaped = false;
        for (;;) {
            STRING_RUN.lastIndex = i;
            STRING_RUN.exec(text);
            i = STRING_RUN.lastIndex;
            const c = text.charCodeAt(i);
            if (c === 0x22)
                break;
            if (c === 0x5c) {
                ESCAPE.lastIndex = i;
                if (!ESCAPE.test(text)) {
                    this.pos = i;
                    this.fail('json.syntax', 'has an invalid escape sequence in a string', 'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX');
                }
                i = ESCAPE.lastIndex;
                escaped = true;
                continue;
            }
            this.pos = i;
            if (i >= text.length)
                this.fail('json.syntax', 'ends inside a string (a closing " is missing)');
            this.fail('json.syntax', 'has an unescaped control character in a string', 'write it as an escape such as \\n or \\t');
        }
        this.pos = i + 1;
        return escaped ? JSON.parse(text.slice(start, i + 1)) : text.slice(start + 1, i);
    }
    skipWhitespace() {
        const text = this.text;
        let i = this.pos;
        let c = text.charCodeAt(i);
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
            c = text.charCodeAt(++i);
        this.pos = i;
    }
    unexpected(expected) {
        const text = this.text;
        if (this.pos >= text.length)
            this.fail('json.syntax', `ends early: expected ${expected}`);
        const ch = String.fromCodePoint(text.codePointAt(this.pos));
        const found = /[\u0021-\u007e]/.test(ch)
            ? `'${ch}'`
            : `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        let hint;
        if (ch === '/')
            hint = 'JSON does not allow comments';
        else if (ch === "'")
            hint = 'JSON strings and names use double quotes';
        else if (/[A-Za-z_$]/.test(ch)) {
            hint = /^(?:NaN|-?Infinity)/.test(text.slice(this.pos, this.pos + 9))
                ? 'JSON has no NaN or Infinity; use a finite number, or quote it if it is text'
                : 'text values and property names must be in double quotes';
        }
        this.fail('json.syntax', `expected ${expected} but found ${found}`, hint);
    }
    fail(code, message, hint) {
        const problem = { offset: this.pos, code, message };
        if (hint !== undefined)
            problem.hint = hint;
        if (this.stack.length > 0)
            problem.pointer = this.stack[this.stack.length - 1].pointer;
        throw new JsonSyntaxError(problem);
    }
}
class JsonSyntaxError extends Error {
    problem;
    constructor(problem) {
        super(problem.message);
        this.problem = problem;
    }
}


/***/ }),

/***/ 9736:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $0: () => (/* binding */ badPath),
/* harmony export */   LO: () => (/* binding */ missing),
/* harmony export */   Q1: () => (/* binding */ checkRepoPath),
/* harmony export */   g$: () => (/* binding */ tooLarge),
/* harmony export */   pY: () => (/* binding */ checkGlob),
/* harmony export */   sX: () => (/* binding */ resolveReference),
/* harmony export */   w7: () => (/* binding */ SYMLINK_MESSAGE)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2003);
/**
 * Repository-relative paths: the only form a path takes inside the gate. Every source checks a path
 * with `checkRepoPath` before touching anything, so `..`, absolute paths, NUL bytes and backslashes
 * never reach the file system or git.
 */


/** Why a repository path is unacceptable, or null when it is a plain relative POSIX path. */
function checkRepoPath(path) {
    if (path.length === 0)
        return 'the path is empty';
    if (path.includes('\0'))
        return 'the path contains a NUL byte';
    if (path.includes('\\'))
        return 'the path contains a backslash; use forward slashes (/)';
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
        return 'the path is absolute; paths are relative to the repository root';
    if (/[\u0001-\u001f\u007f]/.test(path))
        return 'the path contains a control character';
    for (const segment of path.split('/')) {
        if (segment === '..')
            return 'the path contains a ".." segment';
        if (segment === '.')
            return 'the path contains a "." segment';
        if (segment === '')
            return 'the path contains an empty segment ("//" or a trailing "/")';
        // git's own folder holds the checkout's credentials (an Actions checkout persists its token in .git/config):
        // never a record or evidence, whatever a record points at (any case: some file systems ignore it)
        if (segment.toLowerCase() === '.git')
            return "the path is inside .git (git's own folder, not a repository file)";
    }
    return null;
}
/**
 * A path written inside a record (for example a C2PA manifest of a replay receipt), relative to the
 * folder of the record's file, as a repository-relative path. `..` may climb folders but never above
 * the repository root.
 */
function resolveReference(recordFile, reference) {
    if (reference.length === 0)
        return { ok: false, reason: 'the path is empty' };
    if (reference.includes('\0'))
        return { ok: false, reason: 'the path contains a NUL byte' };
    if (reference.includes('\\'))
        return { ok: false, reason: 'the path contains a backslash; use forward slashes (/)' };
    if (reference.startsWith('/') || /^[A-Za-z]:/.test(reference)) {
        return { ok: false, reason: "the path is absolute; write it relative to the record's folder" };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference))
        return { ok: false, reason: 'the path is a URL, not a repository file' };
    if (reference === '.' || reference.endsWith('/.') || reference.endsWith('/..') || reference === '..')
        return { ok: false, reason: 'the path names a folder, not a file' };
    const joined = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.normalize(node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_0__.posix.dirname(recordFile), reference));
    if (joined === '..' || joined.startsWith('../')) {
        return { ok: false, reason: 'the path leaves the repository' };
    }
    const problem = checkRepoPath(joined);
    return problem === null ? { ok: true, path: joined } : { ok: false, reason: problem };
}
/** Why a configured glob is unacceptable, or null. Globs are matched against repository-relative paths only. */
function checkGlob(glob) {
    if (glob.length === 0)
        return 'the glob is empty';
    if (glob.includes('\0'))
        return 'the glob contains a NUL byte';
    if (glob.includes('\\'))
        return 'the glob contains a backslash; use forward slashes (/)';
    const body = glob.startsWith('!') ? glob.slice(1) : glob;
    if (body.startsWith('/') || /^[A-Za-z]:/.test(body)) {
        return 'the glob is absolute; globs are relative to the repository root';
    }
    if (body.split('/').includes('..'))
        return 'the glob contains a ".." segment; globs cannot reach outside the repository';
    return null;
}
// Messages shared by every FileSource. None of them includes a file's content.
const SYMLINK_MESSAGE = 'is a symbolic link; the gate does not follow links (it could point at /proc/self/environ or .git/config)';
function badPath(path, problem) {
    return new _source_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c('file.bad-path', path, `${JSON.stringify(path).slice(0, 200)} is not a valid repository path: ${problem}`);
}
function missing(path) {
    return new _source_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c('file.missing', path, `${path} does not exist`);
}
function tooLarge(path, maxBytes, size) {
    const actual = size === undefined ? 'more than' : `${size} bytes, more than`;
    return new _source_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c('file.too-large', path, `${path} is ${actual} the limit of ${maxBytes} bytes; it is not read`);
}


/***/ }),

/***/ 2003:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ SourceError)
/* harmony export */ });
/** A file that must not or cannot be read. Its message never includes the file's content. */
class SourceError extends Error {
    code;
    path;
    constructor(code, path, message) {
        super(message);
        this.code = code;
        this.path = path;
        this.name = 'SourceError';
    }
}


/***/ }),

/***/ 7689:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cu: () => (/* binding */ maskIssue),
/* harmony export */   Ii: () => (/* binding */ maskPointer),
/* harmony export */   QU: () => (/* binding */ maskSecrets),
/* harmony export */   _6: () => (/* binding */ decodeUtf8),
/* harmony export */   hR: () => (/* binding */ revealInvisible)
/* harmony export */ });
/* unused harmony exports foreignEncoding, firstInvalidUtf8, maskIssueText */
/* harmony import */ var _gate_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9918);
/**
 * Bytes → text. Records are UTF-8, strictly: an invalid sequence is a located error (byte offset, line,
 * column), never a replacement character that changes a value. A UTF-8 byte order mark is dropped;
 * UTF-16/UTF-32 text and NUL bytes are rejected with a message that says how to fix the file.
 *
 * And text → messages: record text an issue quotes (a value, a key, an excerpt of the source) passes
 * maskSecrets first, so that no error about a record repeats a secret it holds (docs/security.md).
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SAVE_AS_UTF8 = 'save the file as UTF-8 (without NUL bytes)';
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
function decodeUtf8(bytes, file, options = {}) {
    const baseOffset = options.baseOffset ?? 0;
    const baseLine = options.baseLine ?? 1;
    let body = bytes;
    let skipped = 0;
    if (options.atStart ?? true) {
        const foreign = foreignEncoding(bytes);
        if (foreign) {
            return fail({
                code: 'text.encoding',
                message: `is encoded as ${foreign}, not UTF-8`,
                file,
                line: 1,
                column: 1,
                hint: SAVE_AS_UTF8
            });
        }
        if (startsWith(bytes, UTF8_BOM)) {
            body = bytes.subarray(3);
            skipped = 3;
        }
    }
    const nul = body.indexOf(0);
    if (nul >= 0) {
        const where = position(body, nul, baseLine);
        return fail({
            code: 'text.nul',
            message: `contains a NUL byte at byte offset ${baseOffset + skipped + nul}; records are text, not binary data`,
            file,
            ...where,
            hint: SAVE_AS_UTF8
        });
    }
    try {
        return { ok: true, text: strictDecoder.decode(body) };
    }
    catch {
        const bad = firstInvalidUtf8(body);
        if (bad < 0) {
            // valid UTF-8 that still cannot be decoded: longer than the longest string the runtime can hold
            return fail({
                code: 'text.too-large',
                message: `is too large to read as text (${body.length} bytes)`,
                file,
                hint: 'lower records.max_evidence_bytes or split the file'
            });
        }
        const at = bad;
        const where = position(body, at, baseLine);
        return fail({
            code: 'text.invalid-utf8',
            message: `is not valid UTF-8: invalid byte sequence (0x${hexByte(body[at] ?? 0)}) at byte offset ${baseOffset + skipped + at}`,
            file,
            ...where,
            hint: SAVE_AS_UTF8
        });
    }
}
/** "UTF-16 (little-endian)" etc. when the bytes start with a UTF-16/32 byte order mark or NUL pattern. */
function foreignEncoding(bytes) {
    const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff)
        return 'UTF-32 (big-endian, with a byte order mark)';
    if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00)
        return 'UTF-32 (little-endian, with a byte order mark)';
    if (b0 === 0xfe && b1 === 0xff)
        return 'UTF-16 (big-endian, with a byte order mark)';
    if (b0 === 0xff && b1 === 0xfe)
        return 'UTF-16 (little-endian, with a byte order mark)';
    if (bytes.length >= 4) {
        // ASCII text in a wide encoding: the NUL pattern of the first character
        if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0)
            return 'UTF-32 (big-endian)';
        if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0)
            return 'UTF-32 (little-endian)';
    }
    if (bytes.length >= 2) {
        if (b0 === 0 && b1 !== 0)
            return 'UTF-16 (big-endian)';
        if (b0 !== 0 && b1 === 0)
            return 'UTF-16 (little-endian)';
    }
    return null;
}
/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG rules), or -1. */
function firstInvalidUtf8(bytes) {
    let i = 0;
    const n = bytes.length;
    while (i < n) {
        const b = bytes[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        let need;
        let lower = 0x80;
        let upper = 0xbf;
        if (b >= 0xc2 && b <= 0xdf)
            need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            if (b === 0xe0)
                lower = 0xa0;
            if (b === 0xed)
                upper = 0x9f;
        }
        else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            if (b === 0xf0)
                lower = 0x90;
            if (b === 0xf4)
                upper = 0x8f;
        }
        else
            return i;
        if (i + need >= n)
            return i; // truncated at the end
        const second = bytes[i + 1];
        if (second < lower || second > upper)
            return i;
        for (let k = 2; k <= need; k++) {
            const c = bytes[i + k];
            if (c < 0x80 || c > 0xbf)
                return i;
        }
        i += need + 1;
    }
    return -1;
}
/** 1-based line and column (in characters) of a byte offset. */
function position(bytes, offset, baseLine) {
    let line = baseLine;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
        if (bytes[i] === 0x0a) {
            line++;
            lineStart = i + 1;
        }
    }
    const prefix = lenientDecoder.decode(bytes.subarray(lineStart, offset));
    return { line, column: [...prefix].length + 1 };
}
function startsWith(bytes, prefix) {
    return prefix.every((b, i) => bytes[i] === b);
}
function hexByte(b) {
    return b.toString(16).toUpperCase().padStart(2, '0');
}
function fail(issue) {
    return { ok: false, issues: [issue] };
}
// ---------------------------------------------------------------------------------------------------------------
// Secrets in messages
/** Invisible and direction-changing characters: a value holding one looks like the value without it. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/**
 * Text shown to people with every invisible or direction-changing character written as an escape (`\u200b`): a
 * change id with a zero-width space in it must not read exactly like the id it fails to match.
 */
function revealInvisible(text) {
    INVISIBLE.lastIndex = 0;
    if (!INVISIBLE.test(text))
        return text;
    return text.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/**
 * Record text as an issue may quote it: every secret findSecrets recognises is masked (its well-known prefix, an
 * ellipsis and, for long secrets, the last four characters), as the AgBOM's findings mask them. `fieldName` is the
 * key the value sits under, when known (a CycloneDX property's `name` for its `value`): it enables the name-based
 * checks (any password; a long random value under `api_key`, `client_secret` …). Mask before clipping: a clipped
 * secret may no longer look like one.
 */
function maskSecrets(text, fieldName = null) {
    return (0,_gate_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .findSecrets */ .dL)(text, fieldName)?.masked ?? text;
}
/**
 * A credential's start cut short by an excerpt's '…': too short for findSecrets to recognise, still most of the
 * secret. Each alternative is a credential shape of src/gate/secrets.ts, its length requirement dropped.
 */
const CLIPPED_SECRET = new RegExp([
    String.raw `\b(?:gh[pousr]_|github_pat_|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)|xox[abposre]-|[rs]k_(?:live|test)_|sk-|hf_|gl(?:pat|dt|rt|ptt|cbt|oas)-|npm_|AIza|eyJ)[A-Za-z0-9_.-]{4,}…`,
    String.raw `https://hooks\.slack\.com/[A-Za-z0-9/_-]{4,}…`,
    String.raw `\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:]*:[^\s/?#@]+…`
].join('|'), 'g');
/**
 * Text an issue shows (its message, hint or pointer), with every secret in it masked: what maskSecrets finds, and
 * the start of a credential an excerpt clipped. The last line of defence for messages written from record text
 * without the field's name; messages should mask the values they quote where they quote them.
 */
function maskIssueText(text) {
    const masked = maskSecrets(text);
    return masked.includes('…') ? masked.replace(CLIPPED_SECRET, (hit) => maskClipped(hit)) : masked;
}
function maskClipped(hit) {
    const scheme = hit.indexOf('://');
    if (scheme >= 0 && !hit.startsWith('https://hooks.slack.com/'))
        return `${hit.slice(0, scheme + 3)}****:****…`;
    const prefix = /^(?:gh[pousr]_|github_pat_|xox[abposre]-|[rs]k_(?:live|test)_|sk-|AIza|eyJ|[A-Z]{4}|https:\/\/hooks\.slack\.com\/)/.exec(hit);
    return `${prefix?.[0] ?? ''}…`;
}
/** A JSON pointer with every segment that holds a secret masked (a key can be a pasted token). */
function maskPointer(pointer) {
    if (pointer.length < 9)
        return pointer; // shorter than any secret with its slash
    return pointer
        .split('/')
        .map((segment) => {
        const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
        const masked = maskIssueText(key);
        return masked === key ? segment : masked.replace(/~/g, '~0').replace(/\//g, '~1');
    })
        .join('/');
}
/** An issue whose message, hint and pointer repeat no secret (see maskIssueText). */
function maskIssue(issue) {
    const message = maskIssueText(issue.message);
    const hint = issue.hint === undefined ? undefined : maskIssueText(issue.hint);
    const pointer = issue.pointer === undefined ? undefined : maskPointer(issue.pointer);
    if (message === issue.message && hint === issue.hint && pointer === issue.pointer)
        return issue;
    const masked = { ...issue, message };
    if (hint !== undefined)
        masked.hint = hint;
    if (pointer !== undefined)
        masked.pointer = pointer;
    return masked;
}


/***/ }),

/***/ 2626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bp: () => (/* binding */ describeValue),
  tI: () => (/* binding */ fieldNameOf),
  pA: () => (/* binding */ nearest),
  mR: () => (/* reexport */ ordinary_case/* ordinaryCaseMembers */.m),
  F1: () => (/* binding */ validateEvalCaseLine),
  M5: () => (/* binding */ validateOwnRecord),
  eV: () => (/* binding */ validateRecord)
});

// UNUSED EXPORTS: CYCLONEDX_VERSIONS, MAX_ISSUES_PER_FILE, isOrdinaryCaseLine, repeatedEntries

// EXTERNAL MODULE: ./node_modules/ajv/dist/runtime/ucs2length.js
var ucs2length = __webpack_require__(6214);
var ucs2length_namespaceObject = /*#__PURE__*/__webpack_require__.t(ucs2length, 2);
;// CONCATENATED MODULE: ./src/read/generated/records.js
// Generated by scripts/build-validators.mjs — do not edit; run `npm run build:validators`.

const __exports = (ns) => (ns.default && ns.default.__esModule ? ns.default : ns.__esModule ? ns : ns.default);
const __cjs0 = __exports(ucs2length_namespaceObject);
const __err = (list, error) => { if (list === null) return [error]; list.push(error); return list; };
const validate_change = validate20;const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/change/v1.json","type":"object","additionalProperties":false,"required":["change"],"properties":{"change":{"type":"object","additionalProperties":false,"required":["change_id","change_type","risk_level","rollout_strategy","session_control_owner","emergency_freeze_owner"],"properties":{"change_id":{"$ref":"#/$defs/id"},"change_type":{"$ref":"#/$defs/id"},"risk_level":{"enum":["low","medium","high","critical"]},"rollout_strategy":{"$ref":"#/$defs/id"},"artifacts":{"$ref":"#/$defs/name_list"},"affected_surfaces":{"$ref":"#/$defs/name_list"},"required_signals":{"$ref":"#/$defs/name_list"},"approval_roles":{"$ref":"#/$defs/name_list"},"session_control_owner":{"$ref":"#/$defs/id"},"emergency_freeze_owner":{"$ref":"#/$defs/id"}}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"name_list":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}}}};const schema32 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const func1 = Object.prototype.hasOwnProperty;const func2 = __cjs0.default;const pattern4 = new RegExp("^\\S(?:.*\\S)?$", "u");const schema35 = {"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}};function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate21.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(Array.isArray(data)){const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "array"}});errors++;}validate21.errors = vErrors;return errors === 0;}validate21.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/change/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate20.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.change === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "change"}});errors++;}for(const key0 in data){if(!(key0 === "change")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.change !== undefined){let data0 = data.change;if(data0 && typeof data0 == "object" && !Array.isArray(data0)){if(data0.change_id === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "change_id"}});errors++;}if(data0.change_type === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "change_type"}});errors++;}if(data0.risk_level === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "risk_level"}});errors++;}if(data0.rollout_strategy === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "rollout_strategy"}});errors++;}if(data0.session_control_owner === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "session_control_owner"}});errors++;}if(data0.emergency_freeze_owner === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"required",params:{missingProperty: "emergency_freeze_owner"}});errors++;}for(const key1 in data0){if(!(func1.call(schema31.properties.change.properties, key1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data0.change_id !== undefined){let data1 = data0.change_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_id",keyword:"type",params:{type: "string"}});errors++;}}if(data0.change_type !== undefined){let data2 = data0.change_type;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_type",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_type",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_type",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change/change_type",keyword:"type",params:{type: "string"}});errors++;}}if(data0.risk_level !== undefined){let data3 = data0.risk_level;if(!((((data3 === "low") || (data3 === "medium")) || (data3 === "high")) || (data3 === "critical"))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/risk_level",keyword:"enum",params:{allowedValues: schema31.properties.change.properties.risk_level.enum}});errors++;}}if(data0.rollout_strategy !== undefined){let data4 = data0.rollout_strategy;if(typeof data4 === "string"){if((data4.length > 256 && (data4.length > 512 || func2(data4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/rollout_strategy",keyword:"maxLength",params:{limit: 256}});errors++;}if((data4.length < 1 || (data4.length < 2 && func2(data4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/rollout_strategy",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/change/rollout_strategy",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change/rollout_strategy",keyword:"type",params:{type: "string"}});errors++;}}if(data0.artifacts !== undefined){if(!(validate21(data0.artifacts, {instancePath:instancePath+"/change/artifacts",parentData:data0,parentDataProperty:"artifacts",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate21.errors;}else {for(const e of validate21.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.affected_surfaces !== undefined){if(!(validate21(data0.affected_surfaces, {instancePath:instancePath+"/change/affected_surfaces",parentData:data0,parentDataProperty:"affected_surfaces",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate21.errors;}else {for(const e of validate21.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.required_signals !== undefined){if(!(validate21(data0.required_signals, {instancePath:instancePath+"/change/required_signals",parentData:data0,parentDataProperty:"required_signals",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate21.errors;}else {for(const e of validate21.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.approval_roles !== undefined){if(!(validate21(data0.approval_roles, {instancePath:instancePath+"/change/approval_roles",parentData:data0,parentDataProperty:"approval_roles",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate21.errors;}else {for(const e of validate21.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.session_control_owner !== undefined){let data9 = data0.session_control_owner;if(typeof data9 === "string"){if((data9.length > 256 && (data9.length > 512 || func2(data9) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/session_control_owner",keyword:"maxLength",params:{limit: 256}});errors++;}if((data9.length < 1 || (data9.length < 2 && func2(data9) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/session_control_owner",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data9)){vErrors = __err(vErrors, {instancePath:instancePath+"/change/session_control_owner",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change/session_control_owner",keyword:"type",params:{type: "string"}});errors++;}}if(data0.emergency_freeze_owner !== undefined){let data10 = data0.emergency_freeze_owner;if(typeof data10 === "string"){if((data10.length > 256 && (data10.length > 512 || func2(data10) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/emergency_freeze_owner",keyword:"maxLength",params:{limit: 256}});errors++;}if((data10.length < 1 || (data10.length < 2 && func2(data10) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change/emergency_freeze_owner",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data10)){vErrors = __err(vErrors, {instancePath:instancePath+"/change/emergency_freeze_owner",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change/emergency_freeze_owner",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate20.errors = vErrors;return errors === 0;}validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_change_review_record = validate26;const schema39 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/change_review_record/v1.json","type":"object","additionalProperties":false,"required":["kind","review_id","change_id","owner","change_type","risk_level","affected_surfaces","required_reviews","required_evals","status"],"properties":{"kind":{"const":"change_review_record"},"review_id":{"$ref":"#/$defs/id"},"change_id":{"$ref":"#/$defs/id"},"owner":{"$ref":"#/$defs/id"},"change_type":{"$ref":"#/$defs/id"},"risk_level":{"enum":["low","medium","high","critical"]},"affected_surfaces":{"$ref":"#/$defs/name_list"},"required_reviews":{"$ref":"#/$defs/name_list"},"required_evals":{"$ref":"#/$defs/name_list"},"status":{"enum":["draft","proposed","in_review","changes_requested","approved","rejected","withdrawn"]}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"name_list":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}}}};const schema40 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema44 = {"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}};function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate27.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(Array.isArray(data)){const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "array"}});errors++;}validate27.errors = vErrors;return errors === 0;}validate27.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/change_review_record/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate26.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.review_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "review_id"}});errors++;}if(data.change_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "change_id"}});errors++;}if(data.owner === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "owner"}});errors++;}if(data.change_type === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "change_type"}});errors++;}if(data.risk_level === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "risk_level"}});errors++;}if(data.affected_surfaces === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "affected_surfaces"}});errors++;}if(data.required_reviews === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "required_reviews"}});errors++;}if(data.required_evals === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "required_evals"}});errors++;}if(data.status === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "status"}});errors++;}for(const key0 in data){if(!(func1.call(schema39.properties, key0))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.kind !== undefined){if("change_review_record" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "change_review_record"}});errors++;}}if(data.review_id !== undefined){let data1 = data.review_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/review_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/review_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/review_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/review_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.change_id !== undefined){let data2 = data.change_id;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.owner !== undefined){let data3 = data.owner;if(typeof data3 === "string"){if((data3.length > 256 && (data3.length > 512 || func2(data3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"maxLength",params:{limit: 256}});errors++;}if((data3.length < 1 || (data3.length < 2 && func2(data3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data3)){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"type",params:{type: "string"}});errors++;}}if(data.change_type !== undefined){let data4 = data.change_type;if(typeof data4 === "string"){if((data4.length > 256 && (data4.length > 512 || func2(data4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_type",keyword:"maxLength",params:{limit: 256}});errors++;}if((data4.length < 1 || (data4.length < 2 && func2(data4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_type",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/change_type",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change_type",keyword:"type",params:{type: "string"}});errors++;}}if(data.risk_level !== undefined){let data5 = data.risk_level;if(!((((data5 === "low") || (data5 === "medium")) || (data5 === "high")) || (data5 === "critical"))){vErrors = __err(vErrors, {instancePath:instancePath+"/risk_level",keyword:"enum",params:{allowedValues: schema39.properties.risk_level.enum}});errors++;}}if(data.affected_surfaces !== undefined){if(!(validate27(data.affected_surfaces, {instancePath:instancePath+"/affected_surfaces",parentData:data,parentDataProperty:"affected_surfaces",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate27.errors;}else {for(const e of validate27.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.required_reviews !== undefined){if(!(validate27(data.required_reviews, {instancePath:instancePath+"/required_reviews",parentData:data,parentDataProperty:"required_reviews",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate27.errors;}else {for(const e of validate27.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.required_evals !== undefined){if(!(validate27(data.required_evals, {instancePath:instancePath+"/required_evals",parentData:data,parentDataProperty:"required_evals",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate27.errors;}else {for(const e of validate27.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.status !== undefined){let data9 = data.status;if(!(((((((data9 === "draft") || (data9 === "proposed")) || (data9 === "in_review")) || (data9 === "changes_requested")) || (data9 === "approved")) || (data9 === "rejected")) || (data9 === "withdrawn"))){vErrors = __err(vErrors, {instancePath:instancePath+"/status",keyword:"enum",params:{allowedValues: schema39.properties.status.enum}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate26.errors = vErrors;return errors === 0;}validate26.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_config = validate31;const schema46 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/config/v1.json","type":"object","additionalProperties":false,"properties":{"$schema":{"type":"string"},"version":{"const":1},"key":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},"records":{"type":"object","additionalProperties":false,"properties":{"include":{"type":"array","$ref":"#/$defs/glob_list","minItems":1},"exclude":{"$ref":"#/$defs/glob_list"},"max_file_bytes":{"type":"integer","minimum":1,"maximum":67108864},"max_evidence_bytes":{"type":"integer","minimum":1,"maximum":17179869184},"max_files":{"type":"integer","minimum":1,"maximum":1000000},"allow_empty":{"type":"boolean"}}},"surfaces":{"type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"$ref":"#/$defs/glob_list"}},"roles":{"type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"$ref":"#/$defs/role"}},"approvals":{"type":"object","additionalProperties":false,"properties":{"accept_stale":{"type":"boolean"},"required_roles":{"$ref":"#/$defs/name_list"}}},"evals":{"type":"object","additionalProperties":false,"properties":{"regression_slack":{"type":"number","minimum":0,"maximum":1},"confidence":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},"max_missing_share":{"type":"number","minimum":0,"maximum":1},"bootstrap_resamples":{"type":"integer","minimum":100,"maximum":100000},"seed":{"type":"integer","minimum":0,"maximum":4294967295},"promptfoo":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["path","eval"],"properties":{"path":{"$ref":"#/$defs/path"},"eval":{"$ref":"#/$defs/name"}}}}}},"drift":{"type":"object","additionalProperties":false,"properties":{"max_token_drift":{"type":"number","minimum":0},"max_cost_drift":{"type":"number","minimum":0}}},"agbom":{"type":"object","additionalProperties":false,"properties":{"min_trust_score":{"type":"number","minimum":0,"maximum":1}}},"signals":{"type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"$ref":"#/$defs/signal_source"}},"integrity":{"type":"object","additionalProperties":false,"properties":{"paths":{"$ref":"#/$defs/glob_list"},"owner_role":{"$ref":"#/$defs/name"}}},"rules":{"type":"object","propertyNames":{"type":"string","pattern":"^[a-z][a-z0-9_-]*\\.[a-z0-9][a-z0-9_.-]*$"},"additionalProperties":{"enum":["deny","follow_up","warning","off"]}}},"$defs":{"name":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"name_list":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/name"}},"glob_list":{"type":"array","uniqueItems":true,"items":{"type":"string","minLength":1,"maxLength":1024}},"path":{"type":"string","minLength":1,"maxLength":1024},"role":{"type":"object","additionalProperties":false,"properties":{"users":{"type":"array","uniqueItems":true,"items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$"}},"teams":{"type":"array","uniqueItems":true,"items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$"}}}},"signal_source":{"oneOf":[{"type":"object","additionalProperties":false,"required":["eval"],"properties":{"eval":{"$ref":"#/$defs/name"}}},{"type":"object","additionalProperties":false,"required":["approval"],"properties":{"approval":{"$ref":"#/$defs/name"}}},{"type":"object","additionalProperties":false,"required":["file"],"properties":{"file":{"$ref":"#/$defs/path"}}}]}}};const schema47 = {"type":"array","uniqueItems":true,"items":{"type":"string","minLength":1,"maxLength":1024}};const schema49 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema52 = {"type":"object","additionalProperties":false,"properties":{"users":{"type":"array","uniqueItems":true,"items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$"}},"teams":{"type":"array","uniqueItems":true,"items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$"}}}};const schema55 = {"type":"string","minLength":1,"maxLength":1024};const pattern15 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", "u");const pattern18 = new RegExp("^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$", "u");const pattern19 = new RegExp("^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$", "u");const pattern26 = new RegExp("^[a-z][a-z0-9_-]*\\.[a-z0-9][a-z0-9_.-]*$", "u");const schema53 = {"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/name"}};function validate32(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate32.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(Array.isArray(data)){const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "array"}});errors++;}validate32.errors = vErrors;return errors === 0;}validate32.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};const schema58 = {"oneOf":[{"type":"object","additionalProperties":false,"required":["eval"],"properties":{"eval":{"$ref":"#/$defs/name"}}},{"type":"object","additionalProperties":false,"required":["approval"],"properties":{"approval":{"$ref":"#/$defs/name"}}},{"type":"object","additionalProperties":false,"required":["file"],"properties":{"file":{"$ref":"#/$defs/path"}}}]};function validate34(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate34.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}const _errs0 = errors;let valid0 = false;let passing0 = null;const _errs1 = errors;if(data && typeof data == "object" && !Array.isArray(data)){if(data.eval === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "eval"}});errors++;}for(const key0 in data){if(!(key0 === "eval")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.eval !== undefined){let data0 = data.eval;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}var _valid0 = _errs1 === errors;if(_valid0){valid0 = true;passing0 = 0;var props0 = true;}const _errs7 = errors;if(data && typeof data == "object" && !Array.isArray(data)){if(data.approval === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "approval"}});errors++;}for(const key1 in data){if(!(key1 === "approval")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data.approval !== undefined){let data1 = data.approval;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/approval",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/approval",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/approval",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/approval",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}var _valid0 = _errs7 === errors;if(_valid0 && valid0){valid0 = false;passing0 = [passing0, 1];}else {if(_valid0){valid0 = true;passing0 = 1;if(props0 !== true){props0 = true;}}const _errs13 = errors;if(data && typeof data == "object" && !Array.isArray(data)){if(data.file === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "file"}});errors++;}for(const key2 in data){if(!(key2 === "file")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key2}});errors++;}}if(data.file !== undefined){let data2 = data.file;if(typeof data2 === "string"){if((data2.length > 1024 && (data2.length > 2048 || func2(data2) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/file",keyword:"maxLength",params:{limit: 1024}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/file",keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/file",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}var _valid0 = _errs13 === errors;if(_valid0 && valid0){valid0 = false;passing0 = [passing0, 2];}else {if(_valid0){valid0 = true;passing0 = 2;if(props0 !== true){props0 = true;}}}}if(!valid0){vErrors = __err(vErrors, {instancePath,keyword:"oneOf",params:{passingSchemas: passing0}});errors++;}else {errors = _errs0;if(vErrors !== null){if(_errs0){vErrors.length = _errs0;}else {vErrors = null;}}}validate34.errors = vErrors;evaluated0.props = props0;return errors === 0;}validate34.evaluated = {"dynamicProps":true,"dynamicItems":false};function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/config/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate31.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){for(const key0 in data){if(!(func1.call(schema46.properties, key0))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.$schema !== undefined){if(typeof data.$schema !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/$schema",keyword:"type",params:{type: "string"}});errors++;}}if(data.version !== undefined){if(1 !== data.version){vErrors = __err(vErrors, {instancePath:instancePath+"/version",keyword:"const",params:{allowedValue: 1}});errors++;}}if(data.key !== undefined){let data2 = data.key;if(typeof data2 === "string"){if(!pattern15.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/key",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/key",keyword:"type",params:{type: "string"}});errors++;}}if(data.records !== undefined){let data3 = data.records;if(data3 && typeof data3 == "object" && !Array.isArray(data3)){for(const key1 in data3){if(!((((((key1 === "include") || (key1 === "exclude")) || (key1 === "max_file_bytes")) || (key1 === "max_evidence_bytes")) || (key1 === "max_files")) || (key1 === "allow_empty"))){vErrors = __err(vErrors, {instancePath:instancePath+"/records",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data3.include !== undefined){let data4 = data3.include;if(Array.isArray(data4)){const len0 = data4.length;for(let i0=0; i0<len0; i0++){let data5 = data4[i0];if(typeof data5 === "string"){if((data5.length > 1024 && (data5.length > 2048 || func2(data5) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/include/" + i0,keyword:"maxLength",params:{limit: 1024}});errors++;}if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/include/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records/include/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data4.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data4[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath:instancePath+"/records/include",keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records/include",keyword:"type",params:{type: "array"}});errors++;}if(Array.isArray(data4)){if(data4.length < 1){vErrors = __err(vErrors, {instancePath:instancePath+"/records/include",keyword:"minItems",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records/include",keyword:"type",params:{type: "array"}});errors++;}}if(data3.exclude !== undefined){let data6 = data3.exclude;if(Array.isArray(data6)){const len1 = data6.length;for(let i2=0; i2<len1; i2++){let data7 = data6[i2];if(typeof data7 === "string"){if((data7.length > 1024 && (data7.length > 2048 || func2(data7) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/exclude/" + i2,keyword:"maxLength",params:{limit: 1024}});errors++;}if((data7.length < 1 || (data7.length < 2 && func2(data7) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/exclude/" + i2,keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records/exclude/" + i2,keyword:"type",params:{type: "string"}});errors++;}}let i3 = data6.length;let j1;if(i3 > 1){const indices1 = {};for(;i3--;){let item1 = data6[i3];if(typeof item1 !== "string"){continue;}if(typeof indices1[item1] == "number"){j1 = indices1[item1];vErrors = __err(vErrors, {instancePath:instancePath+"/records/exclude",keyword:"uniqueItems",params:{i: i3, j: j1}});errors++;break;}indices1[item1] = i3;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records/exclude",keyword:"type",params:{type: "array"}});errors++;}}if(data3.max_file_bytes !== undefined){let data8 = data3.max_file_bytes;if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_file_bytes",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data8 == "number") && (isFinite(data8))){if(data8 > 67108864 || isNaN(data8)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_file_bytes",keyword:"maximum",params:{comparison: "<=", limit: 67108864}});errors++;}if(data8 < 1 || isNaN(data8)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_file_bytes",keyword:"minimum",params:{comparison: ">=", limit: 1}});errors++;}}}if(data3.max_evidence_bytes !== undefined){let data9 = data3.max_evidence_bytes;if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_evidence_bytes",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data9 == "number") && (isFinite(data9))){if(data9 > 17179869184 || isNaN(data9)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_evidence_bytes",keyword:"maximum",params:{comparison: "<=", limit: 17179869184}});errors++;}if(data9 < 1 || isNaN(data9)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_evidence_bytes",keyword:"minimum",params:{comparison: ">=", limit: 1}});errors++;}}}if(data3.max_files !== undefined){let data10 = data3.max_files;if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_files",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data10 == "number") && (isFinite(data10))){if(data10 > 1000000 || isNaN(data10)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_files",keyword:"maximum",params:{comparison: "<=", limit: 1000000}});errors++;}if(data10 < 1 || isNaN(data10)){vErrors = __err(vErrors, {instancePath:instancePath+"/records/max_files",keyword:"minimum",params:{comparison: ">=", limit: 1}});errors++;}}}if(data3.allow_empty !== undefined){if(typeof data3.allow_empty !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/records/allow_empty",keyword:"type",params:{type: "boolean"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/records",keyword:"type",params:{type: "object"}});errors++;}}if(data.surfaces !== undefined){let data12 = data.surfaces;if(data12 && typeof data12 == "object" && !Array.isArray(data12)){for(const key2 in data12){const _errs31 = errors;if(typeof key2 === "string"){if((key2.length > 256 && (key2.length > 512 || func2(key2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"maxLength",params:{limit: 256},propertyName:key2});errors++;}if((key2.length < 1 || (key2.length < 2 && func2(key2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"minLength",params:{limit: 1},propertyName:key2});errors++;}if(!pattern4.test(key2)){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key2});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"type",params:{type: "string"},propertyName:key2});errors++;}var valid10 = _errs31 === errors;if(!valid10){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"propertyNames",params:{propertyName: key2}});errors++;}}for(const key3 in data12){let data13 = data12[key3];if(Array.isArray(data13)){const len2 = data13.length;for(let i4=0; i4<len2; i4++){let data14 = data13[i4];if(typeof data14 === "string"){if((data14.length > 1024 && (data14.length > 2048 || func2(data14) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces/" + key3.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i4,keyword:"maxLength",params:{limit: 1024}});errors++;}if((data14.length < 1 || (data14.length < 2 && func2(data14) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces/" + key3.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i4,keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces/" + key3.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i4,keyword:"type",params:{type: "string"}});errors++;}}let i5 = data13.length;let j2;if(i5 > 1){const indices2 = {};for(;i5--;){let item2 = data13[i5];if(typeof item2 !== "string"){continue;}if(typeof indices2[item2] == "number"){j2 = indices2[item2];vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"uniqueItems",params:{i: i5, j: j2}});errors++;break;}indices2[item2] = i5;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/surfaces",keyword:"type",params:{type: "object"}});errors++;}}if(data.roles !== undefined){let data15 = data.roles;if(data15 && typeof data15 == "object" && !Array.isArray(data15)){for(const key4 in data15){const _errs42 = errors;if(typeof key4 === "string"){if((key4.length > 256 && (key4.length > 512 || func2(key4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"maxLength",params:{limit: 256},propertyName:key4});errors++;}if((key4.length < 1 || (key4.length < 2 && func2(key4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"minLength",params:{limit: 1},propertyName:key4});errors++;}if(!pattern4.test(key4)){vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key4});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"type",params:{type: "string"},propertyName:key4});errors++;}var valid17 = _errs42 === errors;if(!valid17){vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"propertyNames",params:{propertyName: key4}});errors++;}}for(const key5 in data15){let data16 = data15[key5];if(data16 && typeof data16 == "object" && !Array.isArray(data16)){for(const key6 in data16){if(!((key6 === "users") || (key6 === "teams"))){vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"additionalProperties",params:{additionalProperty: key6}});errors++;}}if(data16.users !== undefined){let data17 = data16.users;if(Array.isArray(data17)){const len3 = data17.length;for(let i6=0; i6<len3; i6++){let data18 = data17[i6];if(typeof data18 === "string"){if(!pattern18.test(data18)){vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/users/" + i6,keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/users/" + i6,keyword:"type",params:{type: "string"}});errors++;}}let i7 = data17.length;let j3;if(i7 > 1){const indices3 = {};for(;i7--;){let item3 = data17[i7];if(typeof item3 !== "string"){continue;}if(typeof indices3[item3] == "number"){j3 = indices3[item3];vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/users",keyword:"uniqueItems",params:{i: i7, j: j3}});errors++;break;}indices3[item3] = i7;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/users",keyword:"type",params:{type: "array"}});errors++;}}if(data16.teams !== undefined){let data19 = data16.teams;if(Array.isArray(data19)){const len4 = data19.length;for(let i8=0; i8<len4; i8++){let data20 = data19[i8];if(typeof data20 === "string"){if(!pattern19.test(data20)){vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/teams/" + i8,keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/teams/" + i8,keyword:"type",params:{type: "string"}});errors++;}}let i9 = data19.length;let j4;if(i9 > 1){const indices4 = {};for(;i9--;){let item4 = data19[i9];if(typeof item4 !== "string"){continue;}if(typeof indices4[item4] == "number"){j4 = indices4[item4];vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/teams",keyword:"uniqueItems",params:{i: i9, j: j4}});errors++;break;}indices4[item4] = i9;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/teams",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/roles",keyword:"type",params:{type: "object"}});errors++;}}if(data.approvals !== undefined){let data21 = data.approvals;if(data21 && typeof data21 == "object" && !Array.isArray(data21)){for(const key7 in data21){if(!((key7 === "accept_stale") || (key7 === "required_roles"))){vErrors = __err(vErrors, {instancePath:instancePath+"/approvals",keyword:"additionalProperties",params:{additionalProperty: key7}});errors++;}}if(data21.accept_stale !== undefined){if(typeof data21.accept_stale !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/approvals/accept_stale",keyword:"type",params:{type: "boolean"}});errors++;}}if(data21.required_roles !== undefined){if(!(validate32(data21.required_roles, {instancePath:instancePath+"/approvals/required_roles",parentData:data21,parentDataProperty:"required_roles",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate32.errors;}else {for(const e of validate32.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/approvals",keyword:"type",params:{type: "object"}});errors++;}}if(data.evals !== undefined){let data24 = data.evals;if(data24 && typeof data24 == "object" && !Array.isArray(data24)){for(const key8 in data24){if(!((((((key8 === "regression_slack") || (key8 === "confidence")) || (key8 === "max_missing_share")) || (key8 === "bootstrap_resamples")) || (key8 === "seed")) || (key8 === "promptfoo"))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals",keyword:"additionalProperties",params:{additionalProperty: key8}});errors++;}}if(data24.regression_slack !== undefined){let data25 = data24.regression_slack;if((typeof data25 == "number") && (isFinite(data25))){if(data25 > 1 || isNaN(data25)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/regression_slack",keyword:"maximum",params:{comparison: "<=", limit: 1}});errors++;}if(data25 < 0 || isNaN(data25)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/regression_slack",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/regression_slack",keyword:"type",params:{type: "number"}});errors++;}}if(data24.confidence !== undefined){let data26 = data24.confidence;if((typeof data26 == "number") && (isFinite(data26))){if(data26 >= 1 || isNaN(data26)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/confidence",keyword:"exclusiveMaximum",params:{comparison: "<", limit: 1}});errors++;}if(data26 <= 0 || isNaN(data26)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/confidence",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/confidence",keyword:"type",params:{type: "number"}});errors++;}}if(data24.max_missing_share !== undefined){let data27 = data24.max_missing_share;if((typeof data27 == "number") && (isFinite(data27))){if(data27 > 1 || isNaN(data27)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/max_missing_share",keyword:"maximum",params:{comparison: "<=", limit: 1}});errors++;}if(data27 < 0 || isNaN(data27)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/max_missing_share",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/max_missing_share",keyword:"type",params:{type: "number"}});errors++;}}if(data24.bootstrap_resamples !== undefined){let data28 = data24.bootstrap_resamples;if(!(((typeof data28 == "number") && (!(data28 % 1) && !isNaN(data28))) && (isFinite(data28)))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/bootstrap_resamples",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data28 == "number") && (isFinite(data28))){if(data28 > 100000 || isNaN(data28)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/bootstrap_resamples",keyword:"maximum",params:{comparison: "<=", limit: 100000}});errors++;}if(data28 < 100 || isNaN(data28)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/bootstrap_resamples",keyword:"minimum",params:{comparison: ">=", limit: 100}});errors++;}}}if(data24.seed !== undefined){let data29 = data24.seed;if(!(((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29))) && (isFinite(data29)))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/seed",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data29 == "number") && (isFinite(data29))){if(data29 > 4294967295 || isNaN(data29)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/seed",keyword:"maximum",params:{comparison: "<=", limit: 4294967295}});errors++;}if(data29 < 0 || isNaN(data29)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/seed",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}if(data24.promptfoo !== undefined){let data30 = data24.promptfoo;if(Array.isArray(data30)){const len5 = data30.length;for(let i10=0; i10<len5; i10++){let data31 = data30[i10];if(data31 && typeof data31 == "object" && !Array.isArray(data31)){if(data31.path === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10,keyword:"required",params:{missingProperty: "path"}});errors++;}if(data31.eval === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10,keyword:"required",params:{missingProperty: "eval"}});errors++;}for(const key9 in data31){if(!((key9 === "path") || (key9 === "eval"))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10,keyword:"additionalProperties",params:{additionalProperty: key9}});errors++;}}if(data31.path !== undefined){let data32 = data31.path;if(typeof data32 === "string"){if((data32.length > 1024 && (data32.length > 2048 || func2(data32) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/path",keyword:"maxLength",params:{limit: 1024}});errors++;}if((data32.length < 1 || (data32.length < 2 && func2(data32) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/path",keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/path",keyword:"type",params:{type: "string"}});errors++;}}if(data31.eval !== undefined){let data33 = data31.eval;if(typeof data33 === "string"){if((data33.length > 256 && (data33.length > 512 || func2(data33) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/eval",keyword:"maxLength",params:{limit: 256}});errors++;}if((data33.length < 1 || (data33.length < 2 && func2(data33) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/eval",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data33)){vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/eval",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10+"/eval",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo/" + i10,keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals/promptfoo",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evals",keyword:"type",params:{type: "object"}});errors++;}}if(data.drift !== undefined){let data34 = data.drift;if(data34 && typeof data34 == "object" && !Array.isArray(data34)){for(const key10 in data34){if(!((key10 === "max_token_drift") || (key10 === "max_cost_drift"))){vErrors = __err(vErrors, {instancePath:instancePath+"/drift",keyword:"additionalProperties",params:{additionalProperty: key10}});errors++;}}if(data34.max_token_drift !== undefined){let data35 = data34.max_token_drift;if((typeof data35 == "number") && (isFinite(data35))){if(data35 < 0 || isNaN(data35)){vErrors = __err(vErrors, {instancePath:instancePath+"/drift/max_token_drift",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/drift/max_token_drift",keyword:"type",params:{type: "number"}});errors++;}}if(data34.max_cost_drift !== undefined){let data36 = data34.max_cost_drift;if((typeof data36 == "number") && (isFinite(data36))){if(data36 < 0 || isNaN(data36)){vErrors = __err(vErrors, {instancePath:instancePath+"/drift/max_cost_drift",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/drift/max_cost_drift",keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/drift",keyword:"type",params:{type: "object"}});errors++;}}if(data.agbom !== undefined){let data37 = data.agbom;if(data37 && typeof data37 == "object" && !Array.isArray(data37)){for(const key11 in data37){if(!(key11 === "min_trust_score")){vErrors = __err(vErrors, {instancePath:instancePath+"/agbom",keyword:"additionalProperties",params:{additionalProperty: key11}});errors++;}}if(data37.min_trust_score !== undefined){let data38 = data37.min_trust_score;if((typeof data38 == "number") && (isFinite(data38))){if(data38 > 1 || isNaN(data38)){vErrors = __err(vErrors, {instancePath:instancePath+"/agbom/min_trust_score",keyword:"maximum",params:{comparison: "<=", limit: 1}});errors++;}if(data38 < 0 || isNaN(data38)){vErrors = __err(vErrors, {instancePath:instancePath+"/agbom/min_trust_score",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/agbom/min_trust_score",keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/agbom",keyword:"type",params:{type: "object"}});errors++;}}if(data.signals !== undefined){let data39 = data.signals;if(data39 && typeof data39 == "object" && !Array.isArray(data39)){for(const key12 in data39){const _errs102 = errors;if(typeof key12 === "string"){if((key12.length > 256 && (key12.length > 512 || func2(key12) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"maxLength",params:{limit: 256},propertyName:key12});errors++;}if((key12.length < 1 || (key12.length < 2 && func2(key12) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"minLength",params:{limit: 1},propertyName:key12});errors++;}if(!pattern4.test(key12)){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key12});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"type",params:{type: "string"},propertyName:key12});errors++;}var valid37 = _errs102 === errors;if(!valid37){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"propertyNames",params:{propertyName: key12}});errors++;}}for(const key13 in data39){if(!(validate34(data39[key13], {instancePath:instancePath+"/signals/" + key13.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data39,parentDataProperty:key13,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate34.errors;}else {for(const e of validate34.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"type",params:{type: "object"}});errors++;}}if(data.integrity !== undefined){let data41 = data.integrity;if(data41 && typeof data41 == "object" && !Array.isArray(data41)){for(const key14 in data41){if(!((key14 === "paths") || (key14 === "owner_role"))){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity",keyword:"additionalProperties",params:{additionalProperty: key14}});errors++;}}if(data41.paths !== undefined){let data42 = data41.paths;if(Array.isArray(data42)){const len6 = data42.length;for(let i11=0; i11<len6; i11++){let data43 = data42[i11];if(typeof data43 === "string"){if((data43.length > 1024 && (data43.length > 2048 || func2(data43) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/paths/" + i11,keyword:"maxLength",params:{limit: 1024}});errors++;}if((data43.length < 1 || (data43.length < 2 && func2(data43) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/paths/" + i11,keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/paths/" + i11,keyword:"type",params:{type: "string"}});errors++;}}let i12 = data42.length;let j5;if(i12 > 1){const indices5 = {};for(;i12--;){let item5 = data42[i12];if(typeof item5 !== "string"){continue;}if(typeof indices5[item5] == "number"){j5 = indices5[item5];vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/paths",keyword:"uniqueItems",params:{i: i12, j: j5}});errors++;break;}indices5[item5] = i12;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/paths",keyword:"type",params:{type: "array"}});errors++;}}if(data41.owner_role !== undefined){let data44 = data41.owner_role;if(typeof data44 === "string"){if((data44.length > 256 && (data44.length > 512 || func2(data44) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/owner_role",keyword:"maxLength",params:{limit: 256}});errors++;}if((data44.length < 1 || (data44.length < 2 && func2(data44) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/owner_role",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data44)){vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/owner_role",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/integrity/owner_role",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/integrity",keyword:"type",params:{type: "object"}});errors++;}}if(data.rules !== undefined){let data45 = data.rules;if(data45 && typeof data45 == "object" && !Array.isArray(data45)){for(const key15 in data45){const _errs120 = errors;if(typeof key15 === "string"){if(!pattern26.test(key15)){vErrors = __err(vErrors, {instancePath:instancePath+"/rules",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_-]*\\.[a-z0-9][a-z0-9_.-]*$"},propertyName:key15});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rules",keyword:"type",params:{type: "string"},propertyName:key15});errors++;}var valid46 = _errs120 === errors;if(!valid46){vErrors = __err(vErrors, {instancePath:instancePath+"/rules",keyword:"propertyNames",params:{propertyName: key15}});errors++;}}for(const key16 in data45){let data46 = data45[key16];if(!((((data46 === "deny") || (data46 === "follow_up")) || (data46 === "warning")) || (data46 === "off"))){vErrors = __err(vErrors, {instancePath:instancePath+"/rules/" + key16.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"enum",params:{allowedValues: schema46.properties.rules.additionalProperties.enum}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rules",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate31.errors = vErrors;return errors === 0;}validate31.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_deployment = validate36;const schema64 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/deployment/v1.json","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"const":"joch.dev/v1alpha1"},"kind":{"const":"Deployment"},"metadata":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/$defs/id"},"labels":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"string"}}}},"spec":{"type":"object","additionalProperties":false,"required":["agentRef","environmentRef"],"properties":{"agentRef":{"$ref":"#/$defs/ref"},"environmentRef":{"$ref":"#/$defs/ref"},"promotion":{"type":"object","additionalProperties":false,"properties":{"requiresEval":{"$ref":"#/$defs/one_or_more"},"requiresApproval":{"$ref":"#/$defs/one_or_more"}}}}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"ref":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/$defs/id"}}},"one_or_more":{"type":["string","array"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$","minItems":1,"uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}}}};const schema65 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema67 = {"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/$defs/id"}}};function validate37(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate37.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "name"}});errors++;}for(const key0 in data){if(!(key0 === "name")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.name !== undefined){let data0 = data.name;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate37.errors = vErrors;return errors === 0;}validate37.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const schema69 = {"type":["string","array"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$","minItems":1,"uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}};function validate40(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate40.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if((typeof data !== "string") && (!(Array.isArray(data)))){vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: schema69.type}});errors++;}if(typeof data === "string"){if((data.length > 256 && (data.length > 512 || func2(data) > 256))){vErrors = __err(vErrors, {instancePath,keyword:"maxLength",params:{limit: 256}});errors++;}if((data.length < 1 || (data.length < 2 && func2(data) < 1))){vErrors = __err(vErrors, {instancePath,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data)){vErrors = __err(vErrors, {instancePath,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}if(Array.isArray(data)){if(data.length < 1){vErrors = __err(vErrors, {instancePath,keyword:"minItems",params:{limit: 1}});errors++;}const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}validate40.errors = vErrors;return errors === 0;}validate40.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/deployment/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate36.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.apiVersion === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "apiVersion"}});errors++;}if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.metadata === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "metadata"}});errors++;}if(data.spec === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "spec"}});errors++;}for(const key0 in data){if(!((((key0 === "apiVersion") || (key0 === "kind")) || (key0 === "metadata")) || (key0 === "spec"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.apiVersion !== undefined){if("joch.dev/v1alpha1" !== data.apiVersion){vErrors = __err(vErrors, {instancePath:instancePath+"/apiVersion",keyword:"const",params:{allowedValue: "joch.dev/v1alpha1"}});errors++;}}if(data.kind !== undefined){if("Deployment" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "Deployment"}});errors++;}}if(data.metadata !== undefined){let data2 = data.metadata;if(data2 && typeof data2 == "object" && !Array.isArray(data2)){if(data2.name === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata",keyword:"required",params:{missingProperty: "name"}});errors++;}for(const key1 in data2){if(!((key1 === "name") || (key1 === "labels"))){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data2.name !== undefined){let data3 = data2.name;if(typeof data3 === "string"){if((data3.length > 256 && (data3.length > 512 || func2(data3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/name",keyword:"maxLength",params:{limit: 256}});errors++;}if((data3.length < 1 || (data3.length < 2 && func2(data3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/name",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data3)){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/name",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/name",keyword:"type",params:{type: "string"}});errors++;}}if(data2.labels !== undefined){let data4 = data2.labels;if(data4 && typeof data4 == "object" && !Array.isArray(data4)){for(const key2 in data4){const _errs12 = errors;if(typeof key2 === "string"){if((key2.length > 256 && (key2.length > 512 || func2(key2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"maxLength",params:{limit: 256},propertyName:key2});errors++;}if((key2.length < 1 || (key2.length < 2 && func2(key2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"minLength",params:{limit: 1},propertyName:key2});errors++;}if(!pattern4.test(key2)){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key2});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"type",params:{type: "string"},propertyName:key2});errors++;}var valid3 = _errs12 === errors;if(!valid3){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"propertyNames",params:{propertyName: key2}});errors++;}}for(const key3 in data4){if(typeof data4[key3] !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metadata/labels",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metadata",keyword:"type",params:{type: "object"}});errors++;}}if(data.spec !== undefined){let data6 = data.spec;if(data6 && typeof data6 == "object" && !Array.isArray(data6)){if(data6.agentRef === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"required",params:{missingProperty: "agentRef"}});errors++;}if(data6.environmentRef === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"required",params:{missingProperty: "environmentRef"}});errors++;}for(const key4 in data6){if(!(((key4 === "agentRef") || (key4 === "environmentRef")) || (key4 === "promotion"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"additionalProperties",params:{additionalProperty: key4}});errors++;}}if(data6.agentRef !== undefined){if(!(validate37(data6.agentRef, {instancePath:instancePath+"/spec/agentRef",parentData:data6,parentDataProperty:"agentRef",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate37.errors;}else {for(const e of validate37.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data6.environmentRef !== undefined){if(!(validate37(data6.environmentRef, {instancePath:instancePath+"/spec/environmentRef",parentData:data6,parentDataProperty:"environmentRef",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate37.errors;}else {for(const e of validate37.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data6.promotion !== undefined){let data9 = data6.promotion;if(data9 && typeof data9 == "object" && !Array.isArray(data9)){for(const key5 in data9){if(!((key5 === "requiresEval") || (key5 === "requiresApproval"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/promotion",keyword:"additionalProperties",params:{additionalProperty: key5}});errors++;}}if(data9.requiresEval !== undefined){if(!(validate40(data9.requiresEval, {instancePath:instancePath+"/spec/promotion/requiresEval",parentData:data9,parentDataProperty:"requiresEval",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate40.errors;}else {for(const e of validate40.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data9.requiresApproval !== undefined){if(!(validate40(data9.requiresApproval, {instancePath:instancePath+"/spec/promotion/requiresApproval",parentData:data9,parentDataProperty:"requiresApproval",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate40.errors;}else {for(const e of validate40.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/promotion",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate36.errors = vErrors;return errors === 0;}validate36.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_eval = validate43;const schema71 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/eval/v1.json","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"const":"joch.dev/v1alpha1"},"kind":{"const":"Eval"},"metadata":{"$ref":"#/$defs/metadata"},"spec":{"type":"object","additionalProperties":false,"required":["metrics"],"properties":{"target":{"type":"object","additionalProperties":false,"required":["kind","name"],"properties":{"kind":{"$ref":"#/$defs/id"},"name":{"$ref":"#/$defs/id"}}},"dataset":{"type":"object","additionalProperties":false,"required":["type","uri"],"properties":{"type":{"$ref":"#/$defs/id"},"uri":{"$ref":"#/$defs/id"}}},"metrics":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/metric"}},"schedule":{"type":"object","additionalProperties":false,"properties":{"onDeployment":{"type":"boolean"},"nightly":{"type":"boolean"}}},"thresholds":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"$ref":"#/$defs/threshold"}},"releaseGate":{"type":"object","additionalProperties":false,"required":["enabled"],"properties":{"enabled":{"type":"boolean"},"blocksPromotionTo":{"$ref":"#/$defs/id"}}},"covers":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}}}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"metadata":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/$defs/id"},"labels":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"string"}}}},"metric":{"type":"object","additionalProperties":false,"required":["name","type"],"properties":{"name":{"$ref":"#/$defs/id"},"type":{"enum":["llm_judge","deterministic","numeric"]},"aggregate":{"enum":["mean","rate","p50","p95","p99","max","min","sum"]},"direction":{"enum":["higher_is_better","lower_is_better"]},"source":{"$ref":"#/$defs/id"}}},"threshold":{"type":["number","string"],"pattern":"^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"}}};const schema73 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema83 = {"type":["number","string"],"pattern":"^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"};const schema72 = {"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/$defs/id"},"labels":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"string"}}}};function validate44(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate44.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "name"}});errors++;}for(const key0 in data){if(!((key0 === "name") || (key0 === "labels"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.name !== undefined){let data0 = data.name;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"type",params:{type: "string"}});errors++;}}if(data.labels !== undefined){let data1 = data.labels;if(data1 && typeof data1 == "object" && !Array.isArray(data1)){for(const key1 in data1){const _errs7 = errors;if(typeof key1 === "string"){if((key1.length > 256 && (key1.length > 512 || func2(key1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"maxLength",params:{limit: 256},propertyName:key1});errors++;}if((key1.length < 1 || (key1.length < 2 && func2(key1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"minLength",params:{limit: 1},propertyName:key1});errors++;}if(!pattern4.test(key1)){vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key1});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"type",params:{type: "string"},propertyName:key1});errors++;}var valid2 = _errs7 === errors;if(!valid2){vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"propertyNames",params:{propertyName: key1}});errors++;}}for(const key2 in data1){if(typeof data1[key2] !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/labels/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/labels",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate44.errors = vErrors;return errors === 0;}validate44.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const schema79 = {"type":"object","additionalProperties":false,"required":["name","type"],"properties":{"name":{"$ref":"#/$defs/id"},"type":{"enum":["llm_judge","deterministic","numeric"]},"aggregate":{"enum":["mean","rate","p50","p95","p99","max","min","sum"]},"direction":{"enum":["higher_is_better","lower_is_better"]},"source":{"$ref":"#/$defs/id"}}};function validate46(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate46.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "name"}});errors++;}if(data.type === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "type"}});errors++;}for(const key0 in data){if(!(((((key0 === "name") || (key0 === "type")) || (key0 === "aggregate")) || (key0 === "direction")) || (key0 === "source"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.name !== undefined){let data0 = data.name;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/name",keyword:"type",params:{type: "string"}});errors++;}}if(data.type !== undefined){let data1 = data.type;if(!(((data1 === "llm_judge") || (data1 === "deterministic")) || (data1 === "numeric"))){vErrors = __err(vErrors, {instancePath:instancePath+"/type",keyword:"enum",params:{allowedValues: schema79.properties.type.enum}});errors++;}}if(data.aggregate !== undefined){let data2 = data.aggregate;if(!((((((((data2 === "mean") || (data2 === "rate")) || (data2 === "p50")) || (data2 === "p95")) || (data2 === "p99")) || (data2 === "max")) || (data2 === "min")) || (data2 === "sum"))){vErrors = __err(vErrors, {instancePath:instancePath+"/aggregate",keyword:"enum",params:{allowedValues: schema79.properties.aggregate.enum}});errors++;}}if(data.direction !== undefined){let data3 = data.direction;if(!((data3 === "higher_is_better") || (data3 === "lower_is_better"))){vErrors = __err(vErrors, {instancePath:instancePath+"/direction",keyword:"enum",params:{allowedValues: schema79.properties.direction.enum}});errors++;}}if(data.source !== undefined){let data4 = data.source;if(typeof data4 === "string"){if((data4.length > 256 && (data4.length > 512 || func2(data4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/source",keyword:"maxLength",params:{limit: 256}});errors++;}if((data4.length < 1 || (data4.length < 2 && func2(data4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/source",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/source",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/source",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate46.errors = vErrors;return errors === 0;}validate46.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const pattern41 = new RegExp("^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", "u");function validate43(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/eval/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate43.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.apiVersion === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "apiVersion"}});errors++;}if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.metadata === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "metadata"}});errors++;}if(data.spec === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "spec"}});errors++;}for(const key0 in data){if(!((((key0 === "apiVersion") || (key0 === "kind")) || (key0 === "metadata")) || (key0 === "spec"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.apiVersion !== undefined){if("joch.dev/v1alpha1" !== data.apiVersion){vErrors = __err(vErrors, {instancePath:instancePath+"/apiVersion",keyword:"const",params:{allowedValue: "joch.dev/v1alpha1"}});errors++;}}if(data.kind !== undefined){if("Eval" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "Eval"}});errors++;}}if(data.metadata !== undefined){if(!(validate44(data.metadata, {instancePath:instancePath+"/metadata",parentData:data,parentDataProperty:"metadata",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate44.errors;}else {for(const e of validate44.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.spec !== undefined){let data3 = data.spec;if(data3 && typeof data3 == "object" && !Array.isArray(data3)){if(data3.metrics === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"required",params:{missingProperty: "metrics"}});errors++;}for(const key1 in data3){if(!(((((((key1 === "target") || (key1 === "dataset")) || (key1 === "metrics")) || (key1 === "schedule")) || (key1 === "thresholds")) || (key1 === "releaseGate")) || (key1 === "covers"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data3.target !== undefined){let data4 = data3.target;if(data4 && typeof data4 == "object" && !Array.isArray(data4)){if(data4.kind === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target",keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data4.name === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target",keyword:"required",params:{missingProperty: "name"}});errors++;}for(const key2 in data4){if(!((key2 === "kind") || (key2 === "name"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target",keyword:"additionalProperties",params:{additionalProperty: key2}});errors++;}}if(data4.kind !== undefined){let data5 = data4.kind;if(typeof data5 === "string"){if((data5.length > 256 && (data5.length > 512 || func2(data5) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/kind",keyword:"maxLength",params:{limit: 256}});errors++;}if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/kind",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/kind",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/kind",keyword:"type",params:{type: "string"}});errors++;}}if(data4.name !== undefined){let data6 = data4.name;if(typeof data6 === "string"){if((data6.length > 256 && (data6.length > 512 || func2(data6) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/name",keyword:"maxLength",params:{limit: 256}});errors++;}if((data6.length < 1 || (data6.length < 2 && func2(data6) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/name",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data6)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/name",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target/name",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/target",keyword:"type",params:{type: "object"}});errors++;}}if(data3.dataset !== undefined){let data7 = data3.dataset;if(data7 && typeof data7 == "object" && !Array.isArray(data7)){if(data7.type === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset",keyword:"required",params:{missingProperty: "type"}});errors++;}if(data7.uri === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset",keyword:"required",params:{missingProperty: "uri"}});errors++;}for(const key3 in data7){if(!((key3 === "type") || (key3 === "uri"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset",keyword:"additionalProperties",params:{additionalProperty: key3}});errors++;}}if(data7.type !== undefined){let data8 = data7.type;if(typeof data8 === "string"){if((data8.length > 256 && (data8.length > 512 || func2(data8) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/type",keyword:"maxLength",params:{limit: 256}});errors++;}if((data8.length < 1 || (data8.length < 2 && func2(data8) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/type",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data8)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/type",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/type",keyword:"type",params:{type: "string"}});errors++;}}if(data7.uri !== undefined){let data9 = data7.uri;if(typeof data9 === "string"){if((data9.length > 256 && (data9.length > 512 || func2(data9) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/uri",keyword:"maxLength",params:{limit: 256}});errors++;}if((data9.length < 1 || (data9.length < 2 && func2(data9) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/uri",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data9)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/uri",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset/uri",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/dataset",keyword:"type",params:{type: "object"}});errors++;}}if(data3.metrics !== undefined){let data10 = data3.metrics;if(Array.isArray(data10)){if(data10.length < 1){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/metrics",keyword:"minItems",params:{limit: 1}});errors++;}const len0 = data10.length;for(let i0=0; i0<len0; i0++){if(!(validate46(data10[i0], {instancePath:instancePath+"/spec/metrics/" + i0,parentData:data10,parentDataProperty:i0,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate46.errors;}else {for(const e of validate46.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/metrics",keyword:"type",params:{type: "array"}});errors++;}}if(data3.schedule !== undefined){let data12 = data3.schedule;if(data12 && typeof data12 == "object" && !Array.isArray(data12)){for(const key4 in data12){if(!((key4 === "onDeployment") || (key4 === "nightly"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/schedule",keyword:"additionalProperties",params:{additionalProperty: key4}});errors++;}}if(data12.onDeployment !== undefined){if(typeof data12.onDeployment !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/schedule/onDeployment",keyword:"type",params:{type: "boolean"}});errors++;}}if(data12.nightly !== undefined){if(typeof data12.nightly !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/schedule/nightly",keyword:"type",params:{type: "boolean"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/schedule",keyword:"type",params:{type: "object"}});errors++;}}if(data3.thresholds !== undefined){let data15 = data3.thresholds;if(data15 && typeof data15 == "object" && !Array.isArray(data15)){for(const key5 in data15){const _errs38 = errors;if(typeof key5 === "string"){if((key5.length > 256 && (key5.length > 512 || func2(key5) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"maxLength",params:{limit: 256},propertyName:key5});errors++;}if((key5.length < 1 || (key5.length < 2 && func2(key5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"minLength",params:{limit: 1},propertyName:key5});errors++;}if(!pattern4.test(key5)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key5});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"type",params:{type: "string"},propertyName:key5});errors++;}var valid11 = _errs38 === errors;if(!valid11){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"propertyNames",params:{propertyName: key5}});errors++;}}for(const key6 in data15){let data16 = data15[key6];if((!((typeof data16 == "number") && (isFinite(data16)))) && (typeof data16 !== "string")){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: schema83.type}});errors++;}if(typeof data16 === "string"){if(!pattern41.test(data16)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"pattern",params:{pattern: "^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"}});errors++;}}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/thresholds",keyword:"type",params:{type: "object"}});errors++;}}if(data3.releaseGate !== undefined){let data17 = data3.releaseGate;if(data17 && typeof data17 == "object" && !Array.isArray(data17)){if(data17.enabled === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate",keyword:"required",params:{missingProperty: "enabled"}});errors++;}for(const key7 in data17){if(!((key7 === "enabled") || (key7 === "blocksPromotionTo"))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate",keyword:"additionalProperties",params:{additionalProperty: key7}});errors++;}}if(data17.enabled !== undefined){if(typeof data17.enabled !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate/enabled",keyword:"type",params:{type: "boolean"}});errors++;}}if(data17.blocksPromotionTo !== undefined){let data19 = data17.blocksPromotionTo;if(typeof data19 === "string"){if((data19.length > 256 && (data19.length > 512 || func2(data19) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate/blocksPromotionTo",keyword:"maxLength",params:{limit: 256}});errors++;}if((data19.length < 1 || (data19.length < 2 && func2(data19) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate/blocksPromotionTo",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data19)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate/blocksPromotionTo",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate/blocksPromotionTo",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/releaseGate",keyword:"type",params:{type: "object"}});errors++;}}if(data3.covers !== undefined){let data20 = data3.covers;if(Array.isArray(data20)){const len1 = data20.length;for(let i1=0; i1<len1; i1++){let data21 = data20[i1];if(typeof data21 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers/" + i1,keyword:"type",params:{type: "string"}});errors++;}if(typeof data21 === "string"){if((data21.length > 256 && (data21.length > 512 || func2(data21) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers/" + i1,keyword:"maxLength",params:{limit: 256}});errors++;}if((data21.length < 1 || (data21.length < 2 && func2(data21) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers/" + i1,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data21)){vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers/" + i1,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers/" + i1,keyword:"type",params:{type: "string"}});errors++;}}let i2 = data20.length;let j0;if(i2 > 1){const indices0 = {};for(;i2--;){let item0 = data20[i2];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers",keyword:"uniqueItems",params:{i: i2, j: j0}});errors++;break;}indices0[item0] = i2;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec/covers",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/spec",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate43.errors = vErrors;return errors === 0;}validate43.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_eval_case_line = validate48;const schema86 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/eval_case_line/v1.json","type":"object","additionalProperties":false,"required":["eval","case_id","metrics"],"properties":{"eval":{"$ref":"#/$defs/id"},"case_id":{"$ref":"#/$defs/id"},"metrics":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":["number","boolean"]}},"cost_usd":{"type":"number","minimum":0},"latency_ms":{"type":"number","minimum":0}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"}}};const schema87 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};function validate48(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/eval_case_line/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate48.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.eval === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "eval"}});errors++;}if(data.case_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "case_id"}});errors++;}if(data.metrics === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "metrics"}});errors++;}for(const key0 in data){if(!(((((key0 === "eval") || (key0 === "case_id")) || (key0 === "metrics")) || (key0 === "cost_usd")) || (key0 === "latency_ms"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.eval !== undefined){let data0 = data.eval;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"type",params:{type: "string"}});errors++;}}if(data.case_id !== undefined){let data1 = data.case_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/case_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/case_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/case_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/case_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.metrics !== undefined){let data2 = data.metrics;if(data2 && typeof data2 == "object" && !Array.isArray(data2)){for(const key1 in data2){const _errs10 = errors;if(typeof key1 === "string"){if((key1.length > 256 && (key1.length > 512 || func2(key1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"maxLength",params:{limit: 256},propertyName:key1});errors++;}if((key1.length < 1 || (key1.length < 2 && func2(key1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"minLength",params:{limit: 1},propertyName:key1});errors++;}if(!pattern4.test(key1)){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key1});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"type",params:{type: "string"},propertyName:key1});errors++;}var valid3 = _errs10 === errors;if(!valid3){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"propertyNames",params:{propertyName: key1}});errors++;}}for(const key2 in data2){let data3 = data2[key2];if((!((typeof data3 == "number") && (isFinite(data3)))) && (typeof data3 !== "boolean")){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: schema86.properties.metrics.additionalProperties.type}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"type",params:{type: "object"}});errors++;}}if(data.cost_usd !== undefined){let data4 = data.cost_usd;if((typeof data4 == "number") && (isFinite(data4))){if(data4 < 0 || isNaN(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"type",params:{type: "number"}});errors++;}}if(data.latency_ms !== undefined){let data5 = data.latency_ms;if((typeof data5 == "number") && (isFinite(data5))){if(data5 < 0 || isNaN(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/latency_ms",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/latency_ms",keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate48.errors = vErrors;return errors === 0;}validate48.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_eval_scores = validate49;const schema90 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/eval_scores/v1.json","type":"object","additionalProperties":false,"required":["kind","eval","metrics"],"properties":{"kind":{"const":"eval_scores"},"eval":{"$ref":"#/$defs/id"},"cases":{"type":"integer","minimum":0,"maximum":9007199254740991},"metrics":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"number"}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"}}};const schema91 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};function validate49(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/eval_scores/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate49.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.eval === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "eval"}});errors++;}if(data.metrics === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "metrics"}});errors++;}for(const key0 in data){if(!((((key0 === "kind") || (key0 === "eval")) || (key0 === "cases")) || (key0 === "metrics"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.kind !== undefined){if("eval_scores" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "eval_scores"}});errors++;}}if(data.eval !== undefined){let data1 = data.eval;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/eval",keyword:"type",params:{type: "string"}});errors++;}}if(data.cases !== undefined){let data2 = data.cases;if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){vErrors = __err(vErrors, {instancePath:instancePath+"/cases",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data2 == "number") && (isFinite(data2))){if(data2 > 9007199254740991 || isNaN(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/cases",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991}});errors++;}if(data2 < 0 || isNaN(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/cases",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}if(data.metrics !== undefined){let data3 = data.metrics;if(data3 && typeof data3 == "object" && !Array.isArray(data3)){for(const key1 in data3){const _errs10 = errors;if(typeof key1 === "string"){if((key1.length > 256 && (key1.length > 512 || func2(key1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"maxLength",params:{limit: 256},propertyName:key1});errors++;}if((key1.length < 1 || (key1.length < 2 && func2(key1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"minLength",params:{limit: 1},propertyName:key1});errors++;}if(!pattern4.test(key1)){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key1});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"type",params:{type: "string"},propertyName:key1});errors++;}var valid2 = _errs10 === errors;if(!valid2){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"propertyNames",params:{propertyName: key1}});errors++;}}for(const key2 in data3){let data4 = data3[key2];if(!((typeof data4 == "number") && (isFinite(data4)))){vErrors = __err(vErrors, {instancePath:instancePath+"/metrics/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/metrics",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate49.errors = vErrors;return errors === 0;}validate49.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_promptfoo_results = validate50;const schema93 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/promptfoo_results/v1.json","type":"object","required":["results"],"properties":{"evalId":{"type":["string","null"]},"results":{"type":"object","required":["results"],"properties":{"version":{"type":"integer"},"timestamp":{"type":"string"},"results":{"type":"array","items":{"$ref":"#/$defs/result"}}}},"config":{"type":"object","properties":{"description":{"type":"string"}}}},"$defs":{"index":{"type":"integer","minimum":0,"maximum":9007199254740991},"result":{"type":"object","required":["testIdx","promptIdx","success","score"],"properties":{"testIdx":{"$ref":"#/$defs/index"},"promptIdx":{"$ref":"#/$defs/index"},"success":{"type":"boolean"},"score":{"type":"number"},"namedScores":{"type":"object","additionalProperties":{"type":"number"}},"cost":{"type":"number","minimum":0},"latencyMs":{"type":"number","minimum":0}}}}};const schema94 = {"type":"object","required":["testIdx","promptIdx","success","score"],"properties":{"testIdx":{"$ref":"#/$defs/index"},"promptIdx":{"$ref":"#/$defs/index"},"success":{"type":"boolean"},"score":{"type":"number"},"namedScores":{"type":"object","additionalProperties":{"type":"number"}},"cost":{"type":"number","minimum":0},"latencyMs":{"type":"number","minimum":0}}};const schema95 = {"type":"integer","minimum":0,"maximum":9007199254740991};function validate51(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate51.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.testIdx === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "testIdx"}});errors++;}if(data.promptIdx === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "promptIdx"}});errors++;}if(data.success === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "success"}});errors++;}if(data.score === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "score"}});errors++;}if(data.testIdx !== undefined){let data0 = data.testIdx;if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){vErrors = __err(vErrors, {instancePath:instancePath+"/testIdx",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data0 == "number") && (isFinite(data0))){if(data0 > 9007199254740991 || isNaN(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/testIdx",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991}});errors++;}if(data0 < 0 || isNaN(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/testIdx",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}if(data.promptIdx !== undefined){let data1 = data.promptIdx;if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){vErrors = __err(vErrors, {instancePath:instancePath+"/promptIdx",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data1 == "number") && (isFinite(data1))){if(data1 > 9007199254740991 || isNaN(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/promptIdx",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991}});errors++;}if(data1 < 0 || isNaN(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/promptIdx",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}if(data.success !== undefined){if(typeof data.success !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/success",keyword:"type",params:{type: "boolean"}});errors++;}}if(data.score !== undefined){let data3 = data.score;if(!((typeof data3 == "number") && (isFinite(data3)))){vErrors = __err(vErrors, {instancePath:instancePath+"/score",keyword:"type",params:{type: "number"}});errors++;}}if(data.namedScores !== undefined){let data4 = data.namedScores;if(data4 && typeof data4 == "object" && !Array.isArray(data4)){for(const key0 in data4){let data5 = data4[key0];if(!((typeof data5 == "number") && (isFinite(data5)))){vErrors = __err(vErrors, {instancePath:instancePath+"/namedScores/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/namedScores",keyword:"type",params:{type: "object"}});errors++;}}if(data.cost !== undefined){let data6 = data.cost;if((typeof data6 == "number") && (isFinite(data6))){if(data6 < 0 || isNaN(data6)){vErrors = __err(vErrors, {instancePath:instancePath+"/cost",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/cost",keyword:"type",params:{type: "number"}});errors++;}}if(data.latencyMs !== undefined){let data7 = data.latencyMs;if((typeof data7 == "number") && (isFinite(data7))){if(data7 < 0 || isNaN(data7)){vErrors = __err(vErrors, {instancePath:instancePath+"/latencyMs",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/latencyMs",keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate51.errors = vErrors;return errors === 0;}validate51.evaluated = {"props":{"testIdx":true,"promptIdx":true,"success":true,"score":true,"namedScores":true,"cost":true,"latencyMs":true},"dynamicProps":false,"dynamicItems":false};function validate50(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/promptfoo_results/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate50.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.results === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "results"}});errors++;}if(data.evalId !== undefined){let data0 = data.evalId;if((typeof data0 !== "string") && (data0 !== null)){vErrors = __err(vErrors, {instancePath:instancePath+"/evalId",keyword:"type",params:{type: schema93.properties.evalId.type}});errors++;}}if(data.results !== undefined){let data1 = data.results;if(data1 && typeof data1 == "object" && !Array.isArray(data1)){if(data1.results === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/results",keyword:"required",params:{missingProperty: "results"}});errors++;}if(data1.version !== undefined){let data2 = data1.version;if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){vErrors = __err(vErrors, {instancePath:instancePath+"/results/version",keyword:"type",params:{type: "integer"}});errors++;}}if(data1.timestamp !== undefined){if(typeof data1.timestamp !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/results/timestamp",keyword:"type",params:{type: "string"}});errors++;}}if(data1.results !== undefined){let data4 = data1.results;if(Array.isArray(data4)){const len0 = data4.length;for(let i0=0; i0<len0; i0++){if(!(validate51(data4[i0], {instancePath:instancePath+"/results/results/" + i0,parentData:data4,parentDataProperty:i0,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate51.errors;}else {for(const e of validate51.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/results/results",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/results",keyword:"type",params:{type: "object"}});errors++;}}if(data.config !== undefined){let data6 = data.config;if(data6 && typeof data6 == "object" && !Array.isArray(data6)){if(data6.description !== undefined){if(typeof data6.description !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/config/description",keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/config",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate50.errors = vErrors;return errors === 0;}validate50.evaluated = {"props":{"evalId":true,"results":true,"config":true},"dynamicProps":false,"dynamicItems":false};const validate_replay_receipts = validate53;const schema97 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/replay_receipts/v1.json","type":"object","additionalProperties":false,"required":["kind","runs"],"properties":{"kind":{"const":"replay_receipts"},"receipt_set_id":{"$ref":"#/$defs/id"},"agent":{"$ref":"#/$defs/id"},"runs":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/run"}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"count":{"type":"integer","minimum":0,"maximum":9007199254740991},"token_usage":{"type":"object","additionalProperties":false,"required":["input","output"],"properties":{"input":{"$ref":"#/$defs/count"},"output":{"$ref":"#/$defs/count"}}},"run":{"type":"object","additionalProperties":false,"required":["run_id","live","replay"],"properties":{"run_id":{"$ref":"#/$defs/id"},"change_id":{"$ref":"#/$defs/id"},"live":{"$ref":"#/$defs/trace"},"replay":{"$ref":"#/$defs/trace"}}},"trace":{"type":"object","additionalProperties":false,"required":["tokens","cost_usd","steps"],"properties":{"run_id":{"$ref":"#/$defs/id"},"tokens":{"$ref":"#/$defs/token_usage"},"cost_usd":{"type":"number","minimum":0},"steps":{"type":"array","items":{"$ref":"#/$defs/step"}}}},"step":{"type":"object","additionalProperties":false,"required":["step_id","tool","policy_verdict"],"properties":{"step_id":{"$ref":"#/$defs/id"},"tool":{"$ref":"#/$defs/id"},"policy_verdict":{"$ref":"#/$defs/id"},"capability_token":{"type":["string","null"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"c2pa_manifest":{"type":["object","null"],"additionalProperties":false,"required":["path","sha256"],"properties":{"path":{"type":"string","minLength":1,"maxLength":1024,"pattern":"^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$"},"sha256":{"type":"string","pattern":"^[0-9a-f]{64}$"}}},"tokens":{"$ref":"#/$defs/token_usage"},"cost_usd":{"type":"number","minimum":0}}}}};const schema98 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema100 = {"type":"object","additionalProperties":false,"required":["run_id","live","replay"],"properties":{"run_id":{"$ref":"#/$defs/id"},"change_id":{"$ref":"#/$defs/id"},"live":{"$ref":"#/$defs/trace"},"replay":{"$ref":"#/$defs/trace"}}};const schema103 = {"type":"object","additionalProperties":false,"required":["tokens","cost_usd","steps"],"properties":{"run_id":{"$ref":"#/$defs/id"},"tokens":{"$ref":"#/$defs/token_usage"},"cost_usd":{"type":"number","minimum":0},"steps":{"type":"array","items":{"$ref":"#/$defs/step"}}}};const schema105 = {"type":"object","additionalProperties":false,"required":["input","output"],"properties":{"input":{"$ref":"#/$defs/count"},"output":{"$ref":"#/$defs/count"}}};const schema106 = {"type":"integer","minimum":0,"maximum":9007199254740991};function validate56(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate56.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.input === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "input"}});errors++;}if(data.output === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "output"}});errors++;}for(const key0 in data){if(!((key0 === "input") || (key0 === "output"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.input !== undefined){let data0 = data.input;if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){vErrors = __err(vErrors, {instancePath:instancePath+"/input",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data0 == "number") && (isFinite(data0))){if(data0 > 9007199254740991 || isNaN(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/input",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991}});errors++;}if(data0 < 0 || isNaN(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/input",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}if(data.output !== undefined){let data1 = data.output;if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){vErrors = __err(vErrors, {instancePath:instancePath+"/output",keyword:"type",params:{type: "integer"}});errors++;}if((typeof data1 == "number") && (isFinite(data1))){if(data1 > 9007199254740991 || isNaN(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/output",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991}});errors++;}if(data1 < 0 || isNaN(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/output",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate56.errors = vErrors;return errors === 0;}validate56.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const schema108 = {"type":"object","additionalProperties":false,"required":["step_id","tool","policy_verdict"],"properties":{"step_id":{"$ref":"#/$defs/id"},"tool":{"$ref":"#/$defs/id"},"policy_verdict":{"$ref":"#/$defs/id"},"capability_token":{"type":["string","null"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"c2pa_manifest":{"type":["object","null"],"additionalProperties":false,"required":["path","sha256"],"properties":{"path":{"type":"string","minLength":1,"maxLength":1024,"pattern":"^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$"},"sha256":{"type":"string","pattern":"^[0-9a-f]{64}$"}}},"tokens":{"$ref":"#/$defs/token_usage"},"cost_usd":{"type":"number","minimum":0}}};const pattern58 = new RegExp("^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$", "u");const pattern59 = new RegExp("^[0-9a-f]{64}$", "u");function validate58(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate58.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.step_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "step_id"}});errors++;}if(data.tool === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "tool"}});errors++;}if(data.policy_verdict === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "policy_verdict"}});errors++;}for(const key0 in data){if(!(((((((key0 === "step_id") || (key0 === "tool")) || (key0 === "policy_verdict")) || (key0 === "capability_token")) || (key0 === "c2pa_manifest")) || (key0 === "tokens")) || (key0 === "cost_usd"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.step_id !== undefined){let data0 = data.step_id;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/step_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/step_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/step_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/step_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.tool !== undefined){let data1 = data.tool;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/tool",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/tool",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/tool",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/tool",keyword:"type",params:{type: "string"}});errors++;}}if(data.policy_verdict !== undefined){let data2 = data.policy_verdict;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/policy_verdict",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/policy_verdict",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/policy_verdict",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/policy_verdict",keyword:"type",params:{type: "string"}});errors++;}}if(data.capability_token !== undefined){let data3 = data.capability_token;if((typeof data3 !== "string") && (data3 !== null)){vErrors = __err(vErrors, {instancePath:instancePath+"/capability_token",keyword:"type",params:{type: schema108.properties.capability_token.type}});errors++;}if(typeof data3 === "string"){if((data3.length > 256 && (data3.length > 512 || func2(data3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/capability_token",keyword:"maxLength",params:{limit: 256}});errors++;}if((data3.length < 1 || (data3.length < 2 && func2(data3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/capability_token",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data3)){vErrors = __err(vErrors, {instancePath:instancePath+"/capability_token",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}}if(data.c2pa_manifest !== undefined){let data4 = data.c2pa_manifest;if((!(data4 && typeof data4 == "object" && !Array.isArray(data4))) && (data4 !== null)){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest",keyword:"type",params:{type: schema108.properties.c2pa_manifest.type}});errors++;}if(data4 && typeof data4 == "object" && !Array.isArray(data4)){if(data4.path === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest",keyword:"required",params:{missingProperty: "path"}});errors++;}if(data4.sha256 === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest",keyword:"required",params:{missingProperty: "sha256"}});errors++;}for(const key1 in data4){if(!((key1 === "path") || (key1 === "sha256"))){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data4.path !== undefined){let data5 = data4.path;if(typeof data5 === "string"){if((data5.length > 1024 && (data5.length > 2048 || func2(data5) > 1024))){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/path",keyword:"maxLength",params:{limit: 1024}});errors++;}if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/path",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern58.test(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/path",keyword:"pattern",params:{pattern: "^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/path",keyword:"type",params:{type: "string"}});errors++;}}if(data4.sha256 !== undefined){let data6 = data4.sha256;if(typeof data6 === "string"){if(!pattern59.test(data6)){vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/sha256",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/c2pa_manifest/sha256",keyword:"type",params:{type: "string"}});errors++;}}}}if(data.tokens !== undefined){if(!(validate56(data.tokens, {instancePath:instancePath+"/tokens",parentData:data,parentDataProperty:"tokens",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate56.errors;}else {for(const e of validate56.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.cost_usd !== undefined){let data8 = data.cost_usd;if((typeof data8 == "number") && (isFinite(data8))){if(data8 < 0 || isNaN(data8)){vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"type",params:{type: "number"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate58.errors = vErrors;return errors === 0;}validate58.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};function validate55(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate55.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.tokens === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "tokens"}});errors++;}if(data.cost_usd === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "cost_usd"}});errors++;}if(data.steps === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "steps"}});errors++;}for(const key0 in data){if(!((((key0 === "run_id") || (key0 === "tokens")) || (key0 === "cost_usd")) || (key0 === "steps"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.run_id !== undefined){let data0 = data.run_id;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.tokens !== undefined){if(!(validate56(data.tokens, {instancePath:instancePath+"/tokens",parentData:data,parentDataProperty:"tokens",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate56.errors;}else {for(const e of validate56.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.cost_usd !== undefined){let data2 = data.cost_usd;if((typeof data2 == "number") && (isFinite(data2))){if(data2 < 0 || isNaN(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/cost_usd",keyword:"type",params:{type: "number"}});errors++;}}if(data.steps !== undefined){let data3 = data.steps;if(Array.isArray(data3)){const len0 = data3.length;for(let i0=0; i0<len0; i0++){if(!(validate58(data3[i0], {instancePath:instancePath+"/steps/" + i0,parentData:data3,parentDataProperty:i0,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate58.errors;}else {for(const e of validate58.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/steps",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate55.errors = vErrors;return errors === 0;}validate55.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};function validate54(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate54.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.run_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "run_id"}});errors++;}if(data.live === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "live"}});errors++;}if(data.replay === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "replay"}});errors++;}for(const key0 in data){if(!((((key0 === "run_id") || (key0 === "change_id")) || (key0 === "live")) || (key0 === "replay"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.run_id !== undefined){let data0 = data.run_id;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/run_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.change_id !== undefined){let data1 = data.change_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.live !== undefined){if(!(validate55(data.live, {instancePath:instancePath+"/live",parentData:data,parentDataProperty:"live",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate55.errors;}else {for(const e of validate55.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.replay !== undefined){if(!(validate55(data.replay, {instancePath:instancePath+"/replay",parentData:data,parentDataProperty:"replay",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate55.errors;}else {for(const e of validate55.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate54.errors = vErrors;return errors === 0;}validate54.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};function validate53(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/replay_receipts/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate53.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.runs === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "runs"}});errors++;}for(const key0 in data){if(!((((key0 === "kind") || (key0 === "receipt_set_id")) || (key0 === "agent")) || (key0 === "runs"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.kind !== undefined){if("replay_receipts" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "replay_receipts"}});errors++;}}if(data.receipt_set_id !== undefined){let data1 = data.receipt_set_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/receipt_set_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/receipt_set_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/receipt_set_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/receipt_set_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.agent !== undefined){let data2 = data.agent;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/agent",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/agent",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/agent",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/agent",keyword:"type",params:{type: "string"}});errors++;}}if(data.runs !== undefined){let data3 = data.runs;if(Array.isArray(data3)){if(data3.length < 1){vErrors = __err(vErrors, {instancePath:instancePath+"/runs",keyword:"minItems",params:{limit: 1}});errors++;}const len0 = data3.length;for(let i0=0; i0<len0; i0++){if(!(validate54(data3[i0], {instancePath:instancePath+"/runs/" + i0,parentData:data3,parentDataProperty:i0,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate54.errors;}else {for(const e of validate54.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/runs",keyword:"type",params:{type: "array"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate53.errors = vErrors;return errors === 0;}validate53.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_rollout_assessment = validate64;const schema112 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/rollout_assessment/v1.json","type":"object","additionalProperties":false,"required":["kind","signals"],"properties":{"kind":{"const":"rollout_assessment"},"change_id":{"$ref":"#/$defs/id"},"signals":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"boolean"}},"evidence":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"additionalProperties":{"type":"string","minLength":1}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"}}};const schema113 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};function validate64(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/rollout_assessment/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate64.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.signals === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "signals"}});errors++;}for(const key0 in data){if(!((((key0 === "kind") || (key0 === "change_id")) || (key0 === "signals")) || (key0 === "evidence"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.kind !== undefined){if("rollout_assessment" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "rollout_assessment"}});errors++;}}if(data.change_id !== undefined){let data1 = data.change_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.signals !== undefined){let data2 = data.signals;if(data2 && typeof data2 == "object" && !Array.isArray(data2)){for(const key1 in data2){const _errs8 = errors;if(typeof key1 === "string"){if((key1.length > 256 && (key1.length > 512 || func2(key1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"maxLength",params:{limit: 256},propertyName:key1});errors++;}if((key1.length < 1 || (key1.length < 2 && func2(key1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"minLength",params:{limit: 1},propertyName:key1});errors++;}if(!pattern4.test(key1)){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key1});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"type",params:{type: "string"},propertyName:key1});errors++;}var valid2 = _errs8 === errors;if(!valid2){vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"propertyNames",params:{propertyName: key1}});errors++;}}for(const key2 in data2){if(typeof data2[key2] !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/signals/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "boolean"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/signals",keyword:"type",params:{type: "object"}});errors++;}}if(data.evidence !== undefined){let data4 = data.evidence;if(data4 && typeof data4 == "object" && !Array.isArray(data4)){for(const key3 in data4){const _errs16 = errors;if(typeof key3 === "string"){if((key3.length > 256 && (key3.length > 512 || func2(key3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"maxLength",params:{limit: 256},propertyName:key3});errors++;}if((key3.length < 1 || (key3.length < 2 && func2(key3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"minLength",params:{limit: 1},propertyName:key3});errors++;}if(!pattern4.test(key3)){vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key3});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"type",params:{type: "string"},propertyName:key3});errors++;}var valid5 = _errs16 === errors;if(!valid5){vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"propertyNames",params:{propertyName: key3}});errors++;}}for(const key4 in data4){let data5 = data4[key4];if(typeof data5 === "string"){if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/evidence/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"minLength",params:{limit: 1}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evidence/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: "string"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/evidence",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate64.errors = vErrors;return errors === 0;}validate64.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_rollout_gate_record = validate65;const schema116 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/rollout_gate_record/v1.json","type":"object","additionalProperties":false,"required":["kind","gate_id","change_id","bundle_id","rollout_wave","traffic_scope","required_checks","blocking_findings","decision","decided_by"],"properties":{"kind":{"const":"rollout_gate_record"},"gate_id":{"$ref":"#/$defs/id"},"change_id":{"$ref":"#/$defs/id"},"bundle_id":{"$ref":"#/$defs/id"},"rollout_wave":{"$ref":"#/$defs/id"},"traffic_scope":{"type":["string","number"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$","minimum":0,"maximum":100},"required_checks":{"$ref":"#/$defs/name_list"},"blocking_findings":{"type":"array","items":{"$ref":"#/$defs/blocking_finding"}},"decision":{"enum":["go","no_go","hold","rollback"]},"decided_by":{"$ref":"#/$defs/name_list"}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"name_list":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}},"blocking_finding":{"type":["string","object"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$","additionalProperties":false,"required":["id"],"properties":{"id":{"$ref":"#/$defs/id"},"summary":{"type":"string"},"severity":{"$ref":"#/$defs/id"},"owner":{"$ref":"#/$defs/id"}}}}};const schema117 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema121 = {"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}};function validate66(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate66.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(Array.isArray(data)){const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "array"}});errors++;}validate66.errors = vErrors;return errors === 0;}validate66.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};const schema123 = {"type":["string","object"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$","additionalProperties":false,"required":["id"],"properties":{"id":{"$ref":"#/$defs/id"},"summary":{"type":"string"},"severity":{"$ref":"#/$defs/id"},"owner":{"$ref":"#/$defs/id"}}};function validate68(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate68.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if((typeof data !== "string") && (!(data && typeof data == "object" && !Array.isArray(data)))){vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: schema123.type}});errors++;}if(typeof data === "string"){if((data.length > 256 && (data.length > 512 || func2(data) > 256))){vErrors = __err(vErrors, {instancePath,keyword:"maxLength",params:{limit: 256}});errors++;}if((data.length < 1 || (data.length < 2 && func2(data) < 1))){vErrors = __err(vErrors, {instancePath,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data)){vErrors = __err(vErrors, {instancePath,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}if(data && typeof data == "object" && !Array.isArray(data)){if(data.id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "id"}});errors++;}for(const key0 in data){if(!((((key0 === "id") || (key0 === "summary")) || (key0 === "severity")) || (key0 === "owner"))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.id !== undefined){let data0 = data.id;if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/id",keyword:"type",params:{type: "string"}});errors++;}}if(data.summary !== undefined){if(typeof data.summary !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/summary",keyword:"type",params:{type: "string"}});errors++;}}if(data.severity !== undefined){let data2 = data.severity;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/severity",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/severity",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/severity",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/severity",keyword:"type",params:{type: "string"}});errors++;}}if(data.owner !== undefined){let data3 = data.owner;if(typeof data3 === "string"){if((data3.length > 256 && (data3.length > 512 || func2(data3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"maxLength",params:{limit: 256}});errors++;}if((data3.length < 1 || (data3.length < 2 && func2(data3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data3)){vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/owner",keyword:"type",params:{type: "string"}});errors++;}}}validate68.errors = vErrors;return errors === 0;}validate68.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};function validate65(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/rollout_gate_record/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate65.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.kind === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "kind"}});errors++;}if(data.gate_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "gate_id"}});errors++;}if(data.change_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "change_id"}});errors++;}if(data.bundle_id === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "bundle_id"}});errors++;}if(data.rollout_wave === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "rollout_wave"}});errors++;}if(data.traffic_scope === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "traffic_scope"}});errors++;}if(data.required_checks === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "required_checks"}});errors++;}if(data.blocking_findings === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "blocking_findings"}});errors++;}if(data.decision === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "decision"}});errors++;}if(data.decided_by === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "decided_by"}});errors++;}for(const key0 in data){if(!(func1.call(schema116.properties, key0))){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.kind !== undefined){if("rollout_gate_record" !== data.kind){vErrors = __err(vErrors, {instancePath:instancePath+"/kind",keyword:"const",params:{allowedValue: "rollout_gate_record"}});errors++;}}if(data.gate_id !== undefined){let data1 = data.gate_id;if(typeof data1 === "string"){if((data1.length > 256 && (data1.length > 512 || func2(data1) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/gate_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data1.length < 1 || (data1.length < 2 && func2(data1) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/gate_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data1)){vErrors = __err(vErrors, {instancePath:instancePath+"/gate_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/gate_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.change_id !== undefined){let data2 = data.change_id;if(typeof data2 === "string"){if((data2.length > 256 && (data2.length > 512 || func2(data2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data2.length < 1 || (data2.length < 2 && func2(data2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data2)){vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/change_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.bundle_id !== undefined){let data3 = data.bundle_id;if(typeof data3 === "string"){if((data3.length > 256 && (data3.length > 512 || func2(data3) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/bundle_id",keyword:"maxLength",params:{limit: 256}});errors++;}if((data3.length < 1 || (data3.length < 2 && func2(data3) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/bundle_id",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data3)){vErrors = __err(vErrors, {instancePath:instancePath+"/bundle_id",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/bundle_id",keyword:"type",params:{type: "string"}});errors++;}}if(data.rollout_wave !== undefined){let data4 = data.rollout_wave;if(typeof data4 === "string"){if((data4.length > 256 && (data4.length > 512 || func2(data4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout_wave",keyword:"maxLength",params:{limit: 256}});errors++;}if((data4.length < 1 || (data4.length < 2 && func2(data4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout_wave",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout_wave",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout_wave",keyword:"type",params:{type: "string"}});errors++;}}if(data.traffic_scope !== undefined){let data5 = data.traffic_scope;if((typeof data5 !== "string") && (!((typeof data5 == "number") && (isFinite(data5))))){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"type",params:{type: schema116.properties.traffic_scope.type}});errors++;}if((typeof data5 == "number") && (isFinite(data5))){if(data5 > 100 || isNaN(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"maximum",params:{comparison: "<=", limit: 100}});errors++;}if(data5 < 0 || isNaN(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}if(typeof data5 === "string"){if((data5.length > 256 && (data5.length > 512 || func2(data5) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"maxLength",params:{limit: 256}});errors++;}if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/traffic_scope",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}}if(data.required_checks !== undefined){if(!(validate66(data.required_checks, {instancePath:instancePath+"/required_checks",parentData:data,parentDataProperty:"required_checks",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate66.errors;}else {for(const e of validate66.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data.blocking_findings !== undefined){let data7 = data.blocking_findings;if(Array.isArray(data7)){const len0 = data7.length;for(let i0=0; i0<len0; i0++){if(!(validate68(data7[i0], {instancePath:instancePath+"/blocking_findings/" + i0,parentData:data7,parentDataProperty:i0,rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate68.errors;}else {for(const e of validate68.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/blocking_findings",keyword:"type",params:{type: "array"}});errors++;}}if(data.decision !== undefined){let data9 = data.decision;if(!((((data9 === "go") || (data9 === "no_go")) || (data9 === "hold")) || (data9 === "rollback"))){vErrors = __err(vErrors, {instancePath:instancePath+"/decision",keyword:"enum",params:{allowedValues: schema116.properties.decision.enum}});errors++;}}if(data.decided_by !== undefined){if(!(validate66(data.decided_by, {instancePath:instancePath+"/decided_by",parentData:data,parentDataProperty:"decided_by",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate66.errors;}else {for(const e of validate66.errors){vErrors.push(e);}}errors = vErrors.length;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate65.errors = vErrors;return errors === 0;}validate65.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};const validate_rollout_policy = validate71;const schema127 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://agent-release-gate.dev/schemas/rollout_policy/v1.json","type":"object","additionalProperties":false,"required":["rollout"],"properties":{"rollout":{"type":"object","additionalProperties":false,"required":["require","block_if","rollout_mode"],"properties":{"require":{"$ref":"#/$defs/name_list"},"block_if":{"$ref":"#/$defs/name_list"},"rollout_mode":{"type":"object","propertyNames":{"$ref":"#/$defs/id"},"properties":{"initial":{"$ref":"#/$defs/id"},"max_tenant_exposure_pct":{"type":"number","minimum":0,"maximum":100},"require_shadow_period":{"type":"boolean"}},"additionalProperties":{"$ref":"#/$defs/scalar"}}}}},"$defs":{"id":{"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"},"name_list":{"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}},"scalar":{"type":["string","number","boolean"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"}}};const schema129 = {"type":"string","minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema131 = {"type":["string","number","boolean"],"minLength":1,"maxLength":256,"pattern":"^\\S(?:.*\\S)?$"};const schema128 = {"type":"array","uniqueItems":true,"items":{"type":"string","$ref":"#/$defs/id"}};function validate72(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate72.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(Array.isArray(data)){const len0 = data.length;for(let i0=0; i0<len0; i0++){let data0 = data[i0];if(typeof data0 !== "string"){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}if(typeof data0 === "string"){if((data0.length > 256 && (data0.length > 512 || func2(data0) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"maxLength",params:{limit: 256}});errors++;}if((data0.length < 1 || (data0.length < 2 && func2(data0) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data0)){vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/" + i0,keyword:"type",params:{type: "string"}});errors++;}}let i1 = data.length;let j0;if(i1 > 1){const indices0 = {};for(;i1--;){let item0 = data[i1];if(typeof item0 !== "string"){continue;}if(typeof indices0[item0] == "number"){j0 = indices0[item0];vErrors = __err(vErrors, {instancePath,keyword:"uniqueItems",params:{i: i1, j: j0}});errors++;break;}indices0[item0] = i1;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "array"}});errors++;}validate72.errors = vErrors;return errors === 0;}validate72.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};function validate71(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){/*# sourceURL="https://agent-release-gate.dev/schemas/rollout_policy/v1.json" */;let vErrors = null;let errors = 0;const evaluated0 = validate71.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(data && typeof data == "object" && !Array.isArray(data)){if(data.rollout === undefined){vErrors = __err(vErrors, {instancePath,keyword:"required",params:{missingProperty: "rollout"}});errors++;}for(const key0 in data){if(!(key0 === "rollout")){vErrors = __err(vErrors, {instancePath,keyword:"additionalProperties",params:{additionalProperty: key0}});errors++;}}if(data.rollout !== undefined){let data0 = data.rollout;if(data0 && typeof data0 == "object" && !Array.isArray(data0)){if(data0.require === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout",keyword:"required",params:{missingProperty: "require"}});errors++;}if(data0.block_if === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout",keyword:"required",params:{missingProperty: "block_if"}});errors++;}if(data0.rollout_mode === undefined){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout",keyword:"required",params:{missingProperty: "rollout_mode"}});errors++;}for(const key1 in data0){if(!(((key1 === "require") || (key1 === "block_if")) || (key1 === "rollout_mode"))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout",keyword:"additionalProperties",params:{additionalProperty: key1}});errors++;}}if(data0.require !== undefined){if(!(validate72(data0.require, {instancePath:instancePath+"/rollout/require",parentData:data0,parentDataProperty:"require",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate72.errors;}else {for(const e of validate72.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.block_if !== undefined){if(!(validate72(data0.block_if, {instancePath:instancePath+"/rollout/block_if",parentData:data0,parentDataProperty:"block_if",rootData,dynamicAnchors}))){if(vErrors === null){vErrors = validate72.errors;}else {for(const e of validate72.errors){vErrors.push(e);}}errors = vErrors.length;}}if(data0.rollout_mode !== undefined){let data3 = data0.rollout_mode;if(data3 && typeof data3 == "object" && !Array.isArray(data3)){for(const key2 in data3){const _errs9 = errors;if(typeof key2 === "string"){if((key2.length > 256 && (key2.length > 512 || func2(key2) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"maxLength",params:{limit: 256},propertyName:key2});errors++;}if((key2.length < 1 || (key2.length < 2 && func2(key2) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"minLength",params:{limit: 1},propertyName:key2});errors++;}if(!pattern4.test(key2)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"},propertyName:key2});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"type",params:{type: "string"},propertyName:key2});errors++;}var valid2 = _errs9 === errors;if(!valid2){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"propertyNames",params:{propertyName: key2}});errors++;}}for(const key3 in data3){if(!(((key3 === "initial") || (key3 === "max_tenant_exposure_pct")) || (key3 === "require_shadow_period"))){let data4 = data3[key3];if(((typeof data4 !== "string") && (!((typeof data4 == "number") && (isFinite(data4))))) && (typeof data4 !== "boolean")){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"type",params:{type: schema131.type}});errors++;}if(typeof data4 === "string"){if((data4.length > 256 && (data4.length > 512 || func2(data4) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"maxLength",params:{limit: 256}});errors++;}if((data4.length < 1 || (data4.length < 2 && func2(data4) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data4)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}}}if(data3.initial !== undefined){let data5 = data3.initial;if(typeof data5 === "string"){if((data5.length > 256 && (data5.length > 512 || func2(data5) > 256))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/initial",keyword:"maxLength",params:{limit: 256}});errors++;}if((data5.length < 1 || (data5.length < 2 && func2(data5) < 1))){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/initial",keyword:"minLength",params:{limit: 1}});errors++;}if(!pattern4.test(data5)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/initial",keyword:"pattern",params:{pattern: "^\\S(?:.*\\S)?$"}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/initial",keyword:"type",params:{type: "string"}});errors++;}}if(data3.max_tenant_exposure_pct !== undefined){let data6 = data3.max_tenant_exposure_pct;if((typeof data6 == "number") && (isFinite(data6))){if(data6 > 100 || isNaN(data6)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/max_tenant_exposure_pct",keyword:"maximum",params:{comparison: "<=", limit: 100}});errors++;}if(data6 < 0 || isNaN(data6)){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/max_tenant_exposure_pct",keyword:"minimum",params:{comparison: ">=", limit: 0}});errors++;}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/max_tenant_exposure_pct",keyword:"type",params:{type: "number"}});errors++;}}if(data3.require_shadow_period !== undefined){if(typeof data3.require_shadow_period !== "boolean"){vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode/require_shadow_period",keyword:"type",params:{type: "boolean"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout/rollout_mode",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath:instancePath+"/rollout",keyword:"type",params:{type: "object"}});errors++;}}}else {vErrors = __err(vErrors, {instancePath,keyword:"type",params:{type: "object"}});errors++;}validate71.errors = vErrors;return errors === 0;}validate71.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};
const keyGraphs = {"change":[{"k":["change"],"p":{"change":1}},{"k":["affected_surfaces","approval_roles","artifacts","change_id","change_type","emergency_freeze_owner","required_signals","risk_level","rollout_strategy","session_control_owner"],"p":{"change_id":2,"change_type":4,"risk_level":5,"rollout_strategy":6,"artifacts":7,"affected_surfaces":10,"required_signals":11,"approval_roles":12,"session_control_owner":13,"emergency_freeze_owner":14}},{"o":[3]},{},{"o":[3]},{},{"o":[3]},{"o":[8]},{"a":[9]},{"o":[3]},{"o":[8]},{"o":[8]},{"o":[8]},{"o":[3]},{"o":[3]}],"change_review_record":[{"k":["affected_surfaces","change_id","change_type","kind","owner","required_evals","required_reviews","review_id","risk_level","status"],"p":{"kind":1,"review_id":2,"change_id":4,"owner":5,"change_type":6,"risk_level":7,"affected_surfaces":8,"required_reviews":11,"required_evals":12,"status":13}},{},{"o":[3]},{},{"o":[3]},{"o":[3]},{"o":[3]},{},{"o":[9]},{"a":[10]},{"o":[3]},{"o":[9]},{"o":[9]},{}],"config":[{"k":["$schema","agbom","approvals","drift","evals","integrity","key","records","roles","rules","signals","surfaces","version"],"p":{"$schema":1,"version":2,"key":3,"records":4,"surfaces":13,"roles":15,"approvals":22,"evals":28,"drift":39,"agbom":42,"signals":44,"integrity":53,"rules":56}},{},{},{},{"k":["allow_empty","exclude","include","max_evidence_bytes","max_file_bytes","max_files"],"p":{"include":5,"exclude":8,"max_file_bytes":9,"max_evidence_bytes":10,"max_files":11,"allow_empty":12}},{"o":[6]},{"a":[7]},{},{"o":[6]},{},{},{},{},{"a":[14]},{"o":[6]},{"a":[16]},{"o":[17]},{"k":["teams","users"],"p":{"users":18,"teams":20}},{"a":[19]},{},{"a":[21]},{},{"k":["accept_stale","required_roles"],"p":{"accept_stale":23,"required_roles":24}},{},{"o":[25]},{"a":[26]},{"o":[27]},{},{"k":["bootstrap_resamples","confidence","max_missing_share","promptfoo","regression_slack","seed"],"p":{"regression_slack":29,"confidence":30,"max_missing_share":31,"bootstrap_resamples":32,"seed":33,"promptfoo":34}},{},{},{},{},{},{"a":[35]},{"k":["eval","path"],"p":{"path":36,"eval":38}},{"o":[37]},{},{"o":[27]},{"k":["max_cost_drift","max_token_drift"],"p":{"max_token_drift":40,"max_cost_drift":41}},{},{},{"k":["min_trust_score"],"p":{"min_trust_score":43}},{},{"a":[45]},{"o":[46]},{"o":[47,49,51]},{"k":["eval"],"p":{"eval":48}},{"o":[27]},{"k":["approval"],"p":{"approval":50}},{"o":[27]},{"k":["file"],"p":{"file":52}},{"o":[37]},{"k":["owner_role","paths"],"p":{"paths":54,"owner_role":55}},{"o":[6]},{"o":[27]},{"a":[57]},{}],"deployment":[{"k":["apiVersion","kind","metadata","spec"],"p":{"apiVersion":1,"kind":2,"metadata":3,"spec":8}},{},{},{"k":["labels","name"],"p":{"name":4,"labels":6}},{"o":[5]},{},{"a":[7]},{},{"k":["agentRef","environmentRef","promotion"],"p":{"agentRef":9,"environmentRef":12,"promotion":13}},{"o":[10]},{"k":["name"],"p":{"name":11}},{"o":[5]},{"o":[10]},{"k":["requiresApproval","requiresEval"],"p":{"requiresEval":14,"requiresApproval":17}},{"o":[15]},{"a":[16]},{"o":[5]},{"o":[15]}],"eval":[{"k":["apiVersion","kind","metadata","spec"],"p":{"apiVersion":1,"kind":2,"metadata":3,"spec":9}},{},{},{"o":[4]},{"k":["labels","name"],"p":{"name":5,"labels":7}},{"o":[6]},{},{"a":[8]},{},{"k":["covers","dataset","metrics","releaseGate","schedule","target","thresholds"],"p":{"target":10,"dataset":13,"metrics":16,"schedule":24,"thresholds":27,"releaseGate":30,"covers":33}},{"k":["kind","name"],"p":{"kind":11,"name":12}},{"o":[6]},{"o":[6]},{"k":["type","uri"],"p":{"type":14,"uri":15}},{"o":[6]},{"o":[6]},{"a":[17]},{"o":[18]},{"k":["aggregate","direction","name","source","type"],"p":{"name":19,"type":20,"aggregate":21,"direction":22,"source":23}},{"o":[6]},{},{},{},{"o":[6]},{"k":["nightly","onDeployment"],"p":{"onDeployment":25,"nightly":26}},{},{},{"a":[28]},{"o":[29]},{},{"k":["blocksPromotionTo","enabled"],"p":{"enabled":31,"blocksPromotionTo":32}},{},{"o":[6]},{"a":[34]},{"o":[6]}],"eval_case_line":[{"k":["case_id","cost_usd","eval","latency_ms","metrics"],"p":{"eval":1,"case_id":3,"metrics":4,"cost_usd":6,"latency_ms":7}},{"o":[2]},{},{"o":[2]},{"a":[5]},{},{},{}],"eval_scores":[{"k":["cases","eval","kind","metrics"],"p":{"kind":1,"eval":2,"cases":4,"metrics":5}},{},{"o":[3]},{},{},{"a":[6]},{}],"promptfoo_results":[{"p":{"evalId":1,"results":2,"config":17}},{},{"p":{"version":3,"timestamp":4,"results":5}},{},{},{"a":[6]},{"o":[7]},{"p":{"testIdx":8,"promptIdx":10,"success":11,"score":12,"namedScores":13,"cost":15,"latencyMs":16}},{"o":[9]},{},{"o":[9]},{},{},{"a":[14]},{},{},{},{"p":{"description":18}},{}],"replay_receipts":[{"k":["agent","kind","receipt_set_id","runs"],"p":{"kind":1,"receipt_set_id":2,"agent":4,"runs":5}},{},{"o":[3]},{},{"o":[3]},{"a":[6]},{"o":[7]},{"k":["change_id","live","replay","run_id"],"p":{"run_id":8,"change_id":9,"live":10,"replay":31}},{"o":[3]},{"o":[3]},{"o":[11]},{"k":["cost_usd","run_id","steps","tokens"],"p":{"run_id":12,"tokens":13,"cost_usd":18,"steps":19}},{"o":[3]},{"o":[14]},{"k":["input","output"],"p":{"input":15,"output":17}},{"o":[16]},{},{"o":[16]},{},{"a":[20]},{"o":[21]},{"k":["c2pa_manifest","capability_token","cost_usd","policy_verdict","step_id","tokens","tool"],"p":{"step_id":22,"tool":23,"policy_verdict":24,"capability_token":25,"c2pa_manifest":26,"tokens":29,"cost_usd":30}},{"o":[3]},{"o":[3]},{"o":[3]},{},{"k":["path","sha256"],"p":{"path":27,"sha256":28}},{},{},{"o":[14]},{},{"o":[11]}],"rollout_assessment":[{"k":["change_id","evidence","kind","signals"],"p":{"kind":1,"change_id":2,"signals":4,"evidence":6}},{},{"o":[3]},{},{"a":[5]},{},{"a":[7]},{}],"rollout_gate_record":[{"k":["blocking_findings","bundle_id","change_id","decided_by","decision","gate_id","kind","required_checks","rollout_wave","traffic_scope"],"p":{"kind":1,"gate_id":2,"change_id":4,"bundle_id":5,"rollout_wave":6,"traffic_scope":7,"required_checks":8,"blocking_findings":11,"decision":18,"decided_by":19}},{},{"o":[3]},{},{"o":[3]},{"o":[3]},{"o":[3]},{},{"o":[9]},{"a":[10]},{"o":[3]},{"a":[12]},{"o":[13]},{"k":["id","owner","severity","summary"],"p":{"id":14,"summary":15,"severity":16,"owner":17}},{"o":[3]},{},{"o":[3]},{"o":[3]},{},{"o":[9]}],"rollout_policy":[{"k":["rollout"],"p":{"rollout":1}},{"k":["block_if","require","rollout_mode"],"p":{"require":2,"block_if":6,"rollout_mode":7}},{"o":[3]},{"a":[4]},{"o":[5]},{},{"o":[3]},{"p":{"initial":8,"max_tenant_exposure_pct":9,"require_shadow_period":10},"a":[11]},{"o":[5]},{},{},{"o":[12]},{}]};

// EXTERNAL MODULE: ./src/read/text.ts
var read_text = __webpack_require__(7689);
// EXTERNAL MODULE: ./src/read/ordinary-case.ts
var ordinary_case = __webpack_require__(373);
;// CONCATENATED MODULE: ./src/read/validate.ts




/** Issues listed per file; past this one final issue says how many more there were. */
const MAX_ISSUES_PER_FILE = 50_000;
/** The CycloneDX versions an AgBOM may declare. */
const CYCLONEDX_VERSIONS = ['1.5', '1.6', '1.7'];
const SUPPORTED_VERSIONS = `${CYCLONEDX_VERSIONS.slice(0, -1).join(', ')} and ${CYCLONEDX_VERSIONS.at(-1)}`;
const VALIDATORS = {
    change_review_record: validate_change_review_record,
    rollout_gate_record: validate_rollout_gate_record,
    change: validate_change,
    rollout_policy: validate_rollout_policy,
    rollout_assessment: validate_rollout_assessment,
    eval: validate_eval,
    deployment: validate_deployment,
    eval_scores: validate_eval_scores,
    replay_receipts: validate_replay_receipts,
    config: validate_config,
    promptfoo_results: validate_promptfoo_results
};
/** How the document itself is named when it is not a mapping (seed 001 §8: "change config must be a mapping"). */
const DOCUMENT_NAMES = {
    change_review_record: 'A change_review_record',
    rollout_gate_record: 'A rollout_gate_record',
    change: 'change config',
    rollout_policy: 'Rollout policy config',
    rollout_assessment: 'A rollout_assessment',
    eval: 'An Eval',
    deployment: 'A Deployment',
    eval_scores: 'An eval_scores record',
    replay_receipts: 'A replay_receipts record',
    config: 'The agent-gate configuration',
    promptfoo_results: 'A promptfoo results file',
    agbom: 'An AgBOM',
    eval_case_line: 'Each line of a per-case results file'
};
async function validateRecord(kind, value) {
    if (kind === 'agbom')
        return validateAgbom(value);
    return validateOwnRecord(kind, value);
}
/** The same for the kinds whose schema is this project's own (every kind but the AgBOM), synchronously. */
function validateOwnRecord(kind, value) {
    const validate = VALIDATORS[kind];
    if (validate(value))
        return [];
    return toIssues(validate.errors ?? [], value, { kind, graph: keyGraphs[kind] ?? [] });
}
/**
 * Validate one line of a per-case results file (sync: called up to millions of times). `printable`: the caller
 * vouches that every string in the value (keys included) is made of the characters U+0020–U+007F only, as when
 * the line's text is ASCII without an escape; the ids then need no character-by-character check.
 */
function validateEvalCaseLine(value, printable = false) {
    if (isOrdinaryCaseLine(value, printable))
        return [];
    const validate = validate_eval_case_line;
    if (validate(value))
        return [];
    return toIssues(validate.errors ?? [], value, {
        kind: 'eval_case_line',
        graph: keyGraphs['eval_case_line'] ?? []
    });
}
/**
 * The common line of schemas/eval_case_line.schema.json, recognised without the generated validator: its five
 * pattern tests and generic checks cost more than parsing the line (a third of the read of a million cases).
 * Only a subset of what the schema accepts is recognised (ids of printable ASCII, numbers within 2^53); any other line
 * goes to the validator, which decides and words the errors. A property test holds the two together.
 */
function isOrdinaryCaseLine(value, printable = false) {
    return (0,ordinary_case/* ordinaryCaseMembers */.m)(value, printable) >= 0;
}
function loadCycloneDx(version) {
    // One literal import per version so the bundler emits each as its own chunk, loaded on demand.
    switch (version) {
        case '1.5':
            return __webpack_require__.e(/* import() */ 915).then(__webpack_require__.bind(__webpack_require__, 2915));
        case '1.6':
            return __webpack_require__.e(/* import() */ 94).then(__webpack_require__.bind(__webpack_require__, 9094));
        case '1.7':
            return __webpack_require__.e(/* import() */ 285).then(__webpack_require__.bind(__webpack_require__, 7285));
    }
}
async function validateAgbom(value) {
    if (!isMapping(value)) {
        return [typeIssue('', 'object', value, 'An AgBOM (a CycloneDX JSON BOM)')];
    }
    const issues = [];
    const format = own(value, 'bomFormat');
    if (format !== 'CycloneDX') {
        issues.push({
            pointer: '/bomFormat',
            code: format === undefined ? 'schema.required' : 'schema.const',
            message: format === undefined
                ? "bomFormat is required: an AgBOM is a CycloneDX JSON BOM with bomFormat 'CycloneDX'"
                : `bomFormat must be 'CycloneDX'; got ${describeValue(format, true, 'bomFormat')}`
        });
    }
    const version = own(value, 'specVersion');
    if (version === undefined) {
        issues.push({
            pointer: '/specVersion',
            code: 'schema.required',
            message: `specVersion is required: the gate reads CycloneDX ${SUPPORTED_VERSIONS}`
        });
    }
    else if (typeof version !== 'string') {
        issues.push({
            pointer: '/specVersion',
            code: 'schema.type',
            expected: 'string',
            message: `specVersion must be a string such as "1.6"; got ${describeValue(version, true, 'specVersion')}`
        });
    }
    else if (!CYCLONEDX_VERSIONS.includes(version)) {
        issues.push({
            pointer: '/specVersion',
            code: 'agbom.unsupported-version',
            message: `CycloneDX specVersion ${quote(version, 'specVersion')} is not supported: the gate reads CycloneDX ` +
                `${SUPPORTED_VERSIONS}. Regenerate the AgBOM with a current CycloneDX tool`
        });
    }
    if (issues.length > 0)
        return issues;
    const mod = await loadCycloneDx(version);
    if (!mod.validate(value))
        return toIssues(mod.validate.errors ?? [], value, { kind: 'agbom', graph: mod.keyGraph });
    return duplicateEntries(value, mod.keyGraph);
}
/**
 * The official schema's `uniqueItems` on lists of objects (components, services, dependencies, …), which the
 * generated validator leaves out because ajv would compare every pair. One walk over the document, guided by the
 * key graph and entering only values from which a marked list can be reached; each marked list's entries are
 * compared as data, object keys in any order (see repeatedEntries). The walk visits values in the order of the
 * stack it replaced (last child first), so that past MAX_ISSUES_PER_FILE the same issues are kept.
 */
function duplicateEntries(root, graph) {
    const walk = walkerOf(graph);
    const issues = [];
    // the data path of the value being visited; read only to name a list that has repeats
    const segments = [];
    const visit = (value, state) => {
        if (issues.length >= MAX_ISSUES_PER_FILE)
            return;
        if (Array.isArray(value)) {
            if (state.unique) {
                const repeats = repeatedEntries(value);
                if (repeats.length > 0) {
                    const path = String(new FieldPath(root, segments, DOCUMENT_NAMES.agbom));
                    for (const [first, repeat] of repeats) {
                        issues.push({
                            pointer: toPointer([...segments, String(repeat)]),
                            code: 'schema.unique',
                            message: `${path} entries must be unique: items ${first + 1} and ${repeat + 1} are the same`
                        });
                    }
                }
            }
            const items = walk.other(state);
            if (!items.relevant)
                return;
            for (let i = value.length - 1; i >= 0; i--) {
                const item = value[i];
                if (item === null || typeof item !== 'object')
                    continue;
                segments.push(String(i));
                visit(item, items);
                segments.pop();
            }
            return;
        }
        const keys = Object.keys(value);
        for (let k = keys.length - 1; k >= 0; k--) {
            const key = keys[k];
            const child = value[key];
            if (child === null || typeof child !== 'object')
                continue;
            const next = walk.next(state, key);
            if (!next.relevant)
                continue;
            segments.push(key);
            visit(child, next);
            segments.pop();
        }
    };
    // parsed records nest at most MAX_DEPTH (64) levels: the recursion stays shallow
    if (root !== null && typeof root === 'object' && walk.root.relevant)
        visit(root, walk.root);
    return issues.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
const walkers = new WeakMap();
/** The key graph as an automaton over data-path segments, its states made on demand and shared. */
function walkerOf(graph) {
    const cached = walkers.get(graph);
    if (cached)
        return cached;
    const relevant = nodesLeadingToUnique(graph);
    const states = new Map();
    const stateOf = (start) => {
        const nodes = closure(graph, start).sort((a, b) => a - b);
        const id = nodes.join(',');
        let state = states.get(id);
        if (state === undefined) {
            const named = new Set();
            for (const n of nodes)
                for (const key of Object.keys(graph[n]?.p ?? {}))
                    named.add(key);
            state = {
                nodes,
                relevant: nodes.some((n) => relevant.has(n)),
                unique: nodes.some((n) => graph[n]?.u === 1),
                named,
                byKey: new Map(),
                other: null
            };
            states.set(id, state);
        }
        return state;
    };
    const other = (state) => (state.other ??= stateOf(state.nodes.flatMap((n) => graph[n]?.a ?? [])));
    const walker = {
        root: stateOf([0]),
        other,
        next(state, key) {
            const known = state.byKey.get(key);
            if (known !== undefined)
                return known;
            if (!state.named.has(key))
                return other(state);
            const next = stateOf(step(graph, state.nodes, key));
            state.byKey.set(key, next);
            return next;
        }
    };
    walkers.set(graph, walker);
    return walker;
}
const leadingToUnique = new WeakMap();
/** Graph nodes from which a list marked unique can be reached: the walk skips everything else. */
function nodesLeadingToUnique(graph) {
    const cached = leadingToUnique.get(graph);
    if (cached)
        return cached;
    const parents = new Map();
    graph.forEach((node, n) => {
        for (const child of [...Object.values(node.p ?? {}), ...(node.a ?? []), ...(node.o ?? [])]) {
            const list = parents.get(child);
            if (list)
                list.push(n);
            else
                parents.set(child, [n]);
        }
    });
    const relevant = new Set();
    const stack = graph.flatMap((node, n) => (node.u === 1 ? [n] : []));
    while (stack.length > 0) {
        const n = stack.pop();
        if (relevant.has(n))
            continue;
        relevant.add(n);
        stack.push(...(parents.get(n) ?? []));
    }
    leadingToUnique.set(graph, relevant);
    return relevant;
}
/** Lists up to this long are compared pair by pair: cheaper than hashing their entries. */
const PAIRWISE_UP_TO = 8;
/** Distinct entries kept per hash before that hash's entries are compared by canonical JSON instead. */
const MAX_BUCKET = 16;
/**
 * Every entry equal (as data) to an earlier one, as [index of its first occurrence, its index], in order.
 * Long lists are bucketed by an order-insensitive hash of each entry, and an entry is compared only with the
 * earlier distinct entries of its bucket. A bucket that fills up (a hostile list built to collide) switches to
 * canonical JSON, so the work stays linear in the list's size whatever the entries are. Exported for the
 * differential test against comparing canonical JSON texts.
 */
function repeatedEntries(list) {
    const repeats = [];
    if (list.length <= PAIRWISE_UP_TO) {
        for (let i = 1; i < list.length; i++) {
            for (let j = 0; j < i; j++) {
                if (sameData(list[j], list[i])) {
                    repeats.push([j, i]);
                    break;
                }
            }
        }
        return repeats;
    }
    // hash → the first occurrences with that hash (one index, a list of them, or them by canonical JSON)
    const buckets = new Map();
    for (let i = 0; i < list.length; i++) {
        const item = list[i];
        const hash = dataHash(item);
        const bucket = buckets.get(hash);
        if (bucket === undefined)
            buckets.set(hash, i);
        else if (typeof bucket === 'number') {
            if (sameData(list[bucket], item))
                repeats.push([bucket, i]);
            else
                buckets.set(hash, [bucket, i]);
        }
        else if (Array.isArray(bucket)) {
            const first = bucket.find((j) => sameData(list[j], item));
            if (first !== undefined)
                repeats.push([first, i]);
            else if (bucket.length < MAX_BUCKET)
                bucket.push(i);
            else {
                const byText = new Map(bucket.map((j) => [canonicalJson(list[j]), j]));
                byText.set(canonicalJson(item), i);
                buckets.set(hash, byText);
            }
        }
        else {
            const text = canonicalJson(item);
            const first = bucket.get(text);
            if (first !== undefined)
                repeats.push([first, i]);
            else
                bucket.set(text, i);
        }
    }
    return repeats;
}
const { hasOwn } = Object;
/** Whether two values are the same JSON data: canonicalJson(a) === canonicalJson(b), without building either. */
function sameData(a, b) {
    if (a === b)
        return true;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
        return writtenAsNull(a) && writtenAsNull(b);
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length)
            return false;
        for (let i = 0; i < a.length; i++)
            if (!sameData(a[i], b[i]))
                return false;
        return true;
    }
    if (Array.isArray(b))
        return false;
    const x = a;
    const y = b;
    let keys = 0;
    for (const k in x) {
        if (!hasOwn(x, k))
            continue;
        if (!hasOwn(y, k) || !sameData(x[k], y[k]))
            return false;
        keys++;
    }
    for (const k in y)
        if (hasOwn(y, k))
            keys--;
    return keys === 0;
}
/** What canonicalJson writes as null: null itself, and what JSON has no text for (NaN, ±Infinity, undefined). */
function writtenAsNull(value) {
    return (value === null ||
        value === undefined ||
        (typeof value === 'number' && !Number.isFinite(value)) ||
        typeof value === 'function' ||
        typeof value === 'symbol');
}
const NULL_HASH = 0x2f6b1d3a;
const TRUE_HASH = 0x5bd1e995;
const FALSE_HASH = 0x1b873593;
const FNV_PRIME = 0x01000193;
const validate_float = new Float64Array(1);
const floatWords = new Int32Array(validate_float.buffer);
/** A 32-bit hash of a value as data: equal data (sameData) hashes equal; an object's keys may come in any order. */
function dataHash(value) {
    switch (typeof value) {
        case 'string':
            return stringHash(value);
        case 'number':
            if (!Number.isFinite(value))
                return NULL_HASH;
            // -0 is 0 (both are written 0)
            if (Number.isInteger(value) && Math.abs(value) < 0x40000000)
                return Math.imul(value | 0, 0x9e3779b1) ^ 0x7f4a7c15;
            validate_float[0] = value;
            return Math.imul(floatWords[0] ^ Math.imul(floatWords[1], FNV_PRIME), 0x85ebca6b);
        case 'boolean':
            return value ? TRUE_HASH : FALSE_HASH;
        case 'object': {
            if (value === null)
                return NULL_HASH;
            if (Array.isArray(value)) {
                let hash = 0x3c6ef372 ^ value.length;
                for (let i = 0; i < value.length; i++)
                    hash = Math.imul(hash ^ dataHash(value[i]), FNV_PRIME);
                return hash;
            }
            // members are summed, so the order of the keys does not matter
            let sum = 0;
            let members = 0;
            for (const k in value) {
                if (!hasOwn(value, k))
                    continue;
                sum = (sum + Math.imul(stringHash(k) ^ 0x27d4eb2f, 31) + dataHash(value[k])) | 0;
                members++;
            }
            return Math.imul(sum ^ members, 0xcc9e2d51) ^ 0x165667b1;
        }
        default:
            return NULL_HASH;
    }
}
/** FNV-1a over UTF-16 code units. */
function stringHash(text) {
    let hash = 0x811c9dc5 ^ text.length;
    for (let i = 0; i < text.length; i++)
        hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
    return hash;
}
/** JSON with object keys sorted, so entries equal as data compare equal as text. */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}
/** Keywords whose failure is reported after the errors of the subschemas they applied (contiguous, just before). */
const GROUPING = new Set(['anyOf', 'oneOf', 'propertyNames', 'contains', 'not', 'if']);
/** What a property-name subschema reports (it validates the key as a string). */
const NAME_KEYWORDS = new Set(['type', 'minLength', 'maxLength', 'pattern', 'format', 'enum', 'const']);
function toIssues(errors, root, ctx) {
    const nodes = groupErrors(errors);
    const issues = [];
    const seen = new Set();
    const minLengthAt = new Set(errors.filter((e) => e.keyword === 'minLength').map((e) => e.instancePath));
    const push = (issue) => {
        const key = `${issue.pointer}\u0000${issue.message}`;
        if (seen.has(key))
            return;
        seen.add(key);
        issues.push(issue);
    };
    for (const node of nodes) {
        // an empty string also fails the "no surrounding whitespace" pattern: report it once, as empty
        if (node.error.keyword === 'pattern' && minLengthAt.has(node.error.instancePath))
            continue;
        for (const issue of describeNode(node, root, ctx))
            push(issue);
    }
    if (issues.length <= MAX_ISSUES_PER_FILE)
        return issues;
    const dropped = issues.length - MAX_ISSUES_PER_FILE;
    const kept = issues.slice(0, MAX_ISSUES_PER_FILE);
    kept.push({
        pointer: '',
        code: 'schema.too-many-errors',
        message: `${dropped} more schema errors in this file are not listed (at most ${MAX_ISSUES_PER_FILE} are); fix the ones above first`
    });
    return kept;
}
/** Attach each grouping error's subschema errors to it: they are the contiguous run just before it, under its path. */
function groupErrors(errors) {
    const out = [];
    for (const error of errors) {
        const node = { error, children: [] };
        if (GROUPING.has(error.keyword)) {
            const path = error.instancePath;
            const exact = error.keyword === 'propertyNames';
            let start = out.length;
            while (start > 0) {
                const prev = out[start - 1].error;
                const inside = exact
                    ? prev.instancePath === path && NAME_KEYWORDS.has(prev.keyword)
                    : prev.instancePath === path || prev.instancePath.startsWith(`${path}/`);
                if (!inside)
                    break;
                start--;
            }
            node.children = out.splice(start);
        }
        out.push(node);
    }
    return out;
}
function describeNode(node, root, ctx) {
    const { error } = node;
    const segments = parsePointer(error.instancePath);
    const value = valueAt(root, segments);
    const path = new FieldPath(root, segments, DOCUMENT_NAMES[ctx.kind]);
    const params = error.params;
    const pointer = error.instancePath;
    switch (error.keyword) {
        case 'type': {
            const expected = String(params['type']);
            // further rollout_mode keys may hold any scalar; the known ones (a number, a boolean) get the plain type message
            if (ctx.kind === 'rollout_policy' &&
                segments.length === 3 &&
                segments[1] === 'rollout_mode' &&
                Array.isArray(params['type'])) {
                return [
                    {
                        pointer,
                        code: 'schema.type',
                        expected,
                        message: `rollout.rollout_mode values must be scalar: ${(0,read_text/* maskSecrets */.QU)(segments[2])} is ${describeValue(value, true, path.field)}; use a string, a number or true/false`
                    }
                ];
            }
            if (ctx.kind === 'eval' && segments.length === 3 && segments[1] === 'thresholds') {
                return [
                    {
                        pointer,
                        code: 'schema.type',
                        expected,
                        message: `${path} must be a number or a comparator string like "<0.40", "<=3000" or ">=0.85"; got ${describeValue(value, true, path.field)}`
                    }
                ];
            }
            return [typeIssue(pointer, expected, value, segments.length === 0 ? DOCUMENT_NAMES[ctx.kind] : path)];
        }
        case 'required': {
            const missing = String(params['missingProperty']);
            return [
                {
                    pointer: `${pointer}/${escapePointer(missing)}`,
                    code: 'schema.required',
                    message: `${path.child(missing)} is required`
                }
            ];
        }
        case 'additionalProperties': {
            const key = String(params['additionalProperty']);
            return [unknownKeyIssue(pointer, segments, key, path, ctx)];
        }
        case 'unevaluatedProperties': {
            const key = String(params['unevaluatedProperty']);
            return [unknownKeyIssue(pointer, segments, key, path, ctx)];
        }
        case 'enum': {
            const allowed = params['allowedValues'] ?? [];
            return [
                {
                    pointer,
                    code: 'schema.enum',
                    message: `${path} must be one of ${allowed.map((a) => quote(a)).join(', ')}; got ${describeValue(value, true, path.field)}${suggestion(value, allowed)}`
                }
            ];
        }
        case 'const': {
            const allowed = params['allowedValue'];
            return [
                {
                    pointer,
                    code: 'schema.const',
                    message: `${path} must be ${quote(allowed)}; got ${describeValue(value, true, path.field)}${suggestion(value, [allowed])}`
                }
            ];
        }
        case 'minLength':
            return [
                path.isEntry
                    ? {
                        pointer,
                        code: 'schema.empty',
                        message: `${path.list} entries must not be empty; item ${path.item} is empty`
                    }
                    : { pointer, code: 'schema.empty', message: `${path} must not be empty` }
            ];
        case 'maxLength':
            return [
                {
                    pointer,
                    code: 'schema.too-long',
                    message: `${path} is too long: ${typeof value === 'string' ? [...value].length : '?'} characters, at most ${String(params['limit'])}`
                }
            ];
        case 'pattern':
            return [patternIssue(pointer, String(params['pattern']), value, path)];
        case 'format':
            return [
                {
                    pointer,
                    code: 'schema.format',
                    message: `${path} must be ${FORMAT_NAMES[String(params['format'])] ?? `in the ${String(params['format'])} format`}; got ${describeValue(value, true, path.field)}`
                }
            ];
        case 'uniqueItems':
            return duplicateIssues(pointer, value, params, path);
        case 'minItems': {
            const limit = Number(params['limit']);
            return [
                {
                    pointer,
                    code: 'schema.min-items',
                    message: limit === 1
                        ? `${path} must not be an empty list`
                        : `${path} must have at least ${limit} entries; got ${Array.isArray(value) ? value.length : 0}`
                }
            ];
        }
        case 'maxItems':
            return [
                {
                    pointer,
                    code: 'schema.max-items',
                    message: `${path} must have at most ${String(params['limit'])} entries; got ${Array.isArray(value) ? value.length : '?'}`
                }
            ];
        case 'minProperties':
        case 'maxProperties': {
            const limit = Number(params['limit']);
            const which = error.keyword === 'minProperties' ? 'at least' : 'at most';
            return [
                {
                    pointer,
                    code: 'schema.key-count',
                    message: `${path} must have ${which} ${limit} ${limit === 1 ? 'key' : 'keys'}; got ${isMapping(value) ? Object.keys(value).length : 0}`
                }
            ];
        }
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum': {
            const words = {
                minimum: 'at least',
                maximum: 'at most',
                exclusiveMinimum: 'greater than',
                exclusiveMaximum: 'less than'
            };
            return [
                {
                    pointer,
                    code: 'schema.range',
                    message: `${path} must be ${words[error.keyword]} ${String(params['limit'])}; got ${describeValue(value, true, path.field)}`
                }
            ];
        }
        case 'multipleOf':
            return [
                {
                    pointer,
                    code: 'schema.range',
                    message: `${path} must be a multiple of ${String(params['multipleOf'])}; got ${describeValue(value, true, path.field)}`
                }
            ];
        case 'propertyNames':
            return [propertyNameIssue(node, path)];
        case 'anyOf':
        case 'oneOf':
            return alternativesIssues(node, root, ctx, path, value);
        case 'false schema':
            return [{ pointer, code: 'schema.not-allowed', message: `${path} is not allowed here` }];
        default:
            return [
                {
                    pointer,
                    code: `schema.${error.keyword}`,
                    message: `${path} does not satisfy the schema's ${error.keyword} rule (${(0,read_text/* maskSecrets */.QU)(JSON.stringify(params))})`
                }
            ];
    }
}
/** A type mismatch; `subject` is the field's path, or a name for the whole document. */
function typeIssue(pointer, expected, value, subject) {
    const types = expected.split(',');
    const field = subject instanceof FieldPath ? subject.field : null;
    if (subject instanceof FieldPath && subject.isEntry && types.every((t) => t in PLURAL_TYPE_WORDS)) {
        return {
            pointer,
            code: 'schema.type',
            expected,
            message: `${subject.list} entries must be ${joinOr(types.map((t) => PLURAL_TYPE_WORDS[t]))}; item ${subject.item} is ${describeValue(value, true, field)}`
        };
    }
    return {
        pointer,
        code: 'schema.type',
        expected,
        message: `${String(subject)} must be ${joinOr(types.map((t) => TYPE_WORDS[t] ?? t))}; got ${describeValue(value, true, field)}`
    };
}
function unknownKeyIssue(pointer, segments, key, path, ctx) {
    const allowed = allowedKeysAt(ctx.graph, segments);
    const where = segments.length === 0 ? 'at the top level' : `in ${path}`;
    let message = `unknown key ${quote(key)} ${where}`;
    if (allowed && allowed.length > 0) {
        const near = nearest(key, allowed);
        message += near === undefined ? '; ' : `; did you mean ${quote(near)}? `;
        message += `${near === undefined ? 'allowed' : 'Allowed'} keys: ${allowed.join(', ')}`;
    }
    return { pointer: `${pointer}/${escapePointer(key)}`, code: 'schema.unknown-key', message };
}
/** What each of our patterns means, for the message (keyed by the pattern's source). */
const PATTERN_MEANINGS = {
    '^\\S(?:.*\\S)?$': (path, value) => path.isEntry
        ? `${path.list} entries must not start or end with whitespace or contain line breaks; item ${path.item} is ${describeValue(value, true, path.field)}`
        : `${path} must not start or end with whitespace or contain line breaks; got ${describeValue(value, true, path.field)}`,
    '^(<=|>=|<|>|==)\\s*-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$': (path, value) => {
        const bare = typeof value === 'string' &&
            value.trim() !== '' &&
            Number.isFinite(Number(value)) &&
            (0,read_text/* maskSecrets */.QU)(value, path.field) === value;
        return (`${path} must be a number or a comparator and a number, like "<0.40", "<=3000", ">=0.85" or "==0"; ` +
            `got ${describeValue(value, true, path.field)}` +
            (bare ? `: write the number without quotes, or with a comparator such as ">=${value.trim()}"` : ''));
    },
    '^[0-9a-f]{64}$': (path, value) => `${path} must be a SHA-256 digest: 64 lower-case hex digits; got ${describeValue(value, true, path.field)}`,
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': (path, value) => `${path} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${describeValue(value, true, path.field)}`,
    '^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\\[bot\\])?$': (path, value) => `${path.isEntry ? `${path.list} entries` : path} must be GitHub logins without '@', like 'octocat'; ${path.isEntry ? `item ${path.item} is` : 'got'} ${describeValue(value, true, path.field)}`,
    '^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$': (path, value) => `${path.isEntry ? `${path.list} entries` : path} must be GitHub teams as 'org/team-slug', without '@'; ${path.isEntry ? `item ${path.item} is` : 'got'} ${describeValue(value, true, path.field)}`,
    '^[a-z][a-z0-9_-]*\\.[a-z0-9][a-z0-9_.-]*$': (path, value) => `${path} must be a rule id such as 'evals.threshold' (see docs/rules.md); got ${describeValue(value, true, path.field)}`,
    '^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000]*$': (path, value) => `${path} must be a relative path with forward slashes (no leading '/', no drive letter, no backslash); got ${describeValue(value, true, path.field)}`
};
function patternIssue(pointer, pattern, value, path) {
    const meaning = PATTERN_MEANINGS[pattern];
    const message = meaning
        ? meaning(path, value)
        : `${path} must match the pattern /${pattern}/; got ${describeValue(value, true, path.field)}`;
    return { pointer, code: 'schema.pattern', message };
}
function duplicateIssues(pointer, value, params, path) {
    const label = `${path} entries must be unique`;
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
        // ajv stops at the first pair; a list of scalars is cheap to scan for every repeat
        const first = new Map();
        const issues = [];
        value.forEach((item, i) => {
            const seen = first.get(item);
            if (seen === undefined)
                first.set(item, i);
            else {
                issues.push({
                    pointer: `${pointer}/${i}`,
                    code: 'schema.unique',
                    message: `${label}: ${describeValue(item, false, path.field)} appears at items ${seen + 1} and ${i + 1}`
                });
            }
        });
        if (issues.length > 0)
            return issues;
    }
    const i = Number(params['i']);
    const j = Number(params['j']);
    const [a, b] = i < j ? [i, j] : [j, i];
    return [
        { pointer: `${pointer}/${b}`, code: 'schema.unique', message: `${label}: items ${a + 1} and ${b + 1} are the same` }
    ];
}
function propertyNameIssue(node, path) {
    const name = String(node.error.params['propertyName']);
    const pointer = `${node.error.instancePath}/${escapePointer(name)}`;
    const reasons = node.children.map((c) => c.error.keyword);
    let why = 'is not a valid name';
    if (reasons.includes('minLength'))
        why = 'must not be empty';
    else if (reasons.includes('pattern')) {
        const pattern = String(node.children.find((c) => c.error.keyword === 'pattern').error.params['pattern']);
        why =
            pattern === '^\\S(?:.*\\S)?$'
                ? 'must not start or end with whitespace or contain line breaks'
                : pattern.startsWith('^[a-z][a-z0-9_-]*\\.')
                    ? "must be a rule id such as 'evals.threshold'"
                    : `must match /${pattern}/`;
    }
    else if (reasons.includes('maxLength'))
        why = 'is too long';
    return { pointer, code: 'schema.key', message: `${path}: key ${quote(name)} ${why}` };
}
function alternativesIssues(node, root, ctx, path, value) {
    const { error } = node;
    const pointer = error.instancePath;
    const params = error.params;
    if (ctx.kind === 'config' && path.segments.length === 2 && path.segments[0] === 'signals') {
        const keys = isMapping(value) ? Object.keys(value) : [];
        return [
            {
                pointer,
                code: 'schema.one-of',
                message: `${path} must name exactly one source: { eval: <Eval name> }, { approval: <role> } or { file: <path> }; ` +
                    (isMapping(value)
                        ? `got ${keys.length === 0 ? 'no keys' : `keys ${keys.map((k) => quote(k)).join(', ')}`}`
                        : `got ${describeValue(value, true, path.field)}`)
            }
        ];
    }
    if (Array.isArray(params['passingSchemas'])) {
        return [
            {
                pointer,
                code: 'schema.one-of',
                message: `${path} matches more than one of the allowed forms; make it match exactly one`
            }
        ];
    }
    const wrongType = node.children.filter((c) => c.error.keyword === 'type' && c.error.instancePath === pointer);
    const others = node.children.filter((c) => !wrongType.includes(c));
    if (others.length === 0) {
        const expected = [
            ...new Set(wrongType.flatMap((c) => String(c.error.params['type']).split(',')))
        ];
        return [
            typeIssue(pointer, expected.join(','), value, path.segments.length === 0 ? DOCUMENT_NAMES[ctx.kind] : path)
        ];
    }
    const inner = others.flatMap((c) => describeNode(c, root, ctx));
    if (inner.length === 1)
        return inner;
    const shown = inner.slice(0, 3).map((i) => i.message);
    return [
        {
            pointer,
            code: `schema.${error.keyword === 'oneOf' ? 'one-of' : 'any-of'}`,
            message: `${path} does not match any allowed form: ${shown.join('; or ')}${inner.length > 3 ? '; …' : ''}`
        }
    ];
}
// ---------------------------------------------------------------------------------------------------------------
// Paths and values
const TYPE_WORDS = {
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    null: 'null'
};
const PLURAL_TYPE_WORDS = {
    string: 'strings',
    number: 'numbers',
    integer: 'whole numbers',
    boolean: 'true or false'
};
const FORMAT_NAMES = {
    'date-time': 'a date and time like 2026-04-07T12:00:00Z',
    date: 'a date like 2026-04-07',
    uri: 'an absolute URI',
    'idn-email': 'an email address',
    email: 'an email address'
};
/** A dotted field path for messages: change.change_id, spec.metrics[2].type, roles["release manager"].users. */
class FieldPath {
    root;
    segments;
    documentName;
    constructor(root, segments, documentName) {
        this.root = root;
        this.segments = segments;
        this.documentName = documentName;
    }
    /** true when the value is an entry of a list (for "{label} entries must …" messages) */
    get isEntry() {
        return this.segments.length > 0 && Array.isArray(valueAt(this.root, this.segments.slice(0, -1)));
    }
    /** the list's path, for entries */
    get list() {
        return render(this.root, this.segments.slice(0, -1)) || this.documentName;
    }
    /** 1-based item number, for entries */
    get item() {
        return Number(this.segments[this.segments.length - 1]) + 1;
    }
    child(key) {
        return render(this.root, [...this.segments, key], true);
    }
    /**
     * The name the value sits under, for the name-based secret checks: its key (a list's entries sit under the
     * list's key), or for a CycloneDX property's `value`, the property's `name`, as src/gate/secrets.ts reads them.
     */
    get field() {
        return fieldNameOf(this.root, this.segments);
    }
    toString() {
        return render(this.root, this.segments) || 'the document';
    }
}
function render(root, segments, lastIsKey = false) {
    let out = '';
    let current = root;
    segments.forEach((segment, i) => {
        const isIndex = Array.isArray(current) && !(lastIsKey && i === segments.length - 1);
        // a key is record text too: a pasted token as a key is masked like any value
        const key = isIndex ? segment : (0,read_text/* maskSecrets */.QU)(segment);
        if (isIndex)
            out += `[${segment}]`;
        else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key))
            out += out === '' ? key : `.${key}`;
        else
            out += `[${JSON.stringify(key)}]`;
        current = valueAt(current, [segment]);
    });
    return out;
}
/** See FieldPath.field. */
function fieldNameOf(root, segments) {
    let field = null;
    let current = root;
    for (const segment of segments) {
        if (isMapping(current)) {
            const name = own(current, 'name');
            field = segment === 'value' && typeof name === 'string' && hasOwn(current, 'value') ? name : segment;
        }
        else if (!Array.isArray(current))
            return field;
        current = valueAt(current, [segment]);
    }
    return field;
}
function parsePointer(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function toPointer(segments) {
    return segments.map((s) => `/${escapePointer(s)}`).join('');
}
function escapePointer(segment) {
    return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
function own(value, key) {
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}
function valueAt(root, segments) {
    let current = root;
    for (const segment of segments) {
        if (Array.isArray(current))
            current = current[Number(segment)];
        else if (isMapping(current))
            current = own(current, segment);
        else
            return undefined;
    }
    return current;
}
function isMapping(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
const MAX_SHOWN = 80;
/** A value for a message, quoted and clipped; a string with a secret in it masked first (see maskSecrets). */
function quote(value, fieldName = null) {
    if (typeof value !== 'string')
        return JSON.stringify(value) ?? String(value);
    const chars = [...(0,read_text/* maskSecrets */.QU)(value, fieldName)];
    const text = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : chars.join('');
    // JSON escaping keeps line breaks and control characters visible and on one line
    return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}
/**
 * What was found, for "got …": "a number (12)", "a list", "an empty string", "null". A secret in it is masked;
 * `fieldName` (the key the value sits under) enables the name-based checks, so a password is masked even when it
 * is a number.
 */
function describeValue(value, withType = true, fieldName = null) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'null';
    if (typeof value === 'string') {
        if (value === '')
            return 'an empty string';
        return withType ? `a string (${quote(value, fieldName)})` : quote(value, fieldName);
    }
    if (typeof value === 'number') {
        if (!Number.isFinite(value))
            return `a number that is not finite (${String(value)})`;
        const shown = (0,read_text/* maskSecrets */.QU)(String(value), fieldName);
        return withType ? `a number (${shown})` : shown;
    }
    if (typeof value === 'bigint') {
        return `a number too large to hold exactly (${(0,read_text/* maskSecrets */.QU)(String(value), fieldName).slice(0, MAX_SHOWN)})`;
    }
    if (typeof value === 'boolean')
        return withType ? `a boolean (${String(value)})` : String(value);
    if (Array.isArray(value)) {
        return value.length === 0
            ? 'an empty list'
            : `a list (${value.length} ${value.length === 1 ? 'entry' : 'entries'})`;
    }
    if (isMapping(value))
        return 'a mapping';
    return `a value of type ${typeof value}`;
}
function joinOr(words) {
    if (words.length <= 1)
        return words[0] ?? '';
    return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
/** "; did you mean 'x'?" when one allowed value is close to what was written. */
function suggestion(value, allowed) {
    if (typeof value !== 'string')
        return '';
    const near = nearest(value, allowed.filter((a) => typeof a === 'string'));
    return near === undefined ? '' : `; did you mean ${quote(near)}?`;
}
/** The candidate closest to `name` — the same but for case or separators, or a small typo — or undefined. */
function nearest(name, candidates) {
    if (name === '')
        return undefined;
    const fold = (s) => s.toLowerCase().replace(/[-_ ]/g, '');
    const same = candidates.find((c) => c !== name && fold(c) === fold(name));
    if (same !== undefined)
        return same;
    const extended = name.length >= 3 ? candidates.filter((c) => c !== name && fold(c).startsWith(fold(name))) : [];
    if (extended.length === 1)
        return extended[0];
    let best;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(name.toLowerCase(), c.toLowerCase());
        if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
            best = c;
            bestDistance = d;
        }
    }
    const limit = Math.max(2, Math.floor(name.length / 3));
    return best !== undefined && bestDistance > 0 && bestDistance <= limit ? best : undefined;
}
/** Optimal string alignment distance (a swap of two neighbours counts as one edit). */
function editDistance(a, b) {
    if (Math.abs(a.length - b.length) > 8)
        return Math.abs(a.length - b.length);
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                v = Math.min(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    }
    return d[a.length][b.length];
}
/** Graph nodes describing the same position: `start` and every alternative they lead to. */
function closure(graph, start) {
    const seen = new Set();
    const stack = [...start];
    while (stack.length > 0) {
        const n = stack.pop();
        if (seen.has(n))
            continue;
        seen.add(n);
        for (const o of graph[n]?.o ?? [])
            stack.push(o);
    }
    return [...seen];
}
/** The nodes one data-path segment further: a named property, or what any other key or index leads to. */
function step(graph, nodes, segment) {
    const next = [];
    for (const n of nodes) {
        const node = graph[n];
        if (!node)
            continue;
        const child = node.p && Object.prototype.hasOwnProperty.call(node.p, segment) ? node.p[segment] : undefined;
        if (child !== undefined)
            next.push(child);
        else
            next.push(...(node.a ?? []));
    }
    return next;
}
/** The keys a closed object allows at this data path (from the generated key graph), or undefined. */
function allowedKeysAt(graph, segments) {
    if (graph.length === 0)
        return undefined;
    let current = closure(graph, [0]);
    for (const segment of segments)
        current = closure(graph, step(graph, current, segment));
    const keys = new Set();
    for (const n of current)
        for (const k of graph[n]?.k ?? [])
            keys.add(k);
    return keys.size > 0 ? [...keys].sort() : undefined;
}


/***/ }),

/***/ 7789:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AL: () => (/* binding */ safeLogLine),
/* harmony export */   BC: () => (/* binding */ sarifText),
/* harmony export */   SZ: () => (/* binding */ mdRich),
/* harmony export */   bC: () => (/* binding */ mdText),
/* harmony export */   kc: () => (/* binding */ logText),
/* harmony export */   xs: () => (/* binding */ mdCode)
/* harmony export */ });
/* unused harmony exports ZWJ, plainLine, truncate */
/**
 * Inert text. Everything a record (or anyone who can open a pull request) wrote passes through here before
 * it reaches a comment, a job summary, a log line or a SARIF message. Our own markup never does.
 *
 * Markdown text (`mdText`) cannot: mention (@user, @org/team), reference (#1, GH-1, owner/repo#1), autolink
 * (https://…, www.…, a@b.c), open a link or image ([x](javascript:…)), inject HTML or an HTML comment
 * (so it cannot forge our marker), emphasise, strike, start a heading/list/quote, break a table row, or
 * render math. Code spans (`mdCode`) use a fence longer than any backtick run in the value.
 * Log text (`logText`) cannot start a workflow command (`::cmd::`, legacy `##[cmd]`) and carries no ANSI.
 */
/** Zero-width joiner: invisible, and breaks GitHub's mention/reference/autolink patterns. */
const ZWJ = '\u200D';
/** Zero-width space: the runner's TrimStart() does not remove it, so `\u200B::x::` is no command. */
const ZWSP = '\u200B';
const REPLACEMENT = '\uFFFD';
/**
 * The runner's legacy command form, `##[command]data`, is recognised anywhere in a line (not only at its start),
 * so it is broken wherever record text may reach a log: terminal text, code spans (a job summary printed by
 * `agent-gate check --format markdown` is a log too) and SARIF messages.
 */
const LEGACY_COMMAND = /##\[/g;
const LEGACY_BROKEN = '#' + ZWSP + '#[';
/**
 * One pass over the raw text: ANSI escape sequences (CSI, OSC up to BEL or ST, two-character escapes) are
 * dropped; line breaks of every kind and tabs become spaces; bidi controls (Trojan Source), direction marks,
 * the remaining C0/C1 controls and lone surrogates (not encodable as UTF-8) become a visible U+FFFD.
 */
const RAW = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]|(\r\n|[\n\r\t\u000B\u000C\u0085\u2028\u2029])|[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Longer inputs are cut before they are scanned (a record can hold megabytes in one string). */
const SCAN_FACTOR = 4;
/** The common first step for every output. The result is one line. */
function plainLine(value, max = Number.MAX_SAFE_INTEGER) {
    let text = value;
    if (text.length > max * SCAN_FACTOR + 64) {
        text = text.slice(0, max * SCAN_FACTOR + 64);
        if (/[\uD800-\uDBFF]$/.test(text))
            text = text.slice(0, -1);
    }
    return text.replace(RAW, replaceRaw);
}
function replaceRaw(match, lineBreak) {
    if (lineBreak !== undefined)
        return ' ';
    // a whole escape sequence disappears; a lone ESC, a control, a bidi mark or a lone surrogate stays visible
    const code = match.charCodeAt(0);
    return match.length > 1 && (code === 0x1b || code === 0x9b) ? '' : REPLACEMENT;
}
/** Shorten to at most `max` code points (never splitting a surrogate pair), marking the cut with "…". */
function truncate(value, max) {
    if (value.length <= max)
        return value;
    const points = Array.from(value);
    if (points.length <= max)
        return value;
    return points.slice(0, Math.max(0, max - 1)).join('') + '…';
}
/** One line of record text, at most `max` code points. */
function line(value, max) {
    return truncate(plainLine(value, max), max);
}
/**
 * GitHub's mention (@user, @org/team, a@b.c), reference (#1, owner/repo#1, GH-1) and autolink (scheme://,
 * mailto:, xmpp:, www.) patterns, each broken by an invisible joiner. No word boundaries: GFM autolinks
 * "www." after `_`, `*`, `~` or `(` too, so every occurrence is broken.
 */
const REFERENCES = /[@#]|(gh-)(?=\d)|:\/\/|(mailto|xmpp):|(www)\./gi;
function breakReference(match, gh, scheme, www) {
    if (gh)
        return gh + ZWJ;
    if (scheme)
        return scheme + ZWJ + ':';
    if (www)
        return www + ZWJ + '.';
    if (match === '://')
        return ':' + ZWJ + '//';
    return match + ZWJ;
}
/** HTML-significant characters as entities; markdown punctuation backslash-escaped (valid everywhere outside code). */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"'\\`*_[\]()|~${}!]/g;
/**
 * Record text as inert inline markdown, one line, at most `max` code points of the original.
 * Safe in paragraphs, list items, headings and table cells.
 */
function mdText(value, max = 500) {
    const out = line(value, max)
        .replace(REFERENCES, breakReference)
        .replace(SPECIAL, (c) => ESCAPES[c] ?? '\\' + c);
    // a leading block marker would open a list, an ordered list or a setext underline inside a list item
    return out
        .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
        .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
        .replace(/^(\s*)(=+)(?=\s*$)/, '$1\\$2');
}
/** The longest run of backticks in `value`. */
function longestBacktickRun(value) {
    let longest = 0;
    for (const run of value.match(/`+/g) ?? [])
        longest = Math.max(longest, run.length);
    return longest;
}
/**
 * Record text as a code span: literal, no mentions, no references, no HTML. The fence is one backtick longer
 * than the longest run inside, and the value is padded with a space on each side (CommonMark strips exactly
 * one), so it cannot close the span early. `<!--` is broken so the raw body never carries a forged marker, and
 * `##[` so the body is no legacy workflow command when it is printed to a log.
 * In a table a `|` would still split the cell (GFM splits rows before reading code spans), so a value with a
 * pipe is rendered as escaped text there instead.
 */
function mdCode(value, max = 200, opts = {}) {
    const text = line(value, max);
    if (opts.inTable && text.includes('|'))
        return mdText(text, max);
    if (text.trim() === '')
        return '*(empty)*';
    const safe = text.replace(/<!--/g, '<' + ZWJ + '!--').replace(LEGACY_COMMAND, LEGACY_BROKEN);
    const fence = '`'.repeat(longestBacktickRun(safe) + 1);
    return `${fence} ${safe} ${fence}`;
}
/**
 * Text for a terminal or a CI log: one line, no ANSI, no bidi, and no workflow command. The runner treats a
 * line as a command when, after leading whitespace, it starts with `::` (or contains the legacy `##[`); every
 * `::` and `##[` gets a zero-width space, so no caller can place one at the start of a line by concatenation.
 * `%` is left as written: nothing here decodes it, and @actions/core escapes it in annotation data.
 */
function logText(value, max = 2000) {
    return line(value, max)
        .replace(/:(?=:)/g, ':' + ZWSP)
        .replace(LEGACY_COMMAND, LEGACY_BROKEN);
}
/**
 * Neutralise workflow commands in a line of console output (the exported form for the action and CLI):
 * one line, ANSI stripped, `::` and `##[` broken wherever they occur.
 */
function safeLogLine(text) {
    return logText(String(text), Number.MAX_SAFE_INTEGER);
}
/** Plain text for SARIF messages (JSON carries it; viewers show it as text): one line, no controls or bidi. */
function sarifText(value, max = 4000) {
    return line(value, max).replace(LEGACY_COMMAND, LEGACY_BROKEN);
}
/**
 * Text our engine wrote with `code` spans around record values (messages, fixes, titles): the spans become
 * real code spans (through mdCode), the rest inert text (through mdText). Whatever a record smuggled into
 * the message, every piece still passes one of the two inert renderers.
 */
function mdRich(value, max = 500, opts = {}) {
    const text = line(value, max);
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(/`([^`]+)`/g)) {
        if (match.index > last)
            parts.push(mdText(text.slice(last, match.index), max));
        parts.push(mdCode(match[1], max, opts));
        last = match.index + match[0].length;
    }
    if (last < text.length)
        parts.push(mdText(text.slice(last), max));
    return parts.join('');
}


/***/ })

};
