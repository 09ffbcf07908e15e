export const id = 3;
export const ids = [3];
export const modules = {

/***/ 6094:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ userRevision),
/* harmony export */   x: () => (/* binding */ gitRepository)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _read_git_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7320);
/**
 * The git questions `check` and `validate` ask about what the user typed, with the user's mistakes (not a
 * repository, an unknown ref) told apart from the environment's (git missing, timed out): the first are
 * exit 2 with what to do, the second stay errors of the gate (exit 3).
 */


/**
 * The top folder of the repository at `dir`. `directories` is what the command reads instead of git, for the
 * message when `dir` is not in a repository: check compares two directories, validate reads one.
 */
async function gitRepository(dir, directories, fromFlag = false) {
    try {
        return await (0,_read_git_js__WEBPACK_IMPORTED_MODULE_1__/* .repositoryRoot */ .Hn)(dir);
    }
    catch (error) {
        // exit code null: git did not answer (not installed, timed out) — not the user's mistake
        if (error instanceof _read_git_js__WEBPACK_IMPORTED_MODULE_1__/* .GitError */ .XS && error.exitCode !== null) {
            const instead = directories === 'check'
                ? 'compare two directories with --base-dir DIR --head-dir DIR'
                : 'validate a directory with --head-dir DIR';
            // the folder came from --repo: suggesting --repo again would send the user round in a circle
            const where = fromFlag ? '--repo must name a folder inside a git repository' : 'run in one, pass --repo DIR';
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SettingsError */ .GN(`${dir} is not inside a git repository: ${where}, or ${instead}`);
        }
        throw error;
    }
}
/** The commit a ref the user gave names. `gitRepository` ran first, so git is there to answer. */
async function userRevision(repo, ref, flag) {
    try {
        return await (0,_read_git_js__WEBPACK_IMPORTED_MODULE_1__/* .revParse */ .DJ)(repo, ref);
    }
    catch (error) {
        if (error instanceof _read_git_js__WEBPACK_IMPORTED_MODULE_1__/* .GitError */ .XS) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SettingsError */ .GN(`${flag} ${JSON.stringify(ref)} does not name a commit in ${repo} (is it fetched?)`);
        }
        throw error;
    }
}


/***/ }),

/***/ 754:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fi: () => (/* binding */ checkRecords),
  fe: () => (/* binding */ internalErrorRun),
  Rg: () => (/* binding */ runGate)
});

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
// EXTERNAL MODULE: ./src/read/json-colons.ts
var json_colons = __webpack_require__(369);
// EXTERNAL MODULE: ./src/read/ordinary-case.ts
var ordinary_case = __webpack_require__(373);
// EXTERNAL MODULE: ./src/model/own.ts
var own = __webpack_require__(3057);
;// CONCATENATED MODULE: ./src/read/case-table.ts
/**
 * Per-case results as columns, and the lines of a results file read into them. The ordinary line (printable ASCII,
 * ids and numbers as the schema's common case) is read here without the YAML parser or the generated validators,
 * so that a second thread can read spans of a large file (src/read/case-thread.ts) while the reader reads others;
 * anything else in a span sends the whole span back to the reader's careful path, which locates every issue.
 */




const NO_TABLE_LIMITS = { maxColumns: Infinity, maxValues: Infinity };
/** A case's values into the table's current row: its metrics in order (true/false as 1/0), then cost and latency. */
function setCaseValues(table, c) {
    table.startRow();
    const metrics = c.metrics;
    // for…in, not Object.keys: no array per case (a parsed line is plain data, nothing enumerable is inherited)
    for (const name in metrics) {
        const v = metrics[name];
        table.set(name, typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (typeof c.cost_usd === 'number')
        table.set('cost_usd', c.cost_usd);
    if (typeof c.latency_ms === 'number')
        table.set('latency_ms', c.latency_ms);
    return table.endRow();
}
/**
 * The cases of `bytes`, whole lines each ending in '\n', when every line is what the reader's fast path accepts
 * as it is (JsonLinesReader.caseLine): ASCII without NUL, at most maxLineBytes, no backslash, an ordinary case
 * whose ':' count proves no key merged, all of one eval, at most maxColumns fields in all. null otherwise: the
 * reader then reads the span itself, line by line, and reports what it finds there. A blank line also gives null
 * (the reader numbers rows and lines apart after one).
 */
function readOrdinarySpan(bytes, maxLineBytes, maxColumns) {
    if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a)
        return null;
    if (bytes.indexOf(0) >= 0 || !(0,external_node_buffer_.isAscii)(bytes))
        return null;
    // sized once for the span's lines (growing by doubling would copy every column of most spans)
    let capacity = 0;
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1))
        capacity++;
    // the span's own columns: at most maxColumns, each as long as the span (the reader checks the file's values)
    const table = new CaseTableBuilder({ maxColumns, maxValues: Infinity });
    table.reserve(capacity);
    const idHashes = new Float64Array(capacity);
    const idLengths = new Uint16Array(capacity);
    let evalName = null;
    let cases = 0;
    for (let start = 0; start < bytes.length;) {
        const newline = bytes.indexOf(0x0a, start);
        const length = newline - start;
        if (length === 0 || length > maxLineBytes)
            return null;
        const end = bytes[newline - 1] === 0x0d ? newline - 1 : newline;
        const text = bytes.toString('latin1', start, end);
        start = newline + 1;
        if (text.charCodeAt(0) !== 0x7b /* { */ || text.indexOf('\\') >= 0)
            return null;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch {
            return null;
        }
        const members = (0,ordinary_case/* ordinaryCaseMembers */.m)(value, true);
        if (members < 0 || !(0,json_colons/* unescapedPlain */.XH)(text, members))
            return null;
        const c = value;
        if (evalName === null)
            evalName = c.eval;
        else if (c.eval !== evalName)
            return null;
        if (setCaseValues(table, c) !== 'ok')
            return null;
        idHashes[cases] = hash53(c.case_id);
        idLengths[cases++] = c.case_id.length;
    }
    if (evalName === null)
        return null;
    const { names, columns } = table.take();
    return { cases, evalName, names, columns, idHashes, idLengths };
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Columns of per-case values: one growable Float64Array per field, NaN where a case has no value. NaN is
 * written only into the gaps, so a column every case fills is written once (no fill pass over fresh memory).
 */
