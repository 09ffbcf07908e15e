export const id = 497;
export const ids = [497];
export const modules = {

/***/ 8497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runExplain: () => (/* binding */ runExplain)
/* harmony export */ });
/* harmony import */ var _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4196);
/* harmony import */ var _read_validate_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2626);
/* harmony import */ var _read_parse_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(379);
/* harmony import */ var _render_sarif_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3729);
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7593);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1604);






/** Suggestions shown for an unknown id, at most. */
const MAX_SUGGESTIONS = 8;
async function runExplain(argv, io) {
    const { positionals } = (0,_args_js__WEBPACK_IMPORTED_MODULE_4__/* .parse */ .qg)(argv, {}, true);
    if (positionals.length > 1) {
        io.stderr.write('agent-gate explain: give one rule id (agent-gate explain evals.threshold)\n');
        return _io_js__WEBPACK_IMPORTED_MODULE_5__/* .EXIT */ .dc.invalid;
    }
    const id = positionals[0]?.trim();
    if (id === undefined || id === '') {
        list(_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_5__/* .EXIT */ .dc.allow;
    }
    // input.invalid names record and configuration errors in SARIF: not a finding, but a reader may ask about it
    const rule = (0,_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .findRule */ .Il)(id) ?? (id === _render_sarif_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT_RULE */ .gG.id ? _render_sarif_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT_RULE */ .gG : undefined);
    if (rule) {
        explain(rule, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_5__/* .EXIT */ .dc.allow;
    }
    const family = _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj.filter((r) => r.family === id);
    if (family.length > 0) {
        list(family, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_5__/* .EXIT */ .dc.allow;
    }
    const near = suggestions(id);
    io.stderr.write(`agent-gate explain: unknown rule ${JSON.stringify((0,_read_parse_js__WEBPACK_IMPORTED_MODULE_2__/* .excerpt */ .Kb)(id, 80))}.`);
    io.stderr.write(near.length > 0 ? ` Did you mean: ${near.join(', ')}?\n` : '\n');
    io.stderr.write('Run "agent-gate explain" to list every rule.\n');
    return _io_js__WEBPACK_IMPORTED_MODULE_5__/* .EXIT */ .dc.invalid;
}
function list(rules, io) {
    const width = Math.max(...rules.map((r) => r.id.length)) + 2;
    for (const r of rules)
        io.stdout.write(`${r.id.padEnd(width)}${r.severity.padEnd(11)}${r.title}\n`);
}
function explain(rule, io) {
    io.stdout.write([
        `${rule.id} — ${rule.title}`,
        rule === _render_sarif_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT_RULE */ .gG
            ? 'record and configuration errors always fail the check (exit 2); they are not findings and no "rules:" entry changes them'
            : `family: ${rule.family} · default severity: ${rule.severity} (override it under "rules:" in .github/agent-gate.yml)`,
        '',
        rule.description,
        '',
        `How to fix: ${rule.fix}`,
        ''
    ].join('\n'));
}
/** The closest ids (a typo in the id, or in the part after the family), then every id containing the text. */
function suggestions(text) {
    const query = text.toLowerCase();
    const byName = new Map(_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj.map((r) => [r.id.slice(r.family.length + 1), r.id]));
    const lastPart = query.includes('.') ? query.slice(query.indexOf('.') + 1) : query;
    const out = new Set();
    const close = (0,_read_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .nearest */ .pA)(query, _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .RULE_IDS */ .Iu);
    if (close)
        out.add(close);
    const closeName = (0,_read_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .nearest */ .pA)(lastPart, [...byName.keys()]);
    if (closeName)
        out.add(byName.get(closeName));
    if (query.length >= 3) {
        for (const id of _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .RULE_IDS */ .Iu)
            if (id.includes(query) || (lastPart.length >= 3 && id.includes(lastPart)))
                out.add(id);
    }
    return [...out].slice(0, MAX_SUGGESTIONS);
}


/***/ }),

/***/ 5611:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ac: () => (/* binding */ isLinkablePath),
/* harmony export */   Bg: () => (/* binding */ commitUrl),
/* harmony export */   Ek: () => (/* binding */ repositoryUrl),
/* harmony export */   Pl: () => (/* binding */ safeUrl),
/* harmony export */   b0: () => (/* binding */ blobUrl),
/* harmony export */   xt: () => (/* binding */ commitFor)
/* harmony export */ });