class CaseTableBuilder {
    limits;
    cases = 0;
    capacity = 1024;
    columns = new Map();
    /** the columns in the order the previous row set them: rows of one file name their fields in one order */
    order = [];
    at = 0;
    /**
     * Set when the current row would pass a limit: no column is made past it (a line naming 20,000 new metrics, each
     * filled back to the first case, would take gigabytes before any count could be looked at), and the names it would
     * have added are counted so that endRow can say which limit.
     */
    refused = null;
    constructor(limits = NO_TABLE_LIMITS) {
        this.limits = limits;
    }
    /** Room for this many cases without growing. */
    reserve(cases) {
        if (cases > this.capacity)
            this.resize(cases);
    }
    /** The columns so far (the metrics named, cost and latency). */
    get columnCount() {
        return this.columns.size;
    }
    /** Starts the next case: set() its values, then endRow(). */
    startRow() {
        if (this.cases === this.capacity)
            this.resize(this.capacity * 2);
        this.at = 0;
        this.refused = null;
        if (this.columns.size * (this.cases + 1) > this.limits.maxValues)
            this.refused = new Set();
    }
    /** A value of the current case (a later value for the same field replaces an earlier one). */
    set(name, value) {
        if (this.refused) {
            if (!this.columns.has(name))
                this.refused.add(name);
            return;
        }
        let column = this.order[this.at];
        if (column === undefined || column.name !== name) {
            column = this.columns.get(name);
            if (!column) {
                const columns = this.columns.size + 1;
                if (columns > this.limits.maxColumns || columns * (this.cases + 1) > this.limits.maxValues) {
                    this.refused = new Set([name]);
                    return;
                }
                column = { name, values: new Float64Array(this.capacity), filled: 0 };
                this.columns.set(name, column);
            }
            this.order[this.at] = column;
        }
        this.at++;
        const row = this.cases;
        if (column.filled < row)
            column.values.fill(NaN, column.filled, row);
        column.values[row] = value;
        column.filled = row + 1;
    }
    /**
     * Ends the case: 'ok', or the limit it would pass ('columns' first, then 'values'), in which case it is not kept
     * and the table is not to be used further. `columnsWith` is the column count the case would have made.
     */
    endRow() {
        const refused = this.refused;
        if (refused === null) {
            this.cases++;
            return 'ok';
        }
        this.at = 0;
        return this.columns.size + refused.size > this.limits.maxColumns ? 'columns' : 'values';
    }
    /** The columns the last case would have made, refused ones included (after endRow answered other than 'ok'). */
    get columnsWith() {
        return this.columns.size + (this.refused?.size ?? 0);
    }
    /**
     * The cases of a span read elsewhere (readOrdinarySpan), after those already here: as if each had been set() in
     * turn. Columns the span names first are created in its order, as its lines would have created them.
     */
    append(span) {
        const rows = span.cases;
        if (this.cases + rows > this.capacity)
            this.resize(Math.max(this.capacity * 2, this.cases + rows));
        const at = this.cases;
        for (let i = 0; i < span.names.length; i++) {
            const name = span.names[i];
            let column = this.columns.get(name);
            if (!column) {
                column = { name, values: new Float64Array(this.capacity), filled: 0 };
                this.columns.set(name, column);
            }
            if (column.filled < at)
                column.values.fill(NaN, column.filled, at);
            column.values.set(span.columns[i].subarray(0, rows), at);
            column.filled = at + rows;
        }
        this.cases = at + rows;
    }
    /** The names not yet among the columns, of those given. */
    newNames(names) {
        let n = 0;
        for (const name of names)
            if (!this.columns.has(name))
                n++;
        return n;
    }
    /** The columns in the order they were first set, each with a value (or NaN) for every case. */
    take() {
        const names = [];
        const columns = [];
        for (const column of this.columns.values()) {
            column.values.fill(NaN, column.filled, this.cases);
            names.push(column.name);
            columns.push(column.values);
        }
        return { names, columns };
    }
    /** The columns, sorted by name: views of the first `cases` values (no copy: peak memory stays one table). */
    build() {
        const out = {};
        for (const name of [...this.columns.keys()].sort(cmp)) {
            const column = this.columns.get(name);
            column.values.fill(NaN, column.filled, this.cases);
            (0,own/* setOwn */.P)(out, name, column.values.subarray(0, this.cases));
        }
        return out;
    }
    resize(capacity) {
        this.capacity = capacity;
        for (const column of this.columns.values()) {
            const values = new Float64Array(capacity);
            values.set(column.values.subarray(0, column.filled));
            column.values = values;
        }
    }
}
/** cyrb53: a fast 53-bit string hash. */
function hash53(text) {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        h1 = Math.imul(h1 ^ ch, 2654435761);
        h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./src/read/case-thread.ts
/**
 * A second thread for reading large per-case results files: the reader hands it spans of whole lines and it
 * answers each with the span's cases as columns (readOrdinarySpan), or with nothing when a line is not an
 * ordinary case, in which case the reader reads that span itself and reports what it finds. Machines that run
 * the gate have two cores or more; parsing JSON is most of the work, and it is shared this way.
 *
 * The thread runs the bundle's case-worker (dist/case-worker/index.js, built from src/read/case-worker.ts next to
 * the code that starts it). Where there is none (the sources run by the tests), where it cannot start or when it
 * fails, the reader reads the lines on its own thread, with the same answer.
 */



/** Where the bundle puts the worker, next to the code that starts it (both the action's and the CLI's). */
const WORKER_ENTRY = 'case-worker/index.js';
/**
 * A reader of spans on a worker thread, or null when this build has no worker entry (the tests' sources) or when
 * AGENT_GATE_READ_THREADS is 1 (read on one thread; an escape hatch, the answer is the same).
 */
function caseThread(env = process.env) {
    if (env.AGENT_GATE_READ_THREADS === '1')
        return null;
    const entry = new URL(WORKER_ENTRY, import.meta.url);
    if (entry.protocol !== 'file:' || !(0,external_node_fs_.existsSync)((0,external_node_url_.fileURLToPath)(entry)))
        return null;
    try {
        return new WorkerSpanReader(entry);
    }
    catch {
        return null; // threads unavailable here: the reader reads every line itself
    }
}
class WorkerSpanReader {
    worker;
    pending = new Map();
    next = 0;
    failure = null;
    ready = false;
    constructor(entry) {
        this.worker = new external_node_worker_threads_.Worker(entry, { stdout: false, stderr: false });
        // only while spans are out does the thread keep the process alive (a reader that forgot to close it must not
        // hang the gate; one waiting for an answer must not see the process exit under it)
        this.worker.unref();
        this.worker.on('message', (answer) => this.answered(answer));
        this.worker.on('error', (error) => this.fail(error));
        this.worker.on('exit', (code) => this.fail(new Error(`the thread reading results stopped (exit code ${code})`)));
    }
    get busy() {
        return this.pending.size;
    }
    read(lines, maxLineBytes, maxColumns) {
        if (this.failure)
            return Promise.reject(this.failure);
        const id = this.next++;
        // the thread gets a copy it owns (transferred, not cloned again): the lines stay the reader's, to read itself
        // should the thread fail
        const copy = new Uint8Array(lines.length);
        copy.set(lines);
        const request = { id, lines: copy, maxLineBytes, maxColumns };
        const answer = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
        if (this.pending.size === 1)
            this.worker.ref();
        this.worker.postMessage(request, [copy.buffer]);
        return answer;
    }
    async close() {
        this.fail(new Error('the thread reading results was closed'));
        await this.worker.terminate();
    }
    answered(answer) {
        if (answer.id === -1) {
            this.ready = this.failure === null;
            return;
        }
        const waiting = this.pending.get(answer.id);
        if (!waiting)
            return;
        this.pending.delete(answer.id);
        if (this.pending.size === 0)
            this.worker.unref();
        if (answer.error !== undefined)
            waiting.reject(new Error(`reading a span of results failed: ${answer.error}`));
        else
            waiting.resolve(answer.span);
    }
    fail(error) {
        this.failure ??= error;
        this.ready = false;
        for (const { reject } of this.pending.values())
            reject(this.failure);
        this.pending.clear();
        this.worker.unref();
    }
}

// EXTERNAL MODULE: ./src/read/validate.ts + 1 modules
var validate = __webpack_require__(2626);
;// CONCATENATED MODULE: ./src/read/classify.ts

/** Record kinds named by a `kind:` field of their own. */
const KIND_FIELD = {
    change_review_record: 'change_review_record',
    rollout_gate_record: 'rollout_gate_record',
    rollout_assessment: 'rollout_assessment',
    eval_scores: 'eval_scores',
    replay_receipts: 'replay_receipts'
};
const JOCH_API_VERSION = 'joch.dev/v1alpha1';
/** `kind:` values of apiVersion joch.dev/v1alpha1 records. */
const JOCH_KINDS = { Eval: 'eval', Deployment: 'deployment' };
/** Top-level keys of the agent_runtime_ref files (seed 001 §8): the file's only key. */
const WRAPPER_KEYS = { change: 'change', rollout: 'rollout_policy' };
function classify(value) {
    if (!isMapping(value))
        return null;
    if (classify_own(value, 'bomFormat') === 'CycloneDX')
        return 'agbom';
    const apiVersion = classify_own(value, 'apiVersion');
    const kind = classify_own(value, 'kind');
    if (apiVersion !== undefined) {
        return apiVersion === JOCH_API_VERSION && typeof kind === 'string' ? (lookup(JOCH_KINDS, kind) ?? null) : null;
    }
    if (kind !== undefined)
        return typeof kind === 'string' ? (lookup(KIND_FIELD, kind) ?? null) : null;
    const keys = Object.keys(value);
    if (keys.length === 1) {
        const wrapped = lookup(WRAPPER_KEYS, keys[0]);
        if (wrapped)
            return wrapped;
    }
    if (isPromptfooResults(value))
        return 'promptfoo_results';
    return null;
}
/**
 * Why `value` is no known record kind, as one sentence for the user: a misspelt kind (with the nearest known
 * one), an unsupported apiVersion, a `change:`/`rollout:` file with other keys, or what a record looks like.
 * Only meaningful when classify(value) is null.
 */
function describeUnknown(value) {
    if (!isMapping(value)) {
        return `the file holds ${(0,validate/* describeValue */.bp)(value)}, not a mapping; a record is a YAML or JSON mapping (${SHAPES})`;
    }
    const bomFormat = classify_own(value, 'bomFormat');
    if (bomFormat !== undefined && bomFormat !== 'CycloneDX') {
        return `bomFormat ${show(bomFormat)} is not 'CycloneDX'; an AgBOM is a CycloneDX JSON BOM with bomFormat 'CycloneDX'`;
    }
    const apiVersion = classify_own(value, 'apiVersion');
    const kind = classify_own(value, 'kind');
    const jochKinds = Object.keys(JOCH_KINDS);
    if (apiVersion !== undefined) {
        if (apiVersion !== JOCH_API_VERSION) {
            return (`apiVersion ${show(apiVersion)} is not supported: Eval and Deployment records use apiVersion ${JOCH_API_VERSION}` +
                didYouMean(apiVersion, [JOCH_API_VERSION]));
        }
        if (kind === undefined)
            return `a record with apiVersion ${JOCH_API_VERSION} needs kind: Eval or kind: Deployment`;
        if (typeof kind !== 'string')
            return `kind must be a string (Eval or Deployment); got ${(0,validate/* describeValue */.bp)(kind)}`;
        if (lookup(KIND_FIELD, kind)) {
            return `kind '${kind}' records have no apiVersion; remove apiVersion, or use kind: Eval or kind: Deployment`;
        }
        return `kind ${show(kind)} is not a known ${JOCH_API_VERSION} kind (Eval, Deployment)${didYouMean(kind, jochKinds)}`;
    }
    if (kind !== undefined) {
        if (typeof kind !== 'string')
            return `kind must be a string naming the record kind; got ${(0,validate/* describeValue */.bp)(kind)}`;
        if (lookup(JOCH_KINDS, kind))
            return `kind '${kind}' needs apiVersion: ${JOCH_API_VERSION}`;
        const known = Object.keys(KIND_FIELD);
        const near = (0,validate/* nearest */.pA)(kind, [...known, ...jochKinds]);
        if (near === undefined) {
            return `kind ${show(kind)} is not a known record kind; known kinds: ${known.join(', ')}, and Eval/Deployment`;
        }
        const needs = lookup(JOCH_KINDS, near) ? ` (with apiVersion: ${JOCH_API_VERSION})` : '';
        return `kind ${show(kind)} is not a known record kind; did you mean '${near}'${needs}?`;
    }
    const keys = Object.keys(value);
    for (const wrapper of Object.keys(WRAPPER_KEYS)) {
        if (!keys.includes(wrapper))
            continue;
        const others = keys.filter((k) => k !== wrapper);
        const what = wrapper === 'change' ? 'a change record' : 'a rollout policy';
        const apart = others.some((k) => lookup(WRAPPER_KEYS, k))
            ? '; put the change and the rollout policy in files of their own'
            : '';
        return `${what} file has '${wrapper}' as its only top-level key, but this file also has ${others.map(show).join(', ')}${apart}`;
    }
    if (keys.length === 1) {
        const near = (0,validate/* nearest */.pA)(keys[0], Object.keys(WRAPPER_KEYS));
        if (near)
            return `top-level key ${show(keys[0])} is not a record kind; did you mean '${near}'?`;
    }
    if (classify_own(value, 'specVersion') !== undefined &&
        (classify_own(value, 'components') !== undefined || classify_own(value, 'metadata') !== undefined)) {
        return "this looks like a CycloneDX BOM but has no bomFormat: 'CycloneDX'";
    }
    const shown = keys.slice(0, 5).map(show).join(', ') + (keys.length > 5 ? ', …' : '');
    return `no record kind could be identified (top-level keys: ${keys.length === 0 ? 'none' : shown}); ${SHAPES}`;
}
const SHAPES = 'a record has kind: change_review_record, rollout_gate_record, rollout_assessment, eval_scores or replay_receipts; ' +
    `or apiVersion: ${JOCH_API_VERSION} with kind: Eval or Deployment; or a single top-level change: or rollout: mapping; ` +
    "or is a CycloneDX AgBOM (bomFormat: 'CycloneDX') or a promptfoo results file";
/** promptfoo's `eval -o results.json`: { evalId, results: { version, results: [...] }, config, … }. */
function isPromptfooResults(value) {
    const results = classify_own(value, 'results');
    if (!isMapping(results) || !Array.isArray(classify_own(results, 'results')))
        return false;
    return (classify_own(value, 'evalId') !== undefined || classify_own(value, 'config') !== undefined || classify_own(results, 'version') !== undefined);
}
function didYouMean(value, candidates) {
    if (typeof value !== 'string')
        return '';
    const near = (0,validate/* nearest */.pA)(value, candidates);
    return near === undefined ? '' : `; did you mean '${near}'?`;
}
function show(value) {
    return typeof value === 'string' ? (0,validate/* describeValue */.bp)(value, false) : (0,validate/* describeValue */.bp)(value);
}
function lookup(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
function classify_own(value, key) {
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}
function isMapping(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// EXTERNAL MODULE: ./src/settings/defaults.ts
var defaults = __webpack_require__(9563);
// EXTERNAL MODULE: ./src/read/parse.ts
var parse = __webpack_require__(379);
// EXTERNAL MODULE: ./src/read/paths.ts
var read_paths = __webpack_require__(9736);
// EXTERNAL MODULE: ./src/read/source.ts
var read_source = __webpack_require__(2003);
// EXTERNAL MODULE: ./src/read/text.ts
var read_text = __webpack_require__(7689);
;// CONCATENATED MODULE: ./src/read/load.ts
/**
 * Records from a FileSource: select files by the configuration's globs, read them safely, parse,
 * identify each record's kind, check it against its schema, and locate every problem.
 *
 * Nothing here judges a change: a problem is a RecordIssue (the user's files are wrong), never a gate
 * finding, and a failure of the machinery (git crashed) propagates as an exception. The output is the
 * same for the same files whatever order the source lists them in.
 */













/**
 * From 24 MiB (about 150,000 cases of five fields) a second thread saves more than it costs to start and feed: on 2
 * vCPUs, 1M cases take 1.6 s instead of 2.2 s, 200,000 about 6% less, 100,000 about 8% more (docs/performance.md).
 */
const READ_THREADS = { start: caseThread, fromBytes: 24 * 1024 * 1024, minSpanBytes: 32 * 1024 };
/** Files read at the same time (the git source pipelines them through one process). */
const CONCURRENCY = 4;
/** Bytes of a large JSON file looked at to decide whether it is evidence (an AgBOM, promptfoo results). */
const SNIFF_BYTES = 64 * 1024;
const RECORD_FORMATS = {
    '.yaml': 'yaml',
    '.yml': 'yaml',
    '.json': 'json',
    '.jsonl': 'jsonl'
};
/**
 * Files the globs miss only because of their extension's case: globs are case-sensitive, so `review.YAML` is not
 * selected by `*.yaml` and would silently not be judged (a rejected review ignored). Each is an error until it is
 * renamed or excluded: a gate does not guess, and does not look away either.
 */
function missedByCase(entries, isIncluded, isExcluded) {
    const issues = [];
    for (const { path } of entries) {
        const dot = path.lastIndexOf('.');
        if (dot <= path.lastIndexOf('/'))
            continue;
        const extension = path.slice(dot);
        const lower = extension.toLowerCase();
        if (extension === lower || !Object.hasOwn(RECORD_FORMATS, lower))
            continue;
        const renamed = path.slice(0, dot) + lower;
        if (isIncluded(path) || !isIncluded(renamed) || isExcluded(path) || isExcluded(renamed))
            continue;
        issues.push({
            code: 'records.extension-case',
            message: `has the extension "${extension}": records.include selects "${lower}" files (globs are case-sensitive), so it would not be read, and a record in it would not be judged`,
            file: path,
            hint: `rename it to end in "${lower}", or leave it out with records.exclude if it is not a record`
        });
    }
    return issues;
}
/**
 * Symbolic links and submodules the globs would read records under: the source never follows them (a link could
 * lead out of the repository), so a folder of records behind one would silently not be judged. Each is an error
 * until the records are moved into the repository or the link is excluded.
 */
function linkedFolders(entries, isIncluded, isExcluded) {
    const issues = [];
    for (const { path, type } of entries) {
        if ((type !== 'symlink' && type !== 'submodule') || isIncluded(path))
            continue;
        const inside = Object.keys(RECORD_FORMATS).some((extension) => {
            const child = `${path}/record${extension}`;
            return isIncluded(child) && !isExcluded(child);
        });
        if (!inside || isExcluded(path))
            continue;
        const what = type === 'symlink' ? 'a symbolic link' : 'a git submodule';
        issues.push({
            code: 'records.linked-folder',
            message: `is ${what} where records.include selects records below it; the gate does not follow ${type === 'symlink' ? 'links' : 'submodules'}, so records there would not be judged`,
            file: path,
            hint: 'move the records into the repository itself, or leave the path out with records.exclude'
        });
    }
    return issues;
}
async function loadRecordSet(source, config, opts = {}) {
    const side = source.side;
    const configFile = opts.configFile ?? defaults/* DEFAULT_CONFIG_PATH */.Bi;
    const issues = [];
    const limits = config.records;
    const include = usableGlobs(limits.include, '/records/include', configFile, issues);
    const exclude = usableGlobs(limits.exclude, '/records/exclude', configFile, issues);
    const entries = [...(await source.list())].sort((a, b) => load_cmp(a.path, b.path));
    const paths = entries.map((e) => e.path);
    const isIncluded = include.length > 0 ? picomatch_default()(include, { dot: true, windows: false }) : () => false;
    const isExcluded = exclude.length > 0 ? picomatch_default()(exclude, { dot: true, windows: false }) : () => false;
    const selected = entries.filter((e) => isIncluded(e.path) && !isExcluded(e.path));
    for (const issue of missedByCase(entries, isIncluded, isExcluded))
        issues.push(issue);
    for (const issue of linkedFolders(entries, isIncluded, isExcluded))
        issues.push(issue);
    const empty = () => ({
        set: { side, commit: opts.commit ?? null, files: [], records: [], artifacts: {}, paths },
        issues: finish(issues, side)
    });
    if (selected.length > limits.max_files) {
        issues.push({
            code: 'records.too-many',
            message: `the record globs select ${selected.length} files in ${source.description}, more than records.max_files (${limits.max_files}); no record was read`,
            file: configFile,
            pointer: '/records/max_files',
            hint: 'narrow records.include, add records.exclude globs, or raise records.max_files'
        });
        return empty();
    }
    if (selected.length === 0) {
        if (!limits.allow_empty) {
            issues.push({
                code: 'records.none',
                message: `no records found: the globs ${include.length > 0 ? include.join(', ') : '(none)'} matched no file in ${source.description}`,
                file: configFile,
                pointer: '/records/include',
                hint: 'put the records where records.include points, change the globs, or set records.allow_empty: true'
            });
        }
        return empty();
    }
    let thread;
    // once the load is over (a failed one leaves other files' reads running until they notice), no thread starts
    let over = false;
    const threads = opts.threads === undefined ? READ_THREADS : opts.threads;
    const loader = new FileLoader(source, config, threads && {
        ...threads,
        get: () => (over ? null : thread === undefined ? (thread = threads.start()) : thread)
    });
    let done = 0;
    let outcomes;
    try {
        outcomes = await mapPool(selected, CONCURRENCY, async (entry) => {
            const outcome = await loader.load(entry);
            opts.onProgress?.(++done, selected.length);
            return outcome;
        });
    }
    finally {
        over = true;
        await thread?.close();
    }
    const files = [];
    const records = [];
    for (const outcome of outcomes) {
        if (outcome.file)
            files.push(outcome.file);
        if (outcome.record && outcome.issues.length === 0)
            records.push(outcome.record);
        for (const issue of outcome.issues)
            issues.push(issue); // a spread of a million issues would overflow the stack
    }
    const artifacts = await loader.hashArtifacts(records);
    return {
        set: {
            side,
            commit: opts.commit ?? null,
            files: files.sort((a, b) => load_cmp(a.path, b.path)),
            records: records.sort((a, b) => load_cmp(a.source.path, b.source.path)),
            artifacts,
            paths
        },
        issues: finish(issues, side)
    };
}
/** The gate configuration file, read under the same safety and parsing rules as records. */
async function readConfigFile(source, path) {
    const side = source.side;
    const invalid = (list) => ({ status: 'invalid', issues: finish(list, side) });
    const problem = (0,read_paths/* checkRepoPath */.Q1)(path);
    if (problem) {
        return invalid([
            { code: 'file.bad-path', message: `the configuration path is not valid: ${problem}`, file: (0,parse/* excerpt */.Kb)(path, 200) }
        ]);
    }
    let bytes;
    try {
        if ((await source.stat(path)) === null)
            return { status: 'absent' };
        bytes = await source.read(path, defaults/* DEFAULT_CONFIG */.PV.records.max_file_bytes);
    }
    catch (error) {
        if (error instanceof read_source/* SourceError */.c && error.code === 'file.missing')
            return { status: 'absent' };
        if (error instanceof read_source/* SourceError */.c)
            return invalid([sourceIssue(error, path)]);
        throw error;
    }
    const text = decodeText(bytes, path);
    if (!text.ok)
        return invalid(text.issues);
    const parsed = (0,parse/* parseDocument */.Tp)(text.text, path, path.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
    if (!parsed.ok)
        return invalid(parsed.issues);
    return { status: 'ok', value: parsed.value, file: sourceFile(path, side, bytes), locate: parsed.locate };
}
class FileLoader {
    source;
    threads;
    side;
    limits;
    promptfooMaps;
    constructor(source, config, 
    /** another thread for spans of large per-case results files (see LoadOptions.threads) */
    threads = null) {
        this.source = source;
        this.threads = threads;
        this.side = source.side;
        this.limits = config.records;
        this.promptfooMaps = config.evals.promptfoo
            .filter((m) => (0,read_paths/* checkGlob */.pY)(m.path) === null)
            .map((m) => ({ matches: picomatch_default()(stripDotSlash(m.path), { dot: true, windows: false }), eval: m.eval }));
    }
    async load(entry) {
        const path = entry.path;
        if (entry.type !== 'file') {
            // a link, submodule or special file: the source refuses it and says why, whatever its name
            try {
                await this.source.read(path, this.limits.max_file_bytes);
            }
            catch (error) {
                if (error instanceof read_source/* SourceError */.c)
                    return { issues: [sourceIssue(error, path)] };
                throw error;
            }
        }
        const dot = path.lastIndexOf('.');
        const format = dot > path.lastIndexOf('/') ? RECORD_FORMATS[path.slice(dot).toLowerCase()] : undefined;
        if (!format) {
            return {
                issues: [
                    {
                        code: 'records.unsupported-file',
                        message: 'is selected by records.include but is not a record file (.yaml, .yml, .json or .jsonl)',
                        file: path,
                        hint: 'exclude it with records.exclude or narrow records.include'
                    }
                ]
            };
        }
        try {
            if (format === 'jsonl')
                return await this.loadJsonLines(entry);
            const bytes = format === 'json' ? await this.readJson(entry) : await this.source.read(path, this.limits.max_file_bytes);
            return await this.loadDocument(path, format, bytes);
        }
        catch (error) {
            if (error instanceof read_source/* SourceError */.c)
                return { issues: [sourceIssue(error, path)] };
            throw error;
        }
    }
    /**
     * A JSON file may be up to max_evidence_bytes when it is evidence (a CycloneDX AgBOM or promptfoo
     * results, told by a mapping or by its first bytes), up to max_file_bytes otherwise.
     */
    async readJson(entry) {
        const { max_file_bytes: small, max_evidence_bytes: large } = this.limits;
        const path = entry.path;
        if (entry.size !== null && entry.size <= small)
            return this.source.read(path, small);
        const cap = Math.max(small, large);
        if (this.promptfooMaps.some((m) => m.matches(path)))
            return this.source.read(path, cap);
        // read up to the small limit; only a file that then looks like evidence is read in full, in one go
        const chunks = [];
        let total = 0;
        for await (const chunk of this.source.stream(path, cap)) {
            chunks.push(chunk);
            total += chunk.length;
            if (total > small)
                break;
        }
        if (total <= small)
            return Buffer.concat(chunks, total);
        const tooLarge = () => new read_source/* SourceError */.c('file.too-large', path, `${path} is more than records.max_file_bytes (${small} bytes); only CycloneDX AgBOMs and promptfoo results may be larger (up to records.max_evidence_bytes); it is not read`);
        if (!looksLikeEvidence(Buffer.concat(chunks).subarray(0, SNIFF_BYTES)))
            throw tooLarge();
        const bytes = await this.source.read(path, cap);
        // the file may have changed between the two reads: what is parsed must be what was sniffed as evidence
        if (bytes.length > small && !looksLikeEvidence(bytes.subarray(0, SNIFF_BYTES)))
            throw tooLarge();
        return bytes;
    }
    async loadDocument(path, format, bytes) {
        const file = sourceFile(path, this.side, bytes);
        const text = decodeText(bytes, path);
        if (!text.ok)
            return { file, issues: text.issues };
        const parsed = (0,parse/* parseDocument */.Tp)(text.text, path, format);
        if (!parsed.ok)
            return { file, issues: parsed.issues };
        const { value } = parsed;
        const kind = classify(value);
        if (kind === null)
            return { file, issues: [unknownKind(path, value, parsed)] };
        const schemaIssues = await (0,validate/* validateRecord */.eV)(kind, value);
        const issues = schemaIssues.map((s) => located(s, path, parsed, value, format));
        if (issues.length > 0)
            return { file, issues };
        if (kind === 'promptfoo_results')
            return this.promptfoo(file, value, parsed);
        const record = { kind, source: file, data: value, locate: parsed.locate };
        return { file, record, issues: [] };
    }
    promptfoo(file, value, parsed) {
        const mapping = this.promptfooMaps.find((m) => m.matches(file.path));
        if (!mapping) {
            return {
                file,
                issues: [
                    {
                        code: 'promptfoo.unmapped',
                        message: 'is a promptfoo results file, but no Eval is mapped to it',
                        file: file.path,
                        line: 1,
                        column: 1,
                        pointer: '',
                        hint: `add it to ${defaults/* DEFAULT_CONFIG_PATH */.Bi}: evals: { promptfoo: [{ path: "${file.path}", eval: "<the Eval's metadata.name>" }] }`
                    }
                ]
            };
        }
        const table = promptfooTable(value, mapping.eval);
        if ('tooManyMetrics' in table) {
            const pointer = table.tooManyMetrics;
            return {
                file,
                issues: [
                    {
                        code: 'promptfoo.too-many-metrics',
                        message: `names more than ${MAX_METRIC_COLUMNS} different scores (this result brings the total past it); the file is not read`,
                        file: file.path,
                        ...(parsed.locate(pointer) ?? { line: 1, column: 1 }),
                        pointer,
                        hint: 'a results file records the same few scores for every result; put other per-result data elsewhere'
                    }
                ]
            };
        }
        if ('tooManyValues' in table) {
            const pointer = table.tooManyValues;
            return {
                file,
                issues: [
                    {
                        code: 'promptfoo.too-many-values',
                        message: `${tooManyValues(table.columns, table.cases, 'scores', 'results', 'this result')}; the file is not read`,
                        file: file.path,
                        ...(parsed.locate(pointer) ?? { line: 1, column: 1 }),
                        pointer,
                        hint: TOO_MANY_VALUES_HINT
                    }
                ]
            };
        }
        if (table.cases === 0) {
            return {
                file,
                issues: [
                    {
                        code: 'promptfoo.empty',
                        message: 'is a promptfoo results file without results',
                        file: file.path,
                        pointer: '/results'
                    }
                ]
            };
        }
        return { file, record: { kind: 'eval_cases', source: file, data: table, locate: parsed.locate }, issues: [] };
    }
    /**
     * Per-case results, streamed line by line: memory holds one chunk, the columns and 14 bytes a case for the
     * duplicate check, never the file. Ids that may repeat are compared after the read, from their lines read
     * again. An issue about a line names its line number and the pointer `/<line index>/…` (0-based; the line may
     * hold no case). The table's locate takes `/<row>/…`, a case's row in the columns, and finds that case's line:
     * blank lines are skipped, so the two differ after the first blank line.
     */
    async loadJsonLines(entry) {
        const path = entry.path;
        const cap = Math.max(this.limits.max_file_bytes, this.limits.max_evidence_bytes);
        const maxLine = this.limits.max_file_bytes;
        // the size only sizes the tables (a wrong or missing one costs time, never a result); reading checks the file
        const size = entry.size ?? (await this.source.stat(path).catch(() => null))?.size ?? null;
        const reader = new JsonLinesReader(path, this.side, maxLine, size, this.threads);
        for await (const chunk of this.source.stream(path, cap))
            await reader.push(chunk);
        await reader.finish();
        const compare = reader.casesToCompare();
        if (compare.length > 0) {
            const texts = await linesOf(this.source, path, cap, compare);
            if (texts)
                reader.repeatedCases(texts);
            else
                reader.changedWhileRead();
        }
        return reader.end();
    }
    /** Digests of every C2PA manifest the replay receipts reference (read under the same rules). */
    async hashArtifacts(records) {
        const wanted = new Set();
        for (const r of records) {
            if (r.kind !== 'replay_receipts')
                continue;
            // steps share manifests: each distinct reference of a file is resolved once
            const seen = new Set();
            for (const reference of manifestReferences(r.data)) {
                if (seen.has(reference))
                    continue;
                seen.add(reference);
                const resolved = (0,read_paths/* resolveReference */.sX)(r.source.path, reference);
                if (resolved.ok)
                    wanted.add(resolved.path);
            }
        }
        const paths = [...wanted].sort(load_cmp);
        const digests = await mapPool(paths, CONCURRENCY, async (path, index) => {
            if (index >= this.limits.max_files) {
                return {
                    status: 'rejected',
                    reason: `the receipts reference more than records.max_files (${this.limits.max_files}) files`
                };
            }
            return this.digest(path);
        });
        const artifacts = {};
        paths.forEach((path, i) => (0,own/* setOwn */.P)(artifacts, path, digests[i]));
        return artifacts;
    }
    async digest(path) {
        try {
            const hash = (0,external_node_crypto_.createHash)('sha256');
            let bytes = 0;
            for await (const chunk of this.source.stream(path, Math.max(this.limits.max_file_bytes, this.limits.max_evidence_bytes))) {
                hash.update(chunk);
                bytes += chunk.length;
            }
            return { status: 'ok', sha256: hash.digest('hex'), bytes };
        }
        catch (error) {
            if (!(error instanceof read_source/* SourceError */.c))
                throw error;
            return { status: error.code === 'file.missing' ? 'missing' : 'rejected', reason: error.message };
        }
    }
}
function* manifestReferences(receipts) {
    const runs = receipts.runs;
    if (!Array.isArray(runs))
        return;
    for (const run of runs) {
        for (const trace of [run?.live, run?.replay]) {
            if (!trace || !Array.isArray(trace.steps))
                continue;
            for (const step of trace.steps) {
                const path = step?.c2pa_manifest?.path;
                if (typeof path === 'string')
                    yield path;
            }
        }
    }
}
// ---------------------------------------------------------------------------------------------------
// JSON Lines → EvalCaseTable
class JsonLinesReader {
    path;
    side;
    maxLineBytes;
    size;
    threads;
    issues = [];
    /** set when the file is not text at all, or names too many metrics: an issue says so, and nothing more is read */
    stopped = false;
    hash = (0,external_node_crypto_.createHash)('sha256');
    bytes = 0;
    // What push() keeps between chunks, as the bytes arrive:
    /** the current line: its bytes so far (kept unless it is over-long) and its length */
    partial = [];
    partialBytes = 0;
    lineBytes = 0;
    /** skipping the rest of an over-long line */
    skipping = false;
    /** whether the first line has ended (it is read the careful way: a byte order mark, its encoding) */
    firstLineDone = false;
    // What reading lines into the table changes, in the file's order (see `queue`):
    line = 0;
    /** byte offset of the next line in the file */
    lineStart = 0;
    evalName = null;
    evalLine = 0;
    caseIds = new CaseIds();
    table = new CaseTableBuilder(CASE_TABLE_LIMITS);
    caseLines = new CaseLines();
    /**
     * Lines waiting to be read into the table, in the file's order: work for this thread, and spans another thread
     * is reading (see pushSpan). Empty unless another thread reads.
     */
    queue = [];
    constructor(path, side, maxLineBytes, 
    /** the file's size, when the source knows it: the tables are sized for it once the first lines are read */
    size = null, 
    /** another thread to read spans of lines, asked for once the file is large enough (null: none) */
    threads = null) {
        this.path = path;
        this.side = side;
        this.maxLineBytes = maxLineBytes;
        this.size = size;
        this.threads = threads;
    }
    /** The next chunk of the file. A promise when the lines queued must be read before more are taken. */
    push(chunk) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        if (this.stopped)
            return undefined; // still hashed: the file's digest covers all of it
        let start = 0;
        // the end of a line begun in an earlier chunk, and the first line: taken off line by line
        const boundary = this.lineBytes > 0 || !this.firstLineDone;
        if (boundary) {
            const newline = chunk.indexOf(0x0a);
            if (newline < 0) {
                this.collect(chunk);
                return undefined;
            }
            start = newline + 1;
        }
        const last = chunk.lastIndexOf(0x0a);
        if (boundary) {
            this.collect(chunk.subarray(0, start - 1));
            this.firstLineDone = true;
            const { bytes, length } = this.takeLine();
            this.run(() => this.lineRead(bytes, length));
        }
        if (last >= start) {
            const spans = this.spanReader(last + 1 - start);
            if (spans)
                this.pushSpan(spans, chunk.subarray(start, last + 1));
            else {
                const from = start;
                this.run(() => this.completeLines(chunk, from, last));
            }
            start = last + 1;
        }
        this.collect(chunk.subarray(start));
        return this.queue.length > MAX_QUEUED ? this.drainOne() : undefined;
    }
    /**
     * The reader of spans on another thread, for a span this long in a large file (its size said so, or the bytes read
     * so far); null otherwise. Started as soon as the file is known to be large, so that it is ready sooner.
     */
    spanReader(spanBytes) {
        const threads = this.threads;
        if (threads === null || Math.max(this.size ?? 0, this.bytes) < threads.fromBytes)
            return null;
        this.spans ??= threads.get() ?? NO_SPANS;
        return this.spans === NO_SPANS || spanBytes < threads.minSpanBytes ? null : this.spans;
    }
    spans;
    /**
     * Whole lines (ending in '\n') for the table. While the other thread has spans to spare it reads this one too;
     * otherwise this thread does: straight into the table when nothing is queued before them, else into a span of
     * its own, queued. Either way the table receives the lines in the file's order.
     */
    pushSpan(spans, lines) {
        if (spans.ready && spans.busy < SPANS_IN_FLIGHT) {
            const job = { kind: 'span', done: false, span: null, lines, failed: false, reading: null };
            job.reading = spans.read(lines, this.maxLineBytes, MAX_METRIC_COLUMNS).then((span) => {
                job.done = true;
                job.span = span;
            }, () => {
                job.done = true;
                job.failed = true;
            });
            this.queue.push(job);
        }
        else if (this.queue.length === 0) {
            this.run(() => this.completeLines(lines, 0, lines.length - 1));
        }
        else {
            const span = readOrdinarySpan(lines, this.maxLineBytes, MAX_METRIC_COLUMNS);
            this.queue.push({ kind: 'span', done: true, span, lines, failed: false, reading: null });
        }
        this.drain();
    }
    /** Work on the table: now, when nothing waits before it; queued otherwise. */
    run(work) {
        if (this.queue.length === 0) {
            if (!this.stopped)
                work();
            this.sized();
        }
        else
            this.queue.push({ kind: 'work', work });
    }
    /** Does the queued work that is ready, in order, up to the first span still being read. */
    drain() {
        while (this.queue.length > 0) {
            const next = this.queue[0];
            if (next.kind === 'span' && !next.done)
                return;
            this.queue.shift();
            if (next.kind === 'work') {
                if (!this.stopped)
                    next.work();
            }
            else {
                // the other thread failed (it stopped, or could not start): its spans, and the rest, are read here
                if (next.failed)
                    this.spans = NO_SPANS;
                if (!this.stopped)
                    this.mergeSpan(next.span, next.lines);
            }
            this.sized();
        }
    }
    /** Waits for the first span being read, then does what is ready. */
    async drainOne() {
        const first = this.queue.find((q) => q.kind === 'span' && !q.done);
        if (first)
            await first.reading;
        this.drain();
    }
    /**
     * A span read on either thread, into the table: as if its lines had been read here one by one. A span the other
     * thread could not read as ordinary cases (null), or one that would need an issue here (another eval than the
     * file's, too many metrics), is read here line by line instead, which reports what it finds.
     */
    mergeSpan(span, lines) {
        const columns = this.table.columnCount + (span === null ? 0 : this.table.newNames(span.names));
        if (span === null ||
            (this.evalName !== null && span.evalName !== this.evalName) ||
            columns > MAX_METRIC_COLUMNS ||
            columns * (this.table.cases + span.cases) > MAX_CASE_VALUES) {
            this.completeLines(lines, 0, lines.length - 1);
            return;
        }
        const first = this.line + 1;
        if (this.evalName === null) {
            this.evalName = span.evalName;
            this.evalLine = first;
        }
        for (let i = 0; i < span.cases; i++) {
            this.caseIds.addHashed(span.idHashes[i], span.idLengths[i], first + i);
            this.caseLines.add(first + i);
        }
        this.table.append(span);
        this.line += span.cases;
        this.lineStart += lines.length;
    }
    /** Once enough lines are read, sizes the tables for the whole file (once). */
    sized() {
        if (!this.reserved && this.size !== null && this.line >= SIZING_LINES)
            this.reserve(this.size);
    }
    reserved = false;
    /**
     * Sizes the tables for the whole file from the lines read so far, so they are allocated once instead of
     * grown by doubling (every doubling copies, and fresh memory costs page faults). Memory never written is
     * never resident, so a high guess costs little; a low one falls back to doubling.
     */
    reserve(fileBytes) {
        this.reserved = true;
        const cases = Math.ceil((fileBytes / this.lineStart) * this.line * 1.05);
        if (!Number.isFinite(cases))
            return;
        const bounded = Math.min(cases, Math.ceil(fileBytes / MIN_CASE_BYTES));
        this.table.reserve(bounded);
        this.caseIds.reserve(bounded);
        this.caseLines.reserve(bounded);
    }
    /** Reads what is queued and the last line (when the file does not end with a newline). */
    async finish() {
        while (this.queue.length > 0)
            await this.drainOne();
        if (!this.stopped && this.lineBytes > 0) {
            const { bytes, length } = this.takeLine();
            this.lineRead(bytes, length);
        }
    }
    end() {
        const file = { path: this.path, side: this.side, sha256: this.hash.digest('hex'), bytes: this.bytes };
        if (this.stopped || this.issues.length > 0)
            return { file, issues: this.issues };
        if (this.evalName === null) {
            return {
                file,
                issues: [
                    {
                        code: 'eval-cases.empty',
                        message: 'is a per-case results file without any case',
                        file: this.path,
                        line: 1,
                        column: 1
                    }
                ]
            };
        }
        const data = {
            kind: 'eval_cases',
            eval: this.evalName,
            format: 'jsonl',
            cases: this.table.cases,
            columns: this.table.build()
        };
        return { file, record: { kind: 'eval_cases', source: file, data, locate: locateCase(this.caseLines) }, issues: [] };
    }
    /**
     * The whole lines of a chunk, chunk[from..last] (last is a '\n'). When that span holds no NUL byte and is
     * valid UTF-8 (checked once, natively, for all its lines), each line is decoded straight from the chunk:
     * no copy, no per-line checks. Otherwise each line goes the careful way, which stops at the first bad one.
     */
    completeLines(chunk, from, last) {
        const span = chunk.subarray(from, last);
        const clean = span.indexOf(0) < 0 && (0,external_node_buffer_.isUtf8)(span);
        // ASCII text (the common case, checked once for all the lines): a line without an escape has only printable
        // characters in its strings (JSON forbids raw control characters there), which spares the schema's id checks
        const ascii = clean && (0,external_node_buffer_.isAscii)(span);
        let start = from;
        while (start <= last) {
            const newline = chunk.indexOf(0x0a, start);
            const length = newline - start;
            if (!clean || length > this.maxLineBytes) {
                this.lineRead(length > this.maxLineBytes ? null : chunk.subarray(start, newline), length);
                if (this.stopped)
                    return;
            }
            else {
                this.line++;
                this.lineStart += length + 1;
                const end = length > 0 && chunk[newline - 1] === 0x0d ? newline - 1 : newline;
                this.caseLine(chunk.toString(ascii ? 'latin1' : 'utf8', start, end), this.line, ascii);
                if (this.stopped)
                    return;
            }
            start = newline + 1;
        }
    }
    collect(piece) {
        this.lineBytes += piece.length;
        if (this.skipping || piece.length === 0)
            return;
        if (this.partialBytes + piece.length > this.maxLineBytes) {
            this.skipping = true;
            this.partial = [];
            this.partialBytes = 0;
            return;
        }
        this.partial.push(piece);
        this.partialBytes += piece.length;
    }
    /** The line collected so far, taken off: its bytes (null when it was too long) and its length. */
    takeLine() {
        const bytes = this.skipping
            ? null
            : this.partial.length === 1
                ? this.partial[0]
                : Buffer.concat(this.partial, this.partialBytes);
        const length = this.lineBytes;
        this.lineBytes = 0;
        this.partial = [];
        this.partialBytes = 0;
        this.skipping = false;
        return { bytes, length };
    }
    /** The next line of the file, read the careful way: its bytes (null: longer than allowed) and its length. */
    lineRead(bytes, length) {
        this.line++;
        const lineNo = this.line;
        const offset = this.lineStart;
        this.lineStart += length + 1;
        if (bytes === null) {
            this.issue({
                code: 'eval-cases.line-too-long',
                message: `line ${lineNo} is longer than records.max_file_bytes (${this.maxLineBytes} bytes); one line holds one case`,
                line: lineNo,
                column: 1,
                pointer: `/${lineNo - 1}`
            });
            return;
        }
        const decoded = (0,read_text/* decodeUtf8 */._6)(bytes, this.path, { baseOffset: offset, baseLine: lineNo, atStart: lineNo === 1 });
        if (!decoded.ok) {
            for (const issue of decoded.issues)
                this.issues.push(issue);
            this.stopped = true;
            return;
        }
        this.caseLine(decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text, lineNo);
    }
    /**
     * One line's text (`ascii`: its bytes were ASCII). Most lines take JSON.parse alone and one walk of the value
     * (ordinaryCaseMembers, then plainJson's check); other lines the whole of plainJson's check and the schema; a
     * line with a problem is read again the careful way (parseDocument), which locates every issue.
     */
    caseLine(text, lineNo, ascii = false) {
        if (isBlankLine(text))
            return;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch {
            value = parse/* NOT_PLAIN */.HV;
        }
        if (value !== parse/* NOT_PLAIN */.HV) {
            const printable = ascii && text.indexOf('\\') < 0;
            // the common line: one walk answers both "is it plain JSON" and "is it an ordinary case"
            const members = printable ? (0,validate/* ordinaryCaseMembers */.mR)(value, true) : -1;
            const plain = members >= 0 && (0,parse/* unescapedPlain */.XH)(text, members) ? value : (0,parse/* plainValue */._y)(text, value);
            if (plain !== parse/* NOT_PLAIN */.HV && (members >= 0 || (0,validate/* validateEvalCaseLine */.F1)(plain, printable).length === 0)) {
                this.addCase(plain, lineNo, () => (0,parse/* parseDocument */.Tp)(text, this.path, 'json'));
                return;
            }
        }
        const pointer = `/${lineNo - 1}`;
        const parsed = (0,parse/* parseDocument */.Tp)(text, this.path, 'json');
        if (!parsed.ok) {
            for (const i of parsed.issues)
                this.issues.push({ ...i, line: lineNo, pointer: `${pointer}${i.pointer ?? ''}` });
            return;
        }
        const schemaIssues = (0,validate/* validateEvalCaseLine */.F1)(parsed.value);
        if (schemaIssues.length > 0) {
            for (const s of schemaIssues) {
                const issue = located(s, this.path, parsed, parsed.value, 'json');
                this.issues.push({ ...issue, line: lineNo, pointer: `${pointer}${s.pointer}` });
            }
            return;
        }
        this.addCase(parsed.value, lineNo, () => parsed);
    }
    /** A valid case: one eval per file, each case_id once, then its values into the columns. */
    addCase(c, lineNo, parsed) {
        if (this.evalName === null) {
            this.evalName = c.eval;
            this.evalLine = lineNo;
        }
        else if (c.eval !== this.evalName) {
            this.issue({
                code: 'eval-cases.mixed-evals',
                message: `names the eval "${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(c.eval, 'eval'))}" but line ${this.evalLine} names "${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(this.evalName, 'eval'))}"; one file holds the cases of one eval`,
                line: lineNo,
                ...columnOf(parsed(), '/eval'),
                pointer: `/${lineNo - 1}/eval`,
                hint: 'split the cases into one file per eval'
            });
            return;
        }
        this.caseIds.add(c.case_id, lineNo);
        this.caseLines.add(lineNo);
        const table = this.table;
        const fit = setCaseValues(table, c);
        if (fit === 'columns') {
            this.issue({
                code: 'eval-cases.too-many-metrics',
                message: `names more than ${MAX_METRIC_COLUMNS} different metrics (this line brings the total to ${table.columnsWith}); the file is not read further`,
                line: lineNo,
                ...columnOf(parsed(), '/metrics'),
                pointer: `/${lineNo - 1}/metrics`,
                hint: 'a results file records the same few metrics for every case; put other per-case data elsewhere'
            });
            this.stopped = true;
        }
        else if (fit === 'values') {
            this.issue({
                code: 'eval-cases.too-many-values',
                message: `${tooManyValues(table.columnsWith, table.cases + 1, 'metrics', 'cases', 'this line')}; the file is not read further`,
                line: lineNo,
                column: 1,
                pointer: `/${lineNo - 1}`,
                hint: TOO_MANY_VALUES_HINT
            });
            this.stopped = true;
        }
    }
    /** Lines whose case id another case may repeat (see CaseIds): read them again and pass them to repeatedCases. */
    casesToCompare() {
        return this.stopped ? [] : this.caseIds.sharedHashLines();
    }
    /**
     * Reports each case that repeats an earlier case_id, given the texts of the lines casesToCompare named. A file
     * that no longer holds what was read (it changed while being read) is reported instead.
     */
    repeatedCases(texts) {
        const ids = new Map();
        const parsed = new Map();
        for (const [line, text] of texts) {
            const result = (0,parse/* parseDocument */.Tp)(text, this.path, 'json');
            const id = result.ok ? result.value?.case_id : undefined;
            if (typeof id !== 'string')
                return this.changedWhileRead();
            ids.set(line, id);
            parsed.set(line, result);
        }
        const repeats = this.caseIds.repeats(ids);
        if (repeats === null || ids.size !== texts.size)
            return this.changedWhileRead();
        for (const { line, id, first } of repeats) {
            this.issue({
                code: 'eval-cases.duplicate-case',
                message: `repeats the case_id "${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(id, 'case_id'))}" (first at line ${first})`,
                line,
                ...columnOf(parsed.get(line), '/case_id'),
                pointer: `/${line - 1}/case_id`,
                hint: 'each case appears once per results file'
            });
        }
    }
    changedWhileRead() {
        this.issue({ code: 'file.unreadable', message: `${this.path} changed while it was being read; it is not read` });
        this.stopped = true;
    }
    issue(issue) {
        this.issues.push({ file: this.path, ...issue });
    }
}
/**
 * The texts of some lines of a file (1-based, ascending), read again from the source and decoded as the
 * reader decoded them; null when the file no longer has them.
 */
async function linesOf(source, path, cap, wanted) {
    const texts = new Map();
    let next = 0;
    let line = 1;
    let partial = [];
    const take = (bytes) => {
        const decoded = (0,read_text/* decodeUtf8 */._6)(bytes, path, { atStart: line === 1 });
        if (!decoded.ok)
            return false;
        texts.set(line, decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text);
        next++;
        return true;
    };
    for await (const chunk of source.stream(path, cap)) {
        let start = 0;
        for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
            if (line === wanted[next]) {
                partial.push(chunk.subarray(start, newline));
                if (!take(Buffer.concat(partial)))
                    return null;
                if (next === wanted.length)
                    return texts;
            }
            partial = [];
            line++;
            start = newline + 1;
        }
        if (line === wanted[next])
            partial.push(Buffer.from(chunk.subarray(start)));
    }
    if (line === wanted[next] && !take(Buffer.concat(partial)))
        return null;
    return next === wanted.length ? texts : null;
}
/**
 * Different metric names (columns) a results file may use. Every column holds a value per case, so a file that names
 * a new metric on each line would take columns × cases of memory (20,000 names in a 3 MB file: 3 GB).
 */
const MAX_METRIC_COLUMNS = 512;
/** Spans the other thread holds at once; when it holds this many, this thread reads the next one itself. */
const SPANS_IN_FLIGHT = 2;
/** Work queued before the reader waits for the other thread (each entry holds a chunk or a span's columns). */
const MAX_QUEUED = 16;
/** The file was large enough, but no other thread can read. */
const NO_SPANS = Symbol('no span reader');
/**
 * Values the columns of one results file may hold (1 GiB of them): every metric keeps a value for every case, NaN
 * where a case has none, so a file whose cases name many different metrics (each a few) takes metrics × cases of
 * memory: 512 metrics over 2 million cases would be 8 GiB.
 */
const MAX_CASE_VALUES = 128 * 1024 * 1024;
/** The limits of a results file's table: a case past either is refused before its columns are made. */
const CASE_TABLE_LIMITS = { maxColumns: MAX_METRIC_COLUMNS, maxValues: MAX_CASE_VALUES };
const TOO_MANY_VALUES_HINT = 'every metric keeps a value for every case: keep the metrics a results file records to the few its Evals read, or split the cases over several evals';
/** The message of a results file whose columns would outgrow MAX_CASE_VALUES. */
function tooManyValues(columns, cases, metrics, rows, here) {
    return `would keep more than ${MAX_CASE_VALUES.toLocaleString('en-US')} values (${columns} ${metrics} × ${cases.toLocaleString('en-US')} ${rows} by ${here})`;
}
/** Lines read before the tables are sized for the file. */
const SIZING_LINES = 64;
/** The shortest line that holds a case: {"eval":"e","case_id":"c","metrics":{}} */
const MIN_CASE_BYTES = 38;
/**
 * JSON Lines records locate `/<row>/…` at the start of the line of the case in that row of the columns (no position
 * for a row the table does not have), and any other pointer at the start of the file.
 */
/**
 * A line of JSON whitespace only (space, tab, carriage return) is skipped. Anything else, a no-break space or a
 * line separator too, is not JSON whitespace: such a line is read, and rejected with its location, never skipped.
 */
function isBlankLine(text) {
    const first = text.charCodeAt(0);
    // almost every line starts with `{`: decided by its first character
    if (text.length > 0 && first !== 0x20 && first !== 0x09 && first !== 0x0d)
        return false;
    return /^[ \t\r]*$/.test(text);
}
function locateCase(lines) {
    return (pointer) => {
        const m = /^\/(\d+)(?:\/|$)/.exec(pointer);
        if (!m)
            return { line: 1, column: 1 };
        const row = Number(m[1]);
        return row < lines.cases ? { line: lines.lineOf(row), column: 1 } : undefined;
    };
}
/**
 * The line of each case, by its row in the columns. Row r is on line r + 1 until a blank line shifts the numbering,
 * so only the rows where the shift changes are kept, with the new shift (8 bytes each; nothing in a file without
 * blank lines). When those would take more room than a line per row (blank lines between most cases), every row's
 * line is kept instead, in an Int32Array grown like the columns (4 bytes a case).
 */
class CaseLines {
    /** shifts kept before the lines of every row are considered instead */
    static SPARSE_MIN = 256;
    /** the rows added so far */
    cases = 0;
    /** the rows from which a shift applies, ascending, and that shift (line - row) */
    rows = new Int32Array(16);
    shifts = new Int32Array(16);
    count = 0;
    shift = 1;
    /** every row's line, once the shifts are too many (null until then) */
    lines = null;
    reserved = 0;
    /** The line of the next row (lines ascend). */
    add(line) {
        const row = this.cases;
        if (!this.lines) {
            const shift = line - row;
            if (shift !== this.shift)
                this.shifted(row, shift);
        }
        if (this.lines) {
            if (row === this.lines.length)
                this.dense(row * 2);
            this.lines[row] = line;
        }
        this.cases = row + 1;
    }
    /** Room for this many rows without growing, should every row's line be kept. */
    reserve(cases) {
        this.reserved = Math.max(this.reserved, cases);
        if (this.lines && cases > this.lines.length)
            this.dense(cases);
    }
    /** The line of a row below `cases`. */
    lineOf(row) {
        if (this.lines)
            return this.lines[row];
        // the last shift that starts at or before the row
        let lo = 0;
        let hi = this.count;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.rows[mid] <= row)
                lo = mid + 1;
            else
                hi = mid;
        }
        return row + (lo === 0 ? 1 : this.shifts[lo - 1]);
    }
    /** A new shift from this row on: kept, or, past SPARSE_MIN shifts for fewer than twice as many rows, every line. */
    shifted(row, shift) {
        this.shift = shift;
        if (this.count === this.rows.length) {
            if (this.count >= CaseLines.SPARSE_MIN && this.count * 2 > row)
                return this.dense(Math.max(this.reserved, row * 2));
            this.rows = grown(this.rows, this.count * 2, this.count);
            this.shifts = grown(this.shifts, this.count * 2, this.count);
        }
        this.rows[this.count] = row;
        this.shifts[this.count++] = shift;
    }
    /** The line of every row added so far, in an array of this capacity (written out from the shifts, at first). */
    dense(capacity) {
        if (this.lines) {
            this.lines = grown(this.lines, capacity, this.cases);
            return;
        }
        const lines = new Int32Array(capacity);
        let shift = 1;
        for (let row = 0, next = 0; row < this.cases; row++) {
            if (next < this.count && this.rows[next] === row)
                shift = this.shifts[next++];
            lines[row] = row + shift;
        }
        this.lines = lines;
        this.rows = this.shifts = new Int32Array(0);
        this.count = 0;
    }
}
/** A copy of the first `used` values in a larger array. */
function grown(values, capacity, used) {
    const out = new Int32Array(capacity);
    out.set(values.subarray(0, used));
    return out;
}
function columnOf(parsed, pointer) {
    const pos = parsed.ok ? parsed.locate(pointer) : undefined;
    return pos ? { column: pos.column } : {};
}
/**
 * The duplicate check of case ids, done once the file is read: each valid case's id is kept as its 53-bit hash,
 * its length and its line, in order (14 bytes a case, written in sequence); sorting a copy of the hashes finds
 * the ids that share one, and only those are compared by text, read again from the file (a repeated case, or a
 * hash collision: rare). The answer is the one a running comparison of every id with all before it gives:
 * exact while the ids seen add up to at most EXACT_BUDGET_CHARS characters, by hash alone past that (at odds
 * of about 1 in 18,000 of a false duplicate per million cases), as the reader has always promised.
 */
class CaseIds {
    static EXACT_BUDGET_CHARS = 16 * 1024 * 1024;
    count = 0;
    hashes = new Float64Array(1024);
    lengths = new Uint16Array(1024);
    lines = new Int32Array(1024);
    add(id, line) {
        this.addHashed(hash53(id), id.length, line);
    }
    /** An id hashed elsewhere (by hash53), its length and its line. */
    addHashed(hash, length, line) {
        if (this.count === this.lines.length)
            this.resize(this.count * 2);
        this.hashes[this.count] = hash;
        this.lengths[this.count] = length;
        this.lines[this.count++] = line;
    }
    /** Room for this many cases without growing. */
    reserve(cases) {
        if (cases > this.lines.length)
            this.resize(cases);
    }
    /**
     * The lines of the cases whose hash another case shares, ascending (none in a file without repeats). An
     * open-addressing table of case numbers keyed by hash (half the time of sorting a copy of a million hashes, and
     * 4 bytes a slot): a case whose hash is taken marks itself and the case holding the slot.
     */
    sharedHashLines() {
        const count = this.count;
        const hashes = this.hashes;
        let size = 1024;
        while (size < count * 2)
            size *= 2;
        const mask = size - 1;
        // case number + 1 per slot (0: free); the low 32 bits of cyrb53 are well mixed
        const table = new Int32Array(size);
        const shared = new Uint8Array(count);
        let any = false;
        for (let i = 0; i < count; i++) {
            const h = hashes[i];
            let slot = (h >>> 0) & mask;
            for (;;) {
                const there = table[slot];
                if (there === 0) {
                    table[slot] = i + 1;
                    break;
                }
                if (hashes[there - 1] === h) {
                    shared[i] = 1;
                    shared[there - 1] = 1;
                    any = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        const lines = [];
        if (!any)
            return lines;
        for (let i = 0; i < count; i++)
            if (shared[i] === 1)
                lines.push(this.lines[i]);
        return lines;
    }
    /**
     * The repeats, given the ids on the lines sharedHashLines named: for each case that repeats an earlier one, its
     * line and the line of the first. The other ids have a hash of their own, so they repeat nothing and nothing
     * repeats them; they count only towards the budget. null when an id read again does not hash as it did.
     */
    repeats(ids) {
        const out = [];
        let exactChars = 0;
        let byText = new Map();
        const byHash = new Map();
        for (let i = 0; i < this.count; i++) {
            const line = this.lines[i];
            const id = ids.get(line);
            if (id === undefined) {
                if (byText && (exactChars += this.lengths[i]) > CaseIds.EXACT_BUDGET_CHARS)
                    byText = this.hashOnly(byText, byHash);
                continue;
            }
            if (hash53(id) !== this.hashes[i])
                return null;
            const first = byText ? byText.get(id) : byHash.get(this.hashes[i]);
            if (first !== undefined) {
                out.push({ line, id, first });
                continue;
            }
            if (!byText)
                byHash.set(this.hashes[i], line);
            else {
                byText.set(id, line);
                if ((exactChars += id.length) > CaseIds.EXACT_BUDGET_CHARS)
                    byText = this.hashOnly(byText, byHash);
            }
        }
        return out;
    }
    /** Past the budget: ids kept by hash, in order, a later one passing its line on to an earlier with its hash. */
    hashOnly(byText, byHash) {
        for (const [id, line] of byText)
            byHash.set(hash53(id), line);
        return null;
    }
    resize(capacity) {
        const hashes = new Float64Array(capacity);
        hashes.set(this.hashes.subarray(0, this.count));
        this.hashes = hashes;
        const lengths = new Uint16Array(capacity);
        lengths.set(this.lengths.subarray(0, this.count));
        this.lengths = lengths;
        const lines = new Int32Array(capacity);
        lines.set(this.lines.subarray(0, this.count));
        this.lines = lines;
    }
}
/**
 * promptfoo's own results file (`promptfoo eval -o results.json`) as per-case columns: every named
 * score, `pass` (success as 1/0), `score`, `cost_usd` (cost) and `latency_ms` (latencyMs).
 */
function promptfooTable(value, evalName) {
    const outer = value.results;
    const nested = !Array.isArray(outer) && Array.isArray(outer?.results);
    const rows = Array.isArray(outer) ? outer : nested ? outer.results : [];
    const table = new CaseTableBuilder(CASE_TABLE_LIMITS);
    for (let index = 0; index < rows.length; index++) {
        const raw = rows[index];
        const r = (raw ?? {});
        const row = [];
        if (r.namedScores && typeof r.namedScores === 'object') {
            for (const [name, v] of Object.entries(r.namedScores)) {
                if (typeof v === 'number' && Number.isFinite(v))
                    row.push([name, v]);
                else if (typeof v === 'boolean')
                    row.push([name, v ? 1 : 0]);
            }
        }
        const fixed = [
            ['pass', typeof r.success === 'boolean' ? (r.success ? 1 : 0) : undefined],
            ['score', r.score],
            ['cost_usd', r.cost],
            ['latency_ms', r.latencyMs]
        ];
        for (const [name, v] of fixed) {
            if (typeof v !== 'number' || !Number.isFinite(v))
                continue;
            const at = row.findIndex(([n]) => n === name);
            if (at >= 0)
                row.splice(at, 1); // the standard field wins over a named score of the same name
            row.push([name, v]);
        }
        table.startRow();
        for (const [name, v] of row)
            table.set(name, v);
        // every score keeps a value for every result: a new name on each result would take scores × results of memory
        const fit = table.endRow();
        if (fit === 'columns')
            return { tooManyMetrics: `/results${nested ? '/results' : ''}/${index}/namedScores` };
        if (fit === 'values') {
            return {
                tooManyValues: `/results${nested ? '/results' : ''}/${index}`,
                columns: table.columnsWith,
                cases: table.cases + 1
            };
        }
    }
    return { kind: 'eval_cases', eval: evalName, format: 'promptfoo', cases: table.cases, columns: table.build() };
}
// ---------------------------------------------------------------------------------------------------
// helpers
/** Globs that are safe to match; each unusable one is an issue on the configuration. */
function usableGlobs(globs, pointer, configFile, issues) {
    const usable = [];
    globs.forEach((glob, index) => {
        const problem = (0,read_paths/* checkGlob */.pY)(glob);
        if (problem) {
            issues.push({
                code: 'records.bad-glob',
                message: `the glob ${JSON.stringify((0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(glob), 80))} cannot be used: ${problem}`,
                file: configFile,
                pointer: `${pointer}/${index}`,
                hint: 'write globs relative to the repository root, with forward slashes, e.g. records/**/*.yaml'
            });
        }
        else
            usable.push(stripDotSlash(glob));
    });
    return usable;
}
function stripDotSlash(glob) {
    let g = glob;
    while (g.startsWith('./'))
        g = g.slice(2);
    return g;
}
/** A cheap look at the first bytes of a large JSON file: a CycloneDX BOM or promptfoo results? */
function looksLikeEvidence(head) {
    const text = head.toString('latin1');
    return (/"bomFormat"\s*:\s*"CycloneDX"/.test(text) ||
        /"evalId"\s*:/.test(text) ||
        /"results"\s*:\s*\{\s*"version"\s*:/.test(text) ||
        /"results"\s*:\s*\{[\s\S]*"prompts"\s*:/.test(text));
}
/**
 * decodeUtf8, with its common case done natively: text that is valid UTF-8 without NUL bytes or a byte order
 * mark decodes to the same string either way (a fatal TextDecoder is several times slower on large files).
 * Anything else goes to decodeUtf8, which finds and locates the problem.
 */
function decodeText(bytes, path) {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const fits = bytes.length <= external_node_buffer_.constants.MAX_STRING_LENGTH; // else decodeUtf8 says it is too large to read
    if (fits && !bom && bytes.indexOf(0) < 0 && (0,external_node_buffer_.isUtf8)(bytes))
        return { ok: true, text: bytes.toString('utf8') };
    return (0,read_text/* decodeUtf8 */._6)(bytes, path);
}
function sourceFile(path, side, bytes) {
    return { path, side, sha256: (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}
function sourceIssue(error, path) {
    return { code: error.code, message: error.message, file: (0,read_paths/* checkRepoPath */.Q1)(path) === null ? path : (0,parse/* excerpt */.Kb)(path, 200) };
}
function unknownKind(path, value, parsed) {
    const position = parsed.locate('') ?? { line: 1, column: 1 };
    if (value === null) {
        return {
            code: 'records.empty',
            message: 'is empty; a record file holds one record',
            file: path,
            ...position,
            pointer: ''
        };
    }
    return {
        code: 'records.unknown-kind',
        message: describeUnknown(value),
        file: path,
        ...position,
        pointer: '',
        hint: 'a file the record globs select must be a record; leave other files out with records.exclude'
    };
}
/** A schema problem, located in the file, with a "quote it" hint when a string was read as another type. */
function located(s, path, parsed, value, format) {
    const issue = { code: s.code, message: s.message, file: path, pointer: s.pointer };
    const pos = parsed.locate(s.pointer);
    if (pos) {
        issue.line = pos.line;
        issue.column = pos.column;
    }
    const hint = quoteHint(s, parsed, value, format);
    if (hint)
        issue.hint = hint;
    return issue;
}
function quoteHint(s, parsed, value, format) {
    if (!s.expected || !/string/.test(s.expected))
        return undefined;
    const found = valueAt(value, s.pointer);
    if (!found.exists)
        return undefined;
    const actual = found.value;
    const type = actual === null ? 'null' : typeof actual === 'number' ? 'number' : typeof actual === 'boolean' ? 'boolean' : null;
    if (!type)
        return undefined;
    const raw = parsed.sourceOf(s.pointer)?.trim();
    const key = lastSegment(s.pointer);
    // the value as written, masked by the name it sits under (a password written as a number is still a password)
    const field = (0,validate/* fieldNameOf */.tI)(value, parsePointer(s.pointer));
    if (format === 'json') {
        const shown = (0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(raw ?? String(actual), field), 40);
        return `${key} is the ${type} ${shown} here; write it as a string: "${shown}"`;
    }
    if (type === 'null' && (raw === undefined || raw === '')) {
        return `${key} is empty, which YAML reads as null; write the value (quoted if it looks like a number or boolean)`;
    }
    const shown = (0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(raw ?? String(actual), field), 40);
    return `${key}: ${shown} was read as a ${type}; quote it: "${shown}"`;
}
function lastSegment(pointer) {
    const cut = pointer.lastIndexOf('/');
    const seg = cut < 0 ? pointer : pointer.slice(cut + 1);
    return (0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(seg.replace(/~1/g, '/').replace(/~0/g, '~')), 40) || '(the value)';
}
function parsePointer(pointer) {
    return pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function valueAt(root, pointer) {
    if (pointer === '')
        return { exists: true, value: root };
    let current = root;
    for (const raw of pointer.slice(1).split('/')) {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key))
            return { exists: false };
        current = current[key];
    }
    return { exists: true, value: current };
}
/**
 * Sorted (file, line, column, code, …) and tagged with the side: the same files give the same list. No issue
 * repeats a secret: what a message, hint or pointer quotes from a record is masked (maskIssue), whichever part
 * of the reader wrote it.
 */
function finish(issues, side) {
    return issues
        .map((i) => ({ ...(0,read_text/* maskIssue */.Cu)(i), side }))
        .sort((a, b) => load_cmp(a.file, b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        load_cmp(a.code, b.code) ||
        load_cmp(a.pointer ?? '', b.pointer ?? '') ||
        load_cmp(a.message, b.message));
}
function load_cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
async function mapPool(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/settings/config.ts



/**
 * Resolve the parsed configuration file. `value` undefined means there is no file (the defaults, no issues);
 * an empty file (null) is an issue, never a silent fallback. With schema issues the defaults are returned alongside them, and the
 * caller must fail on the issues; `knownRuleIds` enables the check of `rules:` keys.
 */
function resolveConfig(value, knownRuleIds) {
    if (value === undefined)
        return { config: structuredClone(defaults/* DEFAULT_CONFIG */.PV), issues: [] };
    if (value === null) {
        // a truncated or emptied file must not silently become "the defaults": say what to write instead
        const message = 'the configuration file is empty: write `version: 1` (and any settings) to use the defaults, or delete the file';
        return { config: structuredClone(defaults/* DEFAULT_CONFIG */.PV), issues: [{ pointer: '', code: 'config.empty', message }] };
    }
    const schemaIssues = (0,validate/* validateOwnRecord */.M5)('config', value);
    if (schemaIssues.length > 0)
        return { config: structuredClone(defaults/* DEFAULT_CONFIG */.PV), issues: schemaIssues };
    const file = value;
    const config = mergeOverDefaults(file);
    return { config, issues: [...ruleIssues(file, knownRuleIds), ...roleIssues(file, config), ...pathIssues(file)] };
}
/** Objects merge key by key, lists replace, and `surfaces`/`roles`/`signals`/`rules` replace whole entries. */
function mergeOverDefaults(file) {
    const d = structuredClone(defaults/* DEFAULT_CONFIG */.PV);
    // Spreads create own data properties, so keys such as "__proto__" stay plain data.
    const roles = { ...d.roles };
    for (const [name, role] of Object.entries(file.roles ?? {})) {
        Object.defineProperty(roles, name, {
            value: { users: [...(role.users ?? [])], teams: [...(role.teams ?? [])] },
            enumerable: true,
            writable: true,
            configurable: true
        });
    }
    return {
        version: file.version ?? d.version,
        key: file.key ?? d.key,
        records: { ...d.records, ...file.records },
        surfaces: { ...d.surfaces, ...file.surfaces },
        roles,
        approvals: { ...d.approvals, ...file.approvals },
        evals: { ...d.evals, ...file.evals },
        drift: { ...d.drift, ...file.drift },
        agbom: { ...d.agbom, ...file.agbom },
        signals: { ...d.signals, ...file.signals },
        integrity: { ...d.integrity, ...file.integrity },
        rules: { ...d.rules, ...file.rules }
    };
}
function ruleIssues(file, knownRuleIds) {
    if (!knownRuleIds || !file.rules)
        return [];
    const known = new Set(knownRuleIds);
    return Object.keys(file.rules)
        .filter((id) => !known.has(id))
        .map((id) => {
        const near = (0,validate/* nearest */.pA)(id, knownRuleIds);
        return {
            pointer: `/rules/${escapePointer(id)}`,
            code: 'config.unknown-rule',
            message: `rules: ${quoteMasked(id, 'rules')} is not a rule of this gate` +
                (near
                    ? `; did you mean ${quoteMasked(near, 'rules')}?`
                    : '; `agent-gate explain` and docs/rules.md list the rule ids')
        };
    });
}
/**
 * Every role the configuration relies on must be defined in `roles`, or nobody can ever satisfy it. A
 * reference written in the file is always checked; one that comes from the defaults (integrity.owner_role) is
 * checked once the file defines roles at all, since a file without roles leaves approvals unconfigured.
 */
function roleIssues(file, config) {
    const defined = Object.keys(config.roles);
    // `field`: the name the role sits under, for the name-based secret checks of its message
    const references = [];
    references.push({
        pointer: '/integrity/owner_role',
        role: config.integrity.owner_role,
        fromFile: file.integrity?.owner_role !== undefined,
        what: file.integrity?.owner_role !== undefined ? 'integrity.owner_role' : 'integrity.owner_role (the default)',
        field: 'owner_role'
    });
    config.approvals.required_roles.forEach((role, i) => references.push({
        pointer: `/approvals/required_roles/${i}`,
        role,
        fromFile: true,
        what: 'approvals.required_roles',
        field: 'required_roles'
    }));
    for (const [name, source] of Object.entries(config.signals)) {
        if ('approval' in source) {
            references.push({
                pointer: `/signals/${escapePointer(name)}/approval`,
                role: source.approval,
                fromFile: true,
                what: `signals.${(0,read_text/* maskSecrets */.QU)(name)}.approval`,
                field: 'approval'
            });
        }
    }
    return references
        .filter((r) => !Object.prototype.hasOwnProperty.call(config.roles, r.role))
        .filter((r) => r.fromFile || defined.length > 0)
        .map((r) => {
        const near = (0,validate/* nearest */.pA)(r.role, defined);
        return {
            pointer: r.pointer,
            code: 'config.undefined-role',
            message: `${r.what} names the role ${quoteMasked(r.role, r.field)}, which roles does not define, so nobody can give that approval` +
                (near
                    ? `; did you mean ${quoteMasked(near, 'roles')}?`
                    : defined.length > 0
                        ? `; defined roles: ${defined.map((role) => (0,read_text/* maskSecrets */.QU)(role, 'roles')).join(', ')}`
                        : '; add it under roles with its users or teams')
        };
    });
}
/** Globs and paths are repository-relative: no absolute paths, no `..`, no NUL, no backslashes, no leading `./`. */
function pathIssues(file) {
    const issues = [];
    // `field`: the list or field the value sits under, for the name-based secret checks; not a surface's own name,
    // which may well be `secrets` (the code that handles them) without its globs being secrets
    const check = (pointer, what, field, value, code) => {
        const problem = pathProblem(value, field);
        if (problem)
            issues.push({ pointer, code, message: `${what} ${quoteMasked(value, field)} ${problem}` });
    };
    const globs = (pointer, what, field, list) => list?.forEach((g, i) => check(`${pointer}/${i}`, what, field, g, 'config.bad-glob'));
    // only what the file wrote: the defaults are known to be good
    globs('/records/include', 'records.include glob', 'include', file.records?.include);
    globs('/records/exclude', 'records.exclude glob', 'exclude', file.records?.exclude);
    for (const [name, list] of Object.entries(file.surfaces ?? {})) {
        globs(`/surfaces/${escapePointer(name)}`, `surfaces.${(0,read_text/* maskSecrets */.QU)(name)} glob`, 'surfaces', list);
    }
    globs('/integrity/paths', 'integrity.paths glob', 'paths', file.integrity?.paths);
    file.evals?.promptfoo?.forEach((entry, i) => check(`/evals/promptfoo/${i}/path`, 'evals.promptfoo path', 'path', entry.path, 'config.bad-path'));
    for (const [name, source] of Object.entries(file.signals ?? {})) {
        if ('file' in source) {
            const what = `signals.${(0,read_text/* maskSecrets */.QU)(name)}.file`;
            check(`/signals/${escapePointer(name)}/file`, what, 'file', source.file, 'config.bad-path');
        }
    }
    return issues;
}
/** What is wrong with a repository-relative glob or path; a value it quotes is masked (`field` as in check). */
function pathProblem(value, field) {
    if (value.includes('\u0000'))
        return 'contains a NUL character';
    if (value.includes('\\'))
        return "contains a backslash; use forward slashes ('/')";
    // each brace or extglob alternative is a path of its own (`{..,records}/**`, `@(/etc|records)/**`), so its start
    // counts too
    if (/(?:^|[{,(|])(?:\/|[A-Za-z]:|~)/.test(value)) {
        return 'is absolute; write it relative to the repository root';
    }
    if (value.split(/[/{},()|]/).includes('..'))
        return "contains '..'; it must stay inside the repository";
    if (value.startsWith('./'))
        return `starts with './'; write ${quoteMasked(value.replace(/^(\.\/)+/, ''), field)}`;
    return undefined;
}
function escapePointer(segment) {
    return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
/** A name or value of the file as a message quotes it: secrets masked first (`field`: the name it sits under). */
function quoteMasked(value, field = null) {
    return quote((0,read_text/* maskSecrets */.QU)(value, field));
}
function quote(value) {
    return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

// EXTERNAL MODULE: ./src/decision/document.ts + 1 modules
var decision_document = __webpack_require__(9008);
// EXTERNAL MODULE: ./src/gate/context.ts
var context = __webpack_require__(2104);
// EXTERNAL MODULE: ./src/gate/agbom.ts + 1 modules
var gate_agbom = __webpack_require__(8759);
// EXTERNAL MODULE: ./src/gate/approvals.ts
var gate_approvals = __webpack_require__(7475);
// EXTERNAL MODULE: ./src/gate/base-records.ts
var base_records = __webpack_require__(2765);
// EXTERNAL MODULE: ./src/gate/drift.ts
var gate_drift = __webpack_require__(2516);
// EXTERNAL MODULE: ./src/gate/evals.ts + 2 modules
var gate_evals = __webpack_require__(5749);
// EXTERNAL MODULE: ./src/gate/integrity.ts
var gate_integrity = __webpack_require__(252);
// EXTERNAL MODULE: ./src/gate/review.ts
var gate_review = __webpack_require__(4583);
// EXTERNAL MODULE: ./src/gate/rollout.ts
var gate_rollout = __webpack_require__(9946);
// EXTERNAL MODULE: ./src/gate/signals.ts
var gate_signals = __webpack_require__(766);
// EXTERNAL MODULE: ./src/gate/catalog.ts
var catalog = __webpack_require__(4196);
// EXTERNAL MODULE: ./src/gate/rules.ts
var rules = __webpack_require__(7344);
;// CONCATENATED MODULE: ./src/gate/evaluate.ts













/** Default severities, so the integrity family can tell what a configuration change turns off or downgrades. */
const RULE_DEFAULTS = Object.fromEntries(catalog/* ALL_RULES */.Uj.map((r) => [r.id, r.severity]));
function maskEvidence(evidence) {
    return (0,rules/* maskJson */.Te)(evidence);
}
function evaluate(input) {
    const ctx = (0,context/* createContext */.q6)(input);
    const evals = (0,gate_evals/* evaluateEvals */.Bo)(ctx);
    const integrity = (0,gate_integrity/* evaluateIntegrity */.vj)(ctx, RULE_DEFAULTS);
    const approvals = (0,gate_approvals/* evaluateApprovals */.EQ)(ctx, integrity.roleRequirements);
    const signals = (0,gate_signals/* deriveSignals */.nu)(ctx, evals.evidence, approvals.evidence);
    const review = (0,gate_review/* evaluateReview */.S)(ctx, evals.evidence, signals);
    const rollout = (0,gate_rollout/* evaluateRollout */.dh)(ctx, signals, approvals.evidence);
    const drift = (0,gate_drift/* evaluateDrift */.$v)(ctx);
    const agbom = (0,gate_agbom/* evaluateAgbom */.O0)(ctx, evals.evidence);
    // every family's evidence masked once more as a whole: record values copied into it must not repeat a secret
    // (findings are masked as they are collected)
    const evidence = maskEvidence({
        review: review.evidence,
        rollout: rollout.evidence.rollout,
        evals: evals.evidence,
        drift: drift.evidence,
        agbom: agbom.evidence,
        approvals: approvals.evidence,
        chain: rollout.evidence.chain,
        signals: (0,gate_signals/* signalEvidence */.eg)(signals)
    });
    const findings = [
        ...evals.findings,
        ...integrity.findings,
        ...approvals.findings,
        ...review.findings,
        ...rollout.findings,
        ...drift.findings,
        ...agbom.findings,
        ...(0,base_records/* evaluateBaseRecords */.P)(ctx)
    ];
    return (0,decision_document/* buildDecision */.jJ)(decisionContext(input), findings, evidence, activeFamilies(evidence));
}
/** Families that had something to judge show "pass" rather than "skipped" when they found nothing. */
function activeFamilies(e) {
    const active = new Set(['integrity']);
    if (e.review.surfaces.length > 0)
        active.add('review');
    if (e.rollout !== null || e.chain.length > 0)
        active.add('rollout');
    if (e.evals.length > 0)
        active.add('evals');
    if (e.drift.length > 0)
        active.add('drift');
    if (e.agbom !== null)
        active.add('agbom');
    if (e.approvals.length > 0)
        active.add('approvals');
    return active;
}
function decisionContext(input) {
    const kindOf = new Map();
    for (const set of [input.head, input.base]) {
        if (!set)
            continue;
        for (const r of set.records)
            kindOf.set(`${set.side}\u0000${r.source.path}`, r.kind);
    }
    const cs = input.config_source;
    if (cs.file && cs.side !== 'default')
        kindOf.set(`${cs.side}\u0000${cs.file}`, 'config');
    if (input.proposed_config)
        kindOf.set(`head\u0000${input.proposed_config.file}`, 'config');
    const inputs = [];
    for (const set of [input.head, input.base]) {
        if (!set)
            continue;
        for (const file of set.files) {
            inputs.push({ file, kind: kindOf.get(`${set.side}\u0000${file.path}`) ?? 'artifact' });
        }
    }
    return {
        toolVersion: input.tool_version,
        gateKey: input.config.key,
        commits: { base: input.base?.commit ?? null, head: input.head.commit },
        config: { side: cs.side, file: cs.file, sha256: cs.sha256 },
        inputs
    };
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/pipeline.ts









async function readConfig(source, path) {
    const read = await readConfigFile(source, path);
    if (read.status === 'absent') {
        return {
            config: structuredClone(defaults/* DEFAULT_CONFIG */.PV),
            source: { side: 'default', file: null, sha256: null },
            file: null,
            issues: [],
            locate: null
        };
    }
    if (read.status === 'invalid') {
        return {
            config: structuredClone(defaults/* DEFAULT_CONFIG */.PV),
            source: { side: source.side, file: path, sha256: null },
            file: null,
            issues: read.issues,
            locate: null
        };
    }
    const resolved = resolveConfig(read.value, catalog/* RULE_IDS */.Iu);
    const issues = resolved.issues.map((i) => locatedIssue(i, read.file, read.locate));
    return {
        config: resolved.config,
        source: { side: source.side, file: read.file.path, sha256: read.file.sha256 },
        file: read.file,
        issues,
        locate: read.locate
    };
}
function locatedIssue(i, file, locate) {
    const issue = { code: i.code, message: i.message, file: file.path, side: file.side, pointer: i.pointer };
    const pos = locate(i.pointer);
    if (pos) {
        issue.line = pos.line;
        issue.column = pos.column;
    }
    // located by the real pointer, shown masked: a key of the configuration can be a pasted token
    return (0,read_text/* maskIssue */.Cu)(issue);
}
function withFile(set, file) {
    if (!file || set.files.some((f) => f.path === file.path))
        return set;
    const files = [...set.files, file].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { ...set, files };
}
async function runGate(opts) {
    const progress = opts.onProgress ?? (() => undefined);
    const trustedSource = opts.trustConfigFrom === 'base' && opts.base ? opts.base : opts.head;
    progress(`reading configuration ${opts.configPath} from ${trustedSource.description}`);
    const trusted = await readConfig(trustedSource, opts.configPath);
    const issues = [...trusted.issues];
    // The head's own configuration, when it differs from the one judging it: the integrity family
    // reports what it would loosen, and it must itself be valid since it is what merging would install.
    let proposed = null;
    let proposedFile = null;
    let proposedLocate = null;
    if (trustedSource !== opts.head) {
        const head = await readConfig(opts.head, opts.configPath);
        issues.push(...head.issues);
        if (head.file && head.file.sha256 !== trusted.source.sha256 && head.issues.length === 0) {
            proposed = { config: head.config, file: head.file.path, sha256: head.file.sha256 };
            proposedFile = head.file;
            proposedLocate = head.locate;
        }
    }
    const config = trusted.config;
    // A configuration that cannot be used selects no records: reading them with the defaults instead would report
    // problems that are not there (files the real configuration excludes) next to the real one.
    const load = (source, commit) => trusted.issues.length > 0
        ? Promise.resolve({
            set: { side: source.side, commit, files: [], records: [], artifacts: {}, paths: null },
            issues: []
        })
        : loadRecordSet(source, config, { commit, configFile: opts.configPath });
    progress(`reading records from ${opts.head.description}`);
    const headLoad = await phase('load-head', () => load(opts.head, opts.headCommit));
    issues.push(...headLoad.issues);
    if (proposed && headLoad.issues.length === 0) {
        // what merging would install must be able to read the records it would judge: a proposed configuration that
        // selects files that are not records (an exclude pattern broken) would fail every later pull request
        progress(`reading records from ${opts.head.description} with the proposed configuration`);
        const underProposed = await loadRecordSet(opts.head, proposed.config, {
            commit: opts.headCommit,
            configFile: opts.configPath
        });
        const where = `under the configuration this change proposes (${opts.configPath} on the head)`;
        if (underProposed.issues.length > 0) {
            const files = new Set(underProposed.issues.map((i) => i.file)).size;
            const pos = proposedLocate?.('/records') ?? proposedLocate?.('');
            issues.push({
                code: 'config.records-invalid',
                message: `the configuration this change proposes could not read the records it would judge once merged: ${underProposed.issues.length} error(s) in ${files} file(s), listed with it`,
                hint: 'check records.include and records.exclude (run `agent-gate validate` on the head)',
                file: opts.configPath,
                side: 'head',
                pointer: '/records',
                ...(pos ? { line: pos.line, column: pos.column } : {})
            });
            issues.push(...underProposed.issues.map((i) => ({ ...i, message: `${where}: ${i.message}` })));
        }
    }
    let base = null;
    let baseIssues = [];
    if (opts.base) {
        progress(`reading records from ${opts.base.description}`);
        const baseSource = opts.base;
        const baseLoad = await phase('load-base', () => load(baseSource, opts.baseCommit));
        base = baseLoad.set;
        baseIssues = baseLoad.issues;
    }
    let head = withFile(headLoad.set, trusted.source.side === 'head' ? trusted.file : proposedFile);
    if (base && trusted.source.side === 'base')
        base = withFile(base, trusted.file);
    head = { ...head, commit: opts.headCommit };
    const input = {
        config,
        config_source: trusted.source,
        proposed_config: proposed,
        head,
        base,
        base_issues: baseIssues,
        changed_files: opts.changedFiles,
        approvals: opts.approvals,
        tool_version: version/* VERSION */.x
    };
    progress('evaluating');
    const decision = await phase('evaluate', () => issues.length > 0 ? (0,decision_document/* invalidInputDecision */.QE)(decisionContext(input), issues) : evaluate(input));
    return phase('serialise', () => pipeline_finish(decision, config, opts));
}
/**
 * Times a phase of a run as a performance measure named agent-gate:<name>, which `npm run bench` and profilers
 * read (performance.getEntriesByType('measure')); nothing else looks at it.
 */
async function phase(name, work) {
    const start = performance.now();
    const value = await work();
    performance.measure(`agent-gate:${name}`, { start, end: performance.now() });
    return value;
}
function pipeline_finish(decision, config, opts) {
    const statement = (0,decision_document/* toStatement */.HJ)(decision, opts.subjectName ?? 'head');
    const { canonical, digest } = (0,decision_document/* serialiseStatement */.t)(statement);
    return { decision, statement, canonical, digest, config };
}
/** The decision written when the gate itself failed: deny, outcome internal_error, our message only. */
function internalErrorRun(error, context) {
    const ctx = {
        toolVersion: version/* VERSION */.x,
        gateKey: context.gateKey ?? defaults/* DEFAULT_CONFIG */.PV.key,
        commits: { base: context.baseCommit, head: context.headCommit },
        config: { side: 'default', file: null, sha256: null },
        inputs: []
    };
    return pipeline_finish((0,decision_document/* internalErrorDecision */.AV)(ctx, (0,errors/* internalErrorMessage */.vh)(error)), defaults/* DEFAULT_CONFIG */.PV, context);
}
/** Longest failure message we write: a git error quotes the first lines of git's stderr. */
/** Records and configuration only, for `agent-gate validate`: every problem, located. */
async function checkRecords(source, configPath) {
    const cfg = await readConfig(source, configPath);
    const loaded = await loadRecordSet(source, cfg.config, { configFile: configPath });
    const issues = [...cfg.issues, ...loaded.issues];
    return {
        issues,
        files: loaded.set.files.length,
        records: loaded.set.records.length,
        configFile: cfg.file?.path ?? null
    };
}


/***/ }),

/***/ 4659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ WorkingTreeSource)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9736);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2003);
/**
 * Files from a working tree (the action's checkout, the CLI's directories).
 *
 * The tree is written by whoever opened the pull request, so nothing is trusted: listing never follows
 * links; a read checks the path, refuses any symbolic link on the way (even one pointing inside the
 * repository), checks the entry with lstat before opening it (a FIFO, socket or device is never opened),
 * then opens with O_NOFOLLOW | O_NONBLOCK and checks the open descriptor again with fstat (same inode,
 * still a regular file) so a swap between the check and the open is caught. The size cap is enforced
 * while reading, not only from the size the file system reports.
 */




const CHUNK_BYTES = 64 * 1024;
/** Streamed files are large ones (per-case results): bigger reads, fewer round trips to the thread pool. */
const STREAM_CHUNK_BYTES = 256 * 1024;
const OPEN_FLAGS = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW ?? 0) | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK ?? 0) | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOCTTY ?? 0);
class WorkingTreeSource {
    side;
    description;
    root;
    constructor(root, side) {
        this.side = side;
        this.root = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(root);
        this.description = `working tree ${this.root}`;
    }
    async list() {
        const entries = [];
        const pending = [''];
        while (pending.length > 0) {
            const dir = pending.pop();
            let children;
            try {
                children = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.readdir(dir === '' ? this.root : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.root, dir), { withFileTypes: true });
            }
            catch (error) {
                const code = errorCode(error);
                if (dir !== '' && (code === 'ENOENT' || code === 'ENOTDIR'))
                    continue; // vanished while listing
                throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.unreadable', dir, `cannot list ${dir === '' ? this.description : dir} (${code})`);
            }
            for (const child of children) {
                if (child.name === '.git')
                    continue;
                const path = dir === '' ? child.name : `${dir}/${child.name}`;
                if (child.isDirectory())
                    pending.push(path);
                else
                    entries.push({ path, type: direntType(child), size: null });
            }
        }
        return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
    async stat(path) {
        this.checkPath(path);
        const parents = await this.checkParents(path);
        if (parents === 'missing')
            return null;
        const stats = await lstatOrNull(this.absolute(path), path);
        if (!stats)
            return null;
        return { path, type: statsType(stats), size: stats.isFile() ? stats.size : null };
    }
    /**
     * The whole file, read into one buffer of the size the open descriptor reports (plus room to notice that it
     * grew): a large AgBOM is then read in one request, without chunks to join afterwards (on a VM where fresh
     * memory is costly, joining 35 MB of chunks took longer than reading them). The cap holds whatever the file does
     * while it is read.
     */
    async read(path, maxBytes) {
        const { handle, size } = await this.open(path, maxBytes);
        try {
            let buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
            let total = 0;
            for (;;) {
                if (total === buffer.length) {
                    // it grew since it was opened: go on in chunks, up to the cap
                    const bigger = Buffer.allocUnsafe(Math.min(total + CHUNK_BYTES, maxBytes + 1));
                    buffer.copy(bigger);
                    buffer = bigger;
                }
                const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
                if (bytesRead === 0)
                    return buffer.subarray(0, total);
                total += bytesRead;
                if (total > maxBytes)
                    throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .tooLarge */ .g$)(path, maxBytes);
            }
        }
        finally {
            await handle.close();
        }
    }
    async *stream(path, maxBytes) {
        const { handle } = await this.open(path, maxBytes);
        // the next chunk is read while the caller works on this one (one read in flight, so the file position
        // still moves in order): a large file's reading then overlaps its parsing instead of alternating with it
        const next = () => handle.read(Buffer.allocUnsafe(STREAM_CHUNK_BYTES), 0, STREAM_CHUNK_BYTES, null);
        let pending = next();
        try {
            let total = 0;
            for (;;) {
                const { bytesRead, buffer } = await pending;
                pending = null;
                if (bytesRead === 0)
                    return;
                total += bytesRead;
                if (total > maxBytes)
                    throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .tooLarge */ .g$)(path, maxBytes);
                pending = next();
                yield buffer.subarray(0, bytesRead);
            }
        }
        finally {
            // a caller that stops early leaves a read in flight: awaited here, so that its failure cannot surface later as
            // an unhandled rejection (closing the handle would wait for it anyway)
            if (pending)
                await pending.catch(() => undefined);
            await handle.close();
        }
    }
    /** Every check that can be made before reading a byte; returns an open handle on a regular file, and its size. */
    async open(path, maxBytes) {
        this.checkPath(path);
        if ((await this.checkParents(path)) === 'missing')
            throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .missing */ .LO)(path);
        const absolute = this.absolute(path);
        const before = await lstatOrNull(absolute, path);
        if (!before)
            throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .missing */ .LO)(path);
        rejectNonRegular(path, before);
        let handle;
        try {
            handle = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.open(absolute, OPEN_FLAGS);
        }
        catch (error) {
            const code = errorCode(error);
            if (code === 'ELOOP' || code === 'EMLINK')
                throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.symlink', path, `${path} ${_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .SYMLINK_MESSAGE */ .w7}`);
            if (code === 'ENOENT')
                throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .missing */ .LO)(path);
            throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.unreadable', path, `${path} cannot be opened (${code})`);
        }
        try {
            const after = await handle.stat();
            if (after.ino !== before.ino || after.dev !== before.dev) {
                throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.unreadable', path, `${path} changed while it was being opened; it is not read`);
            }
            rejectNonRegular(path, after);
            if (after.size > maxBytes)
                throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .tooLarge */ .g$)(path, maxBytes, after.size);
            return { handle, size: after.size };
        }
        catch (error) {
            await handle.close();
            throw error;
        }
    }
    checkPath(path) {
        const problem = (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .checkRepoPath */ .Q1)(path);
        if (problem)
            throw (0,_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .badPath */ .$0)(path, problem);
    }
    /** Every folder on the way must be a real folder inside the root, not a link to elsewhere. */
    async checkParents(path) {
        const parts = path.split('/');
        let prefix = '';
        for (const part of parts.slice(0, -1)) {
            prefix = prefix === '' ? part : `${prefix}/${part}`;
            const stats = await lstatOrNull(this.absolute(prefix), path);
            if (!stats)
                return 'missing';
            if (stats.isSymbolicLink()) {
                throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.symlink', path, `${path}: the folder ${prefix} ${_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .SYMLINK_MESSAGE */ .w7}`);
            }
            if (!stats.isDirectory())
                return 'missing';
        }
        return 'ok';
    }
    absolute(path) {
        const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(this.root, path);
        if (absolute !== this.root && !absolute.startsWith(this.root.endsWith('/') ? this.root : `${this.root}/`)) {
            throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.outside-repository', path, `${path} resolves outside the repository`);
        }
        return absolute;
    }
}
function rejectNonRegular(path, stats) {
    if (stats.isFile())
        return;
    if (stats.isSymbolicLink())
        throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.symlink', path, `${path} ${_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .SYMLINK_MESSAGE */ .w7}`);
    const what = stats.isFIFO()
        ? 'a named pipe (FIFO)'
        : stats.isSocket()
            ? 'a socket'
            : stats.isCharacterDevice() || stats.isBlockDevice()
                ? 'a device'
                : stats.isDirectory()
                    ? 'a folder'
                    : 'not a regular file';
    throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.not-regular', path, `${path} is ${what}, not a regular file; it is not read`);
}
function direntType(d) {
    if (d.isFile())
        return 'file';
    if (d.isSymbolicLink())
        return 'symlink';
    if (d.isDirectory())
        return 'directory';
    return 'other';
}
function statsType(stats) {
    return direntType(stats);
}
/** lstat, or null when the entry does not exist; other failures are a SourceError naming `path`. */
async function lstatOrNull(absolute, path) {
    try {
        return await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.lstat(absolute);
    }
    catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return null;
        throw new _source_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c('file.unreadable', path, `${path} cannot be examined (${code})`);
    }
}
function errorCode(error) {
    return error?.code ?? 'unknown error';
}