/** An http(s) URL passed in by the caller, normalised, or null when it is not one. */
function safeUrl(url) {
    if (!url)
        return null;
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return null;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        return null;
    if (parsed.username || parsed.password)
        return null;
    // URL serialisation percent-encodes spaces and controls; parentheses and angle brackets would end a markdown link
    return parsed.href.replace(/[()<>[\]\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}
const SHA = /^[0-9a-f]{7,64}$/i;
/** A repository-relative path we are willing to link to: no absolute paths, no `..`, no backslashes, controls or lone surrogates. */
function isLinkablePath(path) {
    if (path === '' || path.length > 4096)
        return false;
    if (path.startsWith('/') || path.includes('\\') || /[\u0000-\u001F\u007F]/.test(path))
        return false;
    // a lone surrogate cannot be percent-encoded
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(path))
        return false;
    return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
function encodeSegment(segment) {
    return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
/** `https://github.com/acme/support-bot`, or null when the repository is unknown or its server URL is not http(s). */
function repositoryUrl(ctx) {
    if (!ctx.repository)
        return null;
    const server = safeUrl(ctx.repository.serverUrl);
    if (!server)
        return null;
    return `${server.replace(/\/+$/, '')}/${encodeSegment(ctx.repository.owner)}/${encodeSegment(ctx.repository.repo)}`;
}
/** `…/commit/<sha>`, or null. */
function commitUrl(ctx, sha) {
    const repo = repositoryUrl(ctx);
    return repo && sha && SHA.test(sha) ? `${repo}/commit/${sha}` : null;
}
/**
 * `https://github.com/acme/support-bot/blob/<sha>/records/x.yaml#L12` — or null when the repository, the commit
 * or the path is unknown or unsafe.
 */
function blobUrl(ctx, sha, path, line) {
    const repo = repositoryUrl(ctx);
    if (!repo || !sha || !SHA.test(sha) || !isLinkablePath(path))
        return null;
    const file = path.split('/').map(encodeSegment).join('/');
    const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : '';
    return `${repo}/blob/${sha}/${file}${anchor}`;
}
/** The commit a location's link points at: the head commit, or the base commit for base-side files. */
function commitFor(location, commits, ctx) {
    return location.side === 'base' ? commits.base : (ctx.headSha ?? commits.head);
}


/***/ }),

/***/ 1376:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   s8: () => (/* binding */ markerKey)
/* harmony export */ });
/* unused harmony exports parseMarker, hasMarker */
/**
 * The hidden marker that identifies this gate's sticky comment. It is the last line of every comment we
 * render and nowhere else: record text can never produce `<!--` (see text.ts), so a marker found anywhere
 * but the last line was not written by us.
 */
const PREFIX = '<!-- agent-release-gate:key=';
const SUFFIX = ' -->';
const MARKER_LINE = /^<!-- agent-release-gate:key=([A-Za-z0-9._-]{1,64}) -->$/;
/** The gate key as it appears in the marker: letters, digits, `.`, `_`, `-`; anything else becomes `-`. */
function markerKey(gateKey) {
    const key = gateKey
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 64);
    return key === '' ? 'default' : key;
}
/** `<!-- agent-release-gate:key=<key> -->` — stable for a key, distinct between two gates in one repository. */
function commentMarker(gateKey) {
    return PREFIX + markerKey(gateKey) + SUFFIX;
}
/** The gate key of a comment body rendered by renderComment (its last non-empty line is the marker), or null. */
function parseMarker(body) {
    const lines = body.replace(/\s+$/, '').split('\n');
    const last = (lines[lines.length - 1] ?? '').replace(/\r$/, '');
    const match = MARKER_LINE.exec(last);
    return match ? match[1] : null;
}
/** Whether `body` is a comment of the gate with this key (compare the author separately: anyone can type a marker). */
function hasMarker(body, gateKey) {
    return parseMarker(body) === markerKey(gateKey);
}