/***/ }),

/***/ 7320:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  XS: () => (/* binding */ GitError),
  kQ: () => (/* binding */ GitTreeSource),
  Y_: () => (/* binding */ changedFiles),
  fe: () => (/* binding */ defaultBranchRef),
  wu: () => (/* binding */ mergeBase),
  Hn: () => (/* binding */ repositoryRoot),
  DJ: () => (/* binding */ revParse)
});

// UNUSED EXPORTS: defaultBranch, fetchCommit, hasCommit, runGit

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/read/paths.ts
var paths = __webpack_require__(9736);
// EXTERNAL MODULE: ./src/read/source.ts
var source = __webpack_require__(2003);
;// CONCATENATED MODULE: ./src/read/tree-entry.ts
/**
 * The checks every tree-backed source (git objects, the GitHub trees API) makes before it reads a file:
 * the path is a repository path, the entry is a regular file — never a symbolic link or a submodule, also
 * when one of them sits in the path's folders — and not larger than the cap. One place, so the git source
 * and the API fallback refuse exactly the same things.
 */


/** A git tree entry's type from its mode (and, from the API, its object type); null for folders. */
function treeEntryType(mode, objectType) {
    if (objectType === 'tree' || mode === '040000')
        return null;
    if (mode === '120000')
        return 'symlink';
    if (mode === '160000' || objectType === 'commit')
        return 'submodule';
    if (mode.startsWith('100'))
        return 'file';
    return 'other';
}
/** The entry of a regular file at `path`, or the SourceError that explains why it may not be read. */
function regularFileEntry(entries, path, maxBytes) {
    const problem = (0,paths/* checkRepoPath */.Q1)(path);
    if (problem)
        throw (0,paths/* badPath */.$0)(path, problem);
    const found = entries.get(path);
    if (!found)
        throw insideLinkOrSubmodule(entries, path) ?? (0,paths/* missing */.LO)(path);
    const { entry } = found;
    if (entry.type === 'symlink')
        throw new source/* SourceError */.c('file.symlink', path, `${path} ${paths/* SYMLINK_MESSAGE */.w7}`);
    if (entry.type === 'submodule') {
        throw new source/* SourceError */.c('file.submodule', path, `${path} is a git submodule; the gate does not read submodules`);
    }
    if (entry.type !== 'file') {
        throw new source/* SourceError */.c('file.not-regular', path, `${path} is not a regular file; it is not read`);
    }
    if (entry.size !== null && entry.size > maxBytes)
        throw (0,paths/* tooLarge */.g$)(path, maxBytes, entry.size);
    return found;
}
/** A path "under" a symlink or submodule is not in the tree: say why rather than "does not exist". */
function insideLinkOrSubmodule(entries, path) {
    const parts = path.split('/');
    for (let n = 1; n < parts.length; n++) {
        const prefix = parts.slice(0, n).join('/');
        const type = entries.get(prefix)?.entry.type;
        if (type === 'symlink')
            return new source/* SourceError */.c('file.symlink', path, `${path}: the folder ${prefix} ${paths/* SYMLINK_MESSAGE */.w7}`);
        if (type === 'submodule') {
            return new source/* SourceError */.c('file.submodule', path, `${path} is inside the git submodule ${prefix}; the gate does not read submodules`);
        }
    }
    return null;
}
/**
 * A source backed by one commit's tree (git objects, the GitHub trees API): the tree is listed once, on first
 * use, sorted by path; listing, stat and the checks before a read are the same for every such source. A
 * subclass says how to load the tree and how to read a blob.
 */
class TreeSource {
    tree = null;
    async list() {
        return [...(await this.entries()).values()].map((e) => e.entry);
    }
    async stat(path) {
        const problem = (0,paths/* checkRepoPath */.Q1)(path);
        if (problem)
            throw (0,paths/* badPath */.$0)(path, problem);
        return (await this.entries()).get(path)?.entry ?? null;
    }
    async regularFile(path, maxBytes) {
        return regularFileEntry(await this.entries(), path, maxBytes);
    }
    entries() {
        this.tree ??= this.loadTree().then((map) => new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
        return this.tree;
    }
}

;// CONCATENATED MODULE: ./src/read/git.ts
/**
 * Files from a git commit, and the few git questions the action and the CLI ask (is this commit here,
 * fetch it, merge base, changed files, default branch).
 *
 * git runs through execFile with argument arrays (never a shell), `-c core.quotepath=off`, NUL-separated
 * output where paths are involved, bounded output and a timeout. A failure names the git command that
 * failed. Revisions given by callers are checked so they can never be read as options.
 */



const DEFAULT_TIMEOUT_MS = 60_000;
const FETCH_TIMEOUT_MS = 300_000;
/** ls-tree / diff output cap: a tree of a million files is about 100 MB of listing */
const LISTING_MAX_BYTES = 256 * 1024 * 1024;
const SMALL_OUTPUT_BYTES = 1024 * 1024;
/** a `cat-file --batch` process is closed after this long without requests */
const BATCH_IDLE_MS = 250;
/** A git command that failed (not the user's records: the checkout or the environment). */
class GitError extends Error {
    args;
    exitCode;
    stderr;
    constructor(args, exitCode, stderr, detail) {
        super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${detail ?? firstLines(stderr)}`);
        this.args = args;
        this.exitCode = exitCode;
        this.stderr = stderr;
        this.name = 'GitError';
    }
}
/** Variables that would point git at another repository, index or object store than `-C <repo>`. */
const LOCATION_VARIABLES = new Set([
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_ALTERNATE_OBJECT_DIRECTORIES',
    'GIT_COMMON_DIR',
    'GIT_NAMESPACE'
]);
const GIT_ENV = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !LOCATION_VARIABLES.has(name))),
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C'
};
function gitArgs(repo, args) {
    return ['-C', repo, '-c', 'core.quotepath=off', ...args];
}
/** Runs git; resolves for exit 0 and for `okExitCodes`, rejects with a GitError otherwise. */
function runGit(repo, args, options = {}) {
    return new Promise((resolvePromise, reject) => {
        (0,external_node_child_process_.execFile)('git', gitArgs(repo, args), {
            encoding: 'buffer',
            maxBuffer: options.maxBytes ?? SMALL_OUTPUT_BYTES,
            timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            killSignal: 'SIGKILL',
            windowsHide: true,
            env: GIT_ENV
        }, (error, stdout, stderr) => {
            const err = stderr.toString('utf8');
            if (!error)
                return resolvePromise({ stdout, exitCode: 0 });
            const e = error;
            if (e.code === 'ENOENT')
                return reject(new GitError(args, null, '', 'git is not installed or not on PATH'));
            if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
                return reject(new GitError(args, null, err, `its output exceeded ${options.maxBytes ?? SMALL_OUTPUT_BYTES} bytes`));
            }
            if (e.killed) {
                return reject(new GitError(args, null, err, `timed out after ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000}s`));
            }
            const exitCode = typeof e.code === 'number' ? e.code : null;
            if (exitCode !== null && options.okExitCodes?.includes(exitCode))
                return resolvePromise({ stdout, exitCode });
            reject(new GitError(args, exitCode, err));
        });
    });
}
/** A revision argument: a hex object name or a ref name that cannot be mistaken for an option. */
function checkRevision(rev) {
    if (rev.length === 0 ||
        rev.length > 256 ||
        rev.startsWith('-') ||
        rev.includes('..') ||
        rev.includes('@{') ||
        /[\u0000-\u0020\u007f~^:?*[\\]/.test(rev)) {
        throw new GitError(['rev-parse', rev.slice(0, 80)], null, '', `${JSON.stringify(rev.slice(0, 80))} is not a valid git revision`);
    }
    return rev;
}
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function checkObjectId(sha) {
    if (!OBJECT_ID.test(sha)) {
        throw new GitError(['fetch'], null, '', `${JSON.stringify(sha.slice(0, 80))} is not a full commit SHA (40 or 64 hex digits)`);
    }
    return sha;
}
function lines(output) {
    return output
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
}
/** The full SHA of the commit a revision names; a GitError saying so when it names none. */
async function revParse(repo, ref) {
    const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${checkRevision(ref)}^{commit}`];
    const { stdout, exitCode } = await runGit(repo, args, { okExitCodes: [1, 128] });
    const sha = exitCode === 0 ? lines(stdout)[0] : undefined;
    if (!sha) {
        throw new GitError(args, exitCode, '', `${JSON.stringify(ref)} does not name a commit in ${repo} (is it fetched?)`);
    }
    return sha;
}
/** The top folder of the git working tree that contains `dir`. */
async function repositoryRoot(dir) {
    const args = ['rev-parse', '--show-toplevel'];
    const { stdout } = await runGit(dir, args);
    const root = lines(stdout)[0];
    if (!root)
        throw new GitError(args, 0, '', `${dir} is not inside a git working tree`);
    return root;
}
/** Whether the commit is present in the local object store (a shallow clone may lack it). */
async function hasCommit(repo, sha) {
    const { exitCode } = await runGit(repo, ['cat-file', '-e', `${checkRevision(sha)}^{commit}`], {
        okExitCodes: [1, 128]
    });
    return exitCode === 0;
}
/** Fetches one commit from origin without its history (enough to read its tree). */
async function fetchCommit(repo, sha, remote = 'origin') {
    await runGit(repo, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', checkRevision(remote), checkObjectId(sha)], { timeoutMs: FETCH_TIMEOUT_MS });
}
/** The best common ancestor of two commits, or null when they share no history (or it is not fetched). */
async function mergeBase(repo, a, b) {
    const { stdout, exitCode } = await runGit(repo, ['merge-base', checkRevision(a), checkRevision(b)], {
        okExitCodes: [1]
    });
    if (exitCode !== 0)
        return null;
    return lines(stdout)[0] ?? null;
}
/** The branch origin/HEAD points at ("main"), or null when the clone does not know it. */
async function defaultBranch(repo) {
    const { stdout, exitCode } = await runGit(repo, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
        okExitCodes: [1, 128]
    });
    if (exitCode !== 0)
        return null;
    const ref = lines(stdout)[0];
    return ref?.startsWith('refs/remotes/origin/') ? ref.slice('refs/remotes/origin/'.length) : null;
}
/**
 * The default branch a change is compared with: the one origin/HEAD points at; without it (a repository
 * without a remote, or a remote added by hand, which sets no origin/HEAD) the configured `init.defaultBranch`,
 * then `main`, then `master` — whichever exists, origin's copy first. Null when none exists.
 */