/***/ }),

/***/ 3729:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WH: () => (/* binding */ renderSarif),
/* harmony export */   gG: () => (/* binding */ INPUT_RULE)
/* harmony export */ });
/* unused harmony export SARIF_SCHEMA_URI */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _gate_context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2104);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5611);
/* harmony import */ var _marker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1376);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7789);
/**
 * SARIF 2.1.0 for code scanning: one result per finding (plus one per record error, so a malformed record is
 * shown inline too), rule metadata from the rule catalog, stable fingerprints, and a category per gate key so
 * two gates in one repository do not replace each other's alerts.
 */





const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const LEVEL = { deny: 'error', follow_up: 'warning', warning: 'note' };
/** The rule for record and configuration errors (they are not findings, but code scanning should show them). */
const INPUT_RULE = {
    id: 'input.invalid',
    family: 'integrity',
    severity: 'deny',
    title: 'Record or configuration file is malformed',
    description: 'A record or the gate configuration could not be read: a parse error, a schema violation, or an unsafe file. ' +
        'The gate cannot judge a change whose records it cannot read, so it fails closed until the file is fixed.',
    fix: 'Correct the file at the given line and field; the message and hint say what was expected.'
};
const FINGERPRINT_KEY = 'agentReleaseGate/v1';
function sha256(text) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text, 'utf8').digest('hex');
}
/** "evals.threshold" → "EvalsThreshold": the rule name code scanning shows next to the id. */
function ruleName(id) {
    return id
        .split(/[^A-Za-z0-9]+/)
        .filter((s) => s !== '')
        .map((s) => s[0].toUpperCase() + s.slice(1))
        .join('');
}
/** A rule id as SARIF carries it, the same in the descriptor and in every result. */
function ruleId(id) {
    return (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(id, 200);
}
function descriptor(spec) {
    return {
        id: ruleId(spec.id),
        name: ruleName(spec.id),
        shortDescription: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(spec.title, 1000) },
        fullDescription: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(spec.description, 4000) },
        help: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(spec.fix, 4000) },
        defaultConfiguration: { level: LEVEL[spec.severity] },
        properties: { tags: ['agent-release-gate', spec.family] }
    };
}
/** A rule seen in a finding but missing from the catalog: described from the finding itself. */
function descriptorFromFinding(f) {
    return descriptor({
        id: f.rule,
        family: f.family,
        severity: f.severity,
        title: f.title,
        description: f.title,
        fix: f.fix
    });
}
function physicalLocation(location) {
    // code scanning only places repository-relative paths
    if (!(0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .isLinkablePath */ .Ac)(location.file))
        return null;
    const physical = {
        artifactLocation: { uri: location.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    };
    if (location.line !== undefined && Number.isInteger(location.line) && location.line >= 1) {
        physical.region = { startLine: location.line };
        if (location.column !== undefined && Number.isInteger(location.column) && location.column >= 1) {
            physical.region.startColumn = location.column;
        }
    }
    return { physicalLocation: physical };
}
/**
 * Where a result is shown. Code scanning needs a file: a finding without one (a missing approval, say) is
 * placed on the gate configuration, where the requirement is written, when there is one.
 */
function resultLocations(location, d) {
    const placed = location ? physicalLocation(location) : null;
    if (placed)
        return [placed];
    const fallback = d.config.file ? physicalLocation({ file: d.config.file }) : null;
    return fallback ? [fallback] : undefined;
}
/** Stable across runs and line shifts: the rule, what it is about and where (file and JSON pointer), not the line. */
function fingerprintSource(parts) {
    return parts.map((p) => p ?? '').join('\u0000');
}
function renderSarif(decision, ctx) {
    const d = decision;
    const specs = new Map();
    for (const spec of ctx.rules)
        specs.set(spec.id, spec);
    const descriptors = new Map();
    for (const spec of specs.values())
        descriptors.set(ruleId(spec.id), descriptor(spec));
    for (const f of d.findings)
        if (!descriptors.has(ruleId(f.rule)))
            descriptors.set(ruleId(f.rule), descriptorFromFinding(f));
    if (d.errors.length > 0 && !descriptors.has(INPUT_RULE.id))
        descriptors.set(INPUT_RULE.id, descriptor(INPUT_RULE));
    const ordered = [...descriptors.keys()].sort(_gate_context_js__WEBPACK_IMPORTED_MODULE_3__/* .cmp */ .r2);
    const rules = ordered.map((id) => descriptors.get(id));
    const ruleIndex = new Map(ordered.map((id, i) => [id, i]));
    const seen = new Map();
    const fingerprint = (source) => {
        const base = sha256(source);
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        return { [FINGERPRINT_KEY]: n === 1 ? base : `${base}:${n}` };
    };
    const results = [];
    for (const f of d.findings) {
        const result = {
            ruleId: ruleId(f.rule),
            ruleIndex: ruleIndex.get(ruleId(f.rule)),
            level: LEVEL[f.severity],
            message: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(`${f.title}: ${f.message} Fix: ${f.fix}`, 8000) },
            partialFingerprints: fingerprint(fingerprintSource([f.rule, f.subject, f.location?.file, f.location?.pointer, f.location?.side]))
        };
        const locations = resultLocations(f.location, d);
        if (locations)
            result.locations = locations;
        const properties = { severity: f.severity, family: f.family };
        if (f.subject !== undefined)
            properties.subject = (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(f.subject, 500);
        if (f.location?.pointer !== undefined)
            properties.pointer = (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(f.location.pointer, 1000);
        if (f.location?.side !== undefined)
            properties.side = f.location.side;
        result.properties = properties;
        results.push(result);
    }
    for (const e of d.errors)
        results.push(errorResult(e, d, ruleIndex.get(INPUT_RULE.id), fingerprint));
    const run = {
        tool: {
            driver: {
                name: d.tool.name,
                version: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(d.tool.version, 100),
                ...(/^\d+\.\d+\.\d+/.test(d.tool.version) ? { semanticVersion: d.tool.version } : {}),
                rules
            }
        },
        // code scanning's category is everything before the last "/": one category per gate key
        automationDetails: { id: `agent-release-gate/${(0,_marker_js__WEBPACK_IMPORTED_MODULE_4__/* .markerKey */ .s8)(d.gate_key)}/` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        invocations: [invocation(d)],
        results,
        properties: {
            decision: d.decision,
            outcome: d.outcome,
            gateKey: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(d.gate_key, 200),
            counts: { ...d.counts }
        }
    };
    const head = ctx.headSha ?? d.commits.head;
    const repositoryUri = (0,_context_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryUrl */ .Ek)(ctx);
    if (repositoryUri) {
        run.versionControlProvenance = [head ? { repositoryUri, revisionId: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(head, 100) } : { repositoryUri }];
    }
    return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}
function errorResult(e, d, index, fingerprint) {
    const result = {
        ruleId: INPUT_RULE.id,
        ruleIndex: index,
        level: 'error',
        message: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(`${e.message}${e.hint ? ` Hint: ${e.hint}` : ''}`, 8000) },
        partialFingerprints: fingerprint(fingerprintSource([INPUT_RULE.id, e.code, e.file, e.pointer, e.side]))
    };
    const loc = { file: e.file };
    if (e.line !== undefined)
        loc.line = e.line;
    if (e.column !== undefined)
        loc.column = e.column;
    const locations = resultLocations(loc, d);
    if (locations)
        result.locations = locations;
    const properties = { code: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(e.code, 200) };
    if (e.pointer !== undefined)
        properties.pointer = (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(e.pointer, 1000);
    if (e.side !== undefined)
        properties.side = e.side;
    result.properties = properties;
    return result;
}
function invocation(d) {
    if (d.outcome !== 'internal_error')
        return { executionSuccessful: true };
    return {
        executionSuccessful: false,
        toolExecutionNotifications: [
            {
                level: 'error',
                message: { text: (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .sarifText */ .BC)(`The gate failed: ${d.failure ?? 'no details were recorded'}`, 4000) }
            }
        ]
    };
}


/***/ })

};