async function defaultBranchRef(repo) {
    const fromOrigin = await defaultBranch(repo);
    const configured = await runGit(repo, ['config', '--get', 'init.defaultBranch'], { okExitCodes: [1] });
    const candidates = [fromOrigin, lines(configured.stdout)[0], 'main', 'master'].filter((name, i, all) => !!name && all.indexOf(name) === i && isSafeBranchName(name));
    const refs = candidates.flatMap((name) => [`refs/remotes/origin/${name}`, `refs/heads/${name}`]);
    const { stdout } = await runGit(repo, ['for-each-ref', '--format=%(refname)', '--', ...refs]);
    // for-each-ref matches prefixes ("refs/heads/main" also matches "refs/heads/main/x"): keep exact names
    const existing = new Set(lines(stdout));
    for (const branch of candidates) {
        for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
            if (existing.has(ref))
                return { branch, ref };
        }
    }
    return null;
}
function isSafeBranchName(name) {
    try {
        checkRevision(name);
        return true;
    }
    catch {
        return false;
    }
}
const STATUS = {
    A: 'added',
    M: 'modified',
    D: 'removed',
    R: 'renamed',
    C: 'copied',
    T: 'changed',
    U: 'modified'
};
/**
 * Files that differ between `base` and `head`. By default from their merge base (what a pull request
 * shows, `base...head`); with `{ direct: true }` between the two trees as they are. A null `head` is the
 * working tree: tracked files as they are on disk, and untracked files that are not ignored, as added
 * (a new prompt not yet committed is part of the change).
 */
async function changedFiles(repo, base, head, options = {}) {
    const b = checkRevision(base);
    let range;
    if (head === null)
        range = options.direct ? [b] : ['--merge-base', b];
    else
        range = options.direct ? [b, checkRevision(head)] : [`${b}...${checkRevision(head)}`];
    const args = ['diff', '--name-status', '-z', '--find-renames', '--no-ext-diff', '--no-textconv', ...range, '--'];
    const { stdout } = await runGit(repo, args, { maxBytes: LISTING_MAX_BYTES });
    const fields = stdout.toString('utf8').split('\0');
    const files = [];
    let i = 0;
    while (i < fields.length && fields[i] !== '') {
        const code = fields[i];
        const status = STATUS[code[0]];
        if (!status)
            throw new GitError(args, 0, '', `unexpected status ${JSON.stringify(code.slice(0, 10))} in its output`);
        if (status === 'renamed' || status === 'copied') {
            const previous = fields[i + 1];
            const path = fields[i + 2];
            if (previous === undefined || path === undefined)
                throw new GitError(args, 0, '', 'truncated output');
            files.push({ path, status, previous_path: previous });
            i += 3;
        }
        else {
            const path = fields[i + 1];
            if (path === undefined)
                throw new GitError(args, 0, '', 'truncated output');
            files.push({ path, status });
            i += 2;
        }
    }
    if (head === null)
        addUntracked(files, await untrackedFiles(repo));
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
/** Files in the working tree that git does not track and does not ignore. */
async function untrackedFiles(repo) {
    const args = ['ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ':/'];
    const { stdout } = await runGit(repo, args, { maxBytes: LISTING_MAX_BYTES });
    return stdout
        .toString('utf8')
        .split('\0')
        .filter((path) => path !== '');
}
function addUntracked(files, untracked) {
    const listed = new Map(files.map((f) => [f.path, f]));
    for (const path of untracked) {
        const known = listed.get(path);
        // removed from the index but still on disk (`git rm --cached`): the file is there, maybe different
        if (known?.status === 'removed')
            known.status = 'modified';
        else if (!known)
            files.push({ path, status: 'added' });
    }
}
/** The files of one commit, read from the object store (nothing is checked out). */
class GitTreeSource extends TreeSource {
    repoDir;
    commit;
    side;
    description;
    batch;
    constructor(repoDir, commit, side) {
        super();
        this.repoDir = repoDir;
        this.commit = commit;
        this.side = side;
        checkRevision(commit);
        this.description = `git commit ${commit.slice(0, 12)}`;
        this.batch = new BlobBatch(repoDir);
    }
    async read(path, maxBytes) {
        const target = await this.regularFile(path, maxBytes);
        const blob = await this.batch.read(target.oid);
        if (blob.length > maxBytes)
            throw (0,paths/* tooLarge */.g$)(path, maxBytes, blob.length);
        return blob;
    }
    async *stream(path, maxBytes) {
        const target = await this.regularFile(path, maxBytes);
        let total = 0;
        for await (const chunk of streamBlob(this.repoDir, target.oid)) {
            total += chunk.length;
            if (total > maxBytes)
                throw (0,paths/* tooLarge */.g$)(path, maxBytes);
            yield chunk;
        }
    }
    /** Ends the background `git cat-file` process now instead of after its idle delay. */
    close() {
        this.batch.close();
    }
    async loadTree() {
        const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', '--end-of-options', this.commit];
        const { stdout } = await runGit(this.repoDir, args, { maxBytes: LISTING_MAX_BYTES });
        const map = new Map();
        for (const record of stdout.toString('utf8').split('\0')) {
            if (record === '')
                continue;
            // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
            const tab = record.indexOf('\t');
            const match = /^(\d{6}) (\w+) ([0-9a-f]+) +(\d+|-)$/.exec(record.slice(0, tab));
            if (tab < 0 || !match)
                throw new GitError(args, 0, '', 'unexpected line in its output');
            const path = record.slice(tab + 1);
            const mode = match[1];
            const type = treeEntryType(mode, match[2]);
            if (type === null)
                continue; // folders are not listed
            const size = match[4] === '-' || type !== 'file' ? null : Number(match[4]);
            map.set(path, { entry: { path, type, size }, oid: match[3] });
        }
        return map;
    }
}
/** One blob's bytes, streamed from a dedicated `git cat-file blob` (large evidence files). */
async function* streamBlob(repo, oid) {
    const args = ['cat-file', 'blob', oid];
    const child = (0,external_node_child_process_.spawn)('git', gitArgs(repo, args), {
        env: GIT_ENV,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
        if (stderr.length < 4096)
            stderr += d.toString('utf8');
    });
    const exited = new Promise((resolveExit, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolveExit(code));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_TIMEOUT_MS * 5);
    timer.unref();
    let finished = false;
    try {
        for await (const chunk of child.stdout)
            yield chunk;
        const code = await exited;
        if (code !== 0)
            throw new GitError(args, code, stderr);
        finished = true;
    }
    finally {
        clearTimeout(timer);
        if (!finished)
            child.kill('SIGKILL');
    }
}
/**
 * Blobs through one long-lived `git cat-file --batch`: one process for thousands of small records
 * instead of one process each. It starts on demand and ends after a short idle time.
 */
class BlobBatch {
    repo;
    child = null;
    queue = [];
    /** bytes received but not yet consumed (header lines, the separator after a blob) */
    pending = Buffer.alloc(0);
    incoming = null;
    idle = null;
    watchdog = null;
    stderr = '';
    constructor(repo) {
        this.repo = repo;
    }
    read(oid) {
        return new Promise((resolveRead, reject) => {
            if (this.idle)
                clearTimeout(this.idle);
            this.idle = null;
            const child = this.start();
            this.queue.push({ oid, resolve: resolveRead, reject });
            this.armWatchdog();
            child.stdin.write(`${oid}\n`);
        });
    }
    close(reason = 'closed') {
        for (const timer of [this.idle, this.watchdog])
            if (timer)
                clearTimeout(timer);
        this.idle = null;
        this.watchdog = null;
        const child = this.child;
        this.child = null;
        if (child) {
            child.stdin.end();
            child.kill('SIGKILL');
        }
        this.failAll(new GitError(['cat-file', '--batch'], null, this.stderr, reason));
    }
    start() {
        if (this.child)
            return this.child;
        const child = (0,external_node_child_process_.spawn)('git', gitArgs(this.repo, ['cat-file', '--batch']), { env: GIT_ENV, windowsHide: true });
        this.child = child;
        this.pending = Buffer.alloc(0);
        this.incoming = null;
        this.stderr = '';
        child.stdout.on('data', (chunk) => {
            if (this.child !== child)
                return;
            this.armWatchdog();
            this.receive(chunk);
        });
        child.stderr.on('data', (d) => {
            if (this.stderr.length < 4096)
                this.stderr += d.toString('utf8');
        });
        const fail = (detail) => {
            if (this.child !== child)
                return;
            this.child = null;
            this.failAll(new GitError(['cat-file', '--batch'], child.exitCode, this.stderr, detail));
        };
        child.on('error', (e) => fail(e.message));
        child.on('close', () => fail());
        child.stdin.on('error', () => undefined); // reported through 'close'
        return child;
    }
    /** Consumes "<oid> <type> <size>\n<bytes>\n" answers (or "<oid> missing\n") in request order. */
    receive(chunk) {
        let data = chunk;
        for (;;) {
            if (this.incoming) {
                const { blob } = this.incoming;
                const take = Math.min(blob.length - this.incoming.filled, data.length);
                data.copy(blob, this.incoming.filled, 0, take);
                this.incoming.filled += take;
                data = data.subarray(take);
                if (this.incoming.filled < blob.length)
                    return; // more bytes to come
                if (data.length === 0)
                    return; // the "\n" separator is still to come
                // the blob is complete and its "\n" separator is in `data`
                data = data.subarray(1);
                const { type } = this.incoming;
                this.incoming = null;
                this.settle((request) => type === 'blob'
                    ? request.resolve(blob)
                    : request.reject(new GitError(['cat-file', '--batch'], null, '', `object ${request.oid} is a ${type}`)));
                continue;
            }
            this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
            data = Buffer.alloc(0);
            const newline = this.pending.indexOf(0x0a);
            if (newline < 0)
                return;
            const header = this.pending.subarray(0, newline).toString('utf8');
            const rest = this.pending.subarray(newline + 1);
            this.pending = Buffer.alloc(0);
            const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
            if (match) {
                this.incoming = { blob: Buffer.allocUnsafe(Number(match[3])), filled: 0, type: match[2] };
            }
            else {
                const detail = header.slice(0, 100);
                this.settle((request) => request.reject(new GitError(['cat-file', '--batch'], null, '', `object ${request.oid}: ${detail}`)));
            }
            data = rest;
            if (data.length === 0 && !this.incoming)
                return;
        }
    }
    settle(answer) {
        const request = this.queue.shift();
        if (request)
            answer(request);
        if (this.queue.length === 0) {
            if (this.watchdog)
                clearTimeout(this.watchdog);
            this.watchdog = null;
            this.scheduleIdle();
        }
    }
    armWatchdog() {
        if (this.watchdog)
            clearTimeout(this.watchdog);
        this.watchdog = setTimeout(() => this.close(`no answer for ${DEFAULT_TIMEOUT_MS / 1000}s`), DEFAULT_TIMEOUT_MS);
        this.watchdog.unref();
    }
    scheduleIdle() {
        if (this.idle)
            clearTimeout(this.idle);
        this.idle = setTimeout(() => this.close(), BATCH_IDLE_MS);
        this.idle.unref();
    }
    failAll(error) {
        for (const request of this.queue.splice(0))
            request.reject(error);
    }
}
function firstLines(text) {
    const trimmed = text.trim().split('\n').slice(0, 3).join(' / ');
    return trimmed.length > 400 ? `${trimmed.slice(0, 400)}…` : trimmed || 'no error output';
}


/***/ })

};
