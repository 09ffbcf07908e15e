export const id = 63;
export const ids = [63];
export const modules = {

/***/ 1604:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Wb: () => (/* binding */ processIO),
/* harmony export */   by: () => (/* binding */ useColor),
/* harmony export */   dc: () => (/* binding */ EXIT),
/* harmony export */   xZ: () => (/* binding */ progressReporter)
/* harmony export */ });
/** The CLI's small I/O helpers: output streams, progress on a TTY only, and exit codes. */
const EXIT = { allow: 0, blocked: 1, invalid: 2, internal: 3 };
function processIO() {
    return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
const CLEAR_LINE = '\r\u001b[2K';
/** how often the elapsed time is refreshed while one step runs */
const TICK_MS = 1000;
/**
 * One self-replacing progress line on stderr, with the time the current step has taken, only when stderr
 * is a terminal: never in CI logs, pipes or files, where it would be noise. Cleared when done.
 */
function progressReporter(io, now = Date.now) {
    if (!io.stderr.isTTY)
        return undefined;
    const stderr = io.stderr;
    let message = '';
    let since = now();
    let timer = null;
    const draw = () => {
        const seconds = Math.floor((now() - since) / 1000);
        stderr.write(`${CLEAR_LINE}\u001b[2m… ${message}${seconds > 0 ? ` (${seconds}s)` : ''}\u001b[0m`);
    };
    return {
        update(next) {
            message = next.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
            since = now();
            draw();
            if (!timer) {
                timer = setInterval(draw, TICK_MS);
                timer.unref();
            }
        },
        done() {
            if (timer)
                clearInterval(timer);
            timer = null;
            if (message !== '')
                stderr.write(CLEAR_LINE);
            message = '';
        }
    };
}
function useColor(io) {
    if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')
        return false;
    if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0')
        return true;
    return io.stdout.isTTY === true;
}


/***/ }),

/***/ 3063:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: COMMANDS, MAIN_HELP

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: ./src/settings/defaults.ts
var defaults = __webpack_require__(9563);
;// CONCATENATED MODULE: ./src/cli/help.ts
/** Every help text, kept apart from the commands so that `--help` answers without loading the engine. */


const MAIN_HELP = `agent-gate ${version/* VERSION */.x} — blocks an AI-agent change until it has earned release

Usage: agent-gate <command> [options]

Commands:
  check      judge a change: records, evals, replay receipts, AgBOM diff and approvals → allow / follow_up / deny
  validate   check records and configuration only; every error located (file:line, field)
  explain    what a rule checks, why, and how to fix a finding (agent-gate explain evals.threshold)
  init       write a starter configuration and one example record of each kind into a repository

Run "agent-gate <command> --help" (or "agent-gate help <command>") for a command's options.
Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;
const CHECK_HELP = `Usage: agent-gate check [options]

Judge a change: the head (the working tree, or --head REF) against the base
(--base REF, default the merge base with the default branch).

Options:
  --base REF              base commit or branch (default: the merge base of the head and the default
                          branch: origin/HEAD, else init.defaultBranch, main or master)
  --head REF              head commit or branch (default: the working tree, with uncommitted and
                          untracked files)
  --base-dir DIR          read the base from a directory instead of git
  --head-dir DIR          read the head from a directory instead of git (default with --base-dir: .)
  --repo DIR              the repository (default: the current directory)
  --config PATH           gate configuration (default: ${defaults/* INPUT_DEFAULTS */.WJ.config})
  --trust-config-from S   base | head: which side's configuration judges the change (default: base)
  --reviews FILE          the pull request's reviews (GitHub API JSON) to check approvals; without it,
                          every required approval is a follow-up
  --format F              text | markdown | json | sarif (default: text)
  --fail-on D             deny | follow_up: the lowest decision that fails (default: ${defaults/* INPUT_DEFAULTS */.WJ.failOn})
  --output FILE           also write the decision file (in-toto statement, canonical JSON)
  --sarif FILE            also write the findings as SARIF 2.1.0
  -h, --help              show this help

Reviews file: gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json
Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;
const VALIDATE_HELP = `Usage: agent-gate validate [options]

Check the gate configuration and every record it selects: parse, schema, safety.
Nothing is judged; every problem is reported with file:line:column and the field.

Options:
  --repo DIR        the repository (default: the current directory)
  --head REF        validate a commit instead of the working tree
  --head-dir DIR    validate a directory (no git needed)
  --config PATH     gate configuration (default: ${defaults/* INPUT_DEFAULTS */.WJ.config})
  --format F        text | json (default: text)
  -h, --help        show this help

Exit codes: 0 valid · 2 problems found · 3 internal error`;
const EXPLAIN_HELP = `Usage: agent-gate explain [RULE_ID | FAMILY]

Explain a rule: what it checks, why, its default severity and how to fix a finding.
With a family (review, evals, agbom, …), list its rules; with nothing, list every rule.`;
const INIT_HELP = `Usage: agent-gate init [--dir DIR]

Write a starter configuration (.github/agent-gate.yml), a workflow, and one example record of
each kind under records/ into the repository at DIR (default: the current directory).
Nothing is overwritten: if any of the files exists, nothing is written.`;

// EXTERNAL MODULE: ./src/cli/io.ts
var cli_io = __webpack_require__(1604);
;// CONCATENATED MODULE: ./src/cli/main.ts
/**
 * agent-gate: the CLI on the same engine as the action.
 * Exit codes: 0 allow, 1 blocked (deny, or follow_up per --fail-on), 2 record or configuration errors, 3 internal error.
 * A command's code is loaded when it runs, so `--help` and `--version` answer at once.
 */





const COMMANDS = {
    check: { help: CHECK_HELP, run: async (argv, io) => (await Promise.all(/* import() */[__webpack_require__.e(869), __webpack_require__.e(548), __webpack_require__.e(3), __webpack_require__.e(117)]).then(__webpack_require__.bind(__webpack_require__, 3117))).runCheck(argv, io) },
    validate: { help: VALIDATE_HELP, run: async (argv, io) => (await Promise.all(/* import() */[__webpack_require__.e(869), __webpack_require__.e(548), __webpack_require__.e(3), __webpack_require__.e(446)]).then(__webpack_require__.bind(__webpack_require__, 4446))).runValidate(argv, io) },
    explain: { help: EXPLAIN_HELP, run: async (argv, io) => (await Promise.all(/* import() */[__webpack_require__.e(869), __webpack_require__.e(548), __webpack_require__.e(497)]).then(__webpack_require__.bind(__webpack_require__, 8497))).runExplain(argv, io) },
    init: { help: INIT_HELP, run: async (argv, io) => (await __webpack_require__.e(/* import() */ 628).then(__webpack_require__.bind(__webpack_require__, 9628))).runInit(argv, io) }
};
/** Runs one command line and returns the exit code; never throws. `commands` is replaceable for tests. */
async function main(argv, io = (0,cli_io/* processIO */.Wb)(), commands = COMMANDS) {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h') {
        (name === undefined ? io.stderr : io.stdout).write(MAIN_HELP + '\n');
        return name === undefined ? cli_io/* EXIT */.dc.invalid : cli_io/* EXIT */.dc.allow;
    }
    if (name === '--version' || name === '-v' || name === '-V') {
        io.stdout.write(version/* VERSION */.x + '\n');
        return cli_io/* EXIT */.dc.allow;
    }
    if (name === 'help') {
        const topic = rest[0] !== undefined && Object.hasOwn(commands, rest[0]) ? commands[rest[0]] : undefined;
        if (rest[0] !== undefined && !topic)
            return unknownCommand(rest[0], io, commands);
        io.stdout.write((topic?.help ?? MAIN_HELP) + '\n');
        return cli_io/* EXIT */.dc.allow;
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command)
        return unknownCommand(name, io, commands);
    // "--" ends the options: what follows is an argument, even "--help"
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (options.includes('--help') || options.includes('-h')) {
        io.stdout.write(command.help + '\n');
        return cli_io/* EXIT */.dc.allow;
    }
    try {
        return await command.run(rest, io);
    }
    catch (error) {
        if (error instanceof errors/* SettingsError */.GN) {
            io.stderr.write(`agent-gate ${name}: ${error.message}\n`);
            return cli_io/* EXIT */.dc.invalid;
        }
        // the message can quote records and this output lands in CI logs: details only on request
        const details = io.env.AGENT_GATE_DEBUG
            ? `\n${error instanceof Error && error.stack ? error.stack : String(error)}`
            : '';
        io.stderr.write(`agent-gate ${name}: internal error: ${(0,errors/* internalErrorMessage */.vh)(error)}${details}\n` +
            'The gate could not finish; this is not a judgement of the change, and it fails closed (exit 3).\n');
        return cli_io/* EXIT */.dc.internal;
    }
}
function unknownCommand(name, io, commands) {
    io.stderr.write(`agent-gate: unknown command ${JSON.stringify(name.slice(0, 80))}. Commands: ${Object.keys(commands).join(', ')}` +
        ` (agent-gate --help).\n`);
    return cli_io/* EXIT */.dc.invalid;
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GN: () => (/* binding */ SettingsError),
/* harmony export */   vh: () => (/* binding */ internalErrorMessage),
/* harmony export */   wS: () => (/* binding */ formatIssueLocation)
/* harmony export */ });
/* unused harmony exports RecordError, InternalError */
class RecordError extends Error {
    issues;
    constructor(issues, message) {
        super(message ?? summarizeIssues(issues));
        this.name = 'RecordError';
        this.issues = issues;
    }
}
/** Invalid action inputs or CLI arguments: the user's setup is wrong (reported like RecordError). */
class SettingsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SettingsError';
    }
}
class InternalError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'InternalError';
    }
}
function formatIssueLocation(issue) {
    let where = issue.file;
    if (issue.line !== undefined)
        where += `:${issue.line}`;
    if (issue.line !== undefined && issue.column !== undefined)
        where += `:${issue.column}`;
    if (issue.pointer !== undefined && issue.pointer !== '')
        where += ` (${issue.pointer})`;
    return where;
}
function summarizeIssues(issues) {
    const first = issues[0];
    if (!first)
        return 'records or configuration are malformed';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return `${formatIssueLocation(first)}: ${first.message}${more}`;
}
const MAX_FAILURE_CHARS = 500;
/**
 * What the decision, the check and the comment say about a failure of the gate itself. An exception's message
 * can quote what it was working on (a parser's excerpt, a value from a record), and this text goes to the PR
 * comment and the log: so for anything but our own errors it names the kind of error only, and the details stay
 * in the debug log, where the caller writes the stack. Shown as they are: an InternalError, a GitError (the
 * checkout or the environment, e.g. "git is not installed"; file content never reaches git's messages) and
 * Node's system errors (EACCES, ENOSPC … on a path the gate chose).
 */
function internalErrorMessage(error) {
    if (error instanceof Error) {
        const code = error.code;
        const ours = error instanceof InternalError || error.name === 'GitError';
        const system = typeof code === 'string' && /^E[A-Z]+$/.test(code);
        if (ours || system) {
            const text = `${error.name}: ${error.message}`;
            return text.length > MAX_FAILURE_CHARS ? `${text.slice(0, MAX_FAILURE_CHARS - 1)}…` : text;
        }
    }
    const kind = error instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(error.name) ? error.name : 'an exception';
    return (`${kind} inside the gate; its details are kept out of this message because they may quote the records ` +
        '(re-run with debug logging to see them)');
}


/***/ }),

/***/ 9563:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bi: () => (/* binding */ DEFAULT_CONFIG_PATH),
/* harmony export */   PV: () => (/* binding */ DEFAULT_CONFIG),
/* harmony export */   WJ: () => (/* binding */ INPUT_DEFAULTS),
/* harmony export */   b1: () => (/* binding */ LIMITS)
/* harmony export */ });
const DEFAULT_CONFIG_PATH = '.github/agent-gate.yml';
const DEFAULT_CONFIG = {
    version: 1,
    key: 'agent-release-gate',
    records: {
        include: ['records/**/*.{yaml,yml,json,jsonl}'],
        // C2PA manifests are evidence replay receipts point at (hashed, never read as records)
        exclude: ['**/*.c2pa.json'],
        max_file_bytes: 1024 * 1024,
        max_evidence_bytes: 512 * 1024 * 1024,
        max_files: 5000,
        allow_empty: false
    },
    surfaces: {
        prompts: ['**/prompts/**', '**/*.prompt', '**/*.prompt.{md,txt,yaml,yml}'],
        model_routing: ['**/routing.{yaml,yml,json}', '**/model-routing/**', '**/models.{yaml,yml,json}'],
        tool_exposure: ['**/tools.{yaml,yml,json}', '**/tools/**', '**/mcp.{yaml,yml,json}', '**/mcp/**'],
        policy_bundle: ['**/policy/**', '**/policies/**', '**/*.rego']
    },
    roles: {},
    approvals: {
        accept_stale: false,
        required_roles: []
    },
    evals: {
        regression_slack: 0.05,
        confidence: 0.95,
        max_missing_share: 0.1,
        bootstrap_resamples: 2000,
        seed: 20260407,
        promptfoo: []
    },
    drift: {
        max_token_drift: 0.01,
        max_cost_drift: 0.005
    },
    agbom: {
        min_trust_score: 0.7
    },
    signals: {},
    integrity: {
        paths: ['.github/agent-gate.yml', '.github/agent-gate/**', '.github/workflows/**'],
        owner_role: 'release-manager'
    },
    rules: {}
};
/** Action input defaults (action.yml shows the same values). */
const INPUT_DEFAULTS = {
    config: DEFAULT_CONFIG_PATH,
    comment: 'always',
    failOn: 'follow_up',
    warnOnly: false,
    trustConfigFrom: 'base',
    decisionFile: 'agent-gate-decision.json',
    workingDirectory: '.'
};
/** Size limits of what the gate writes (GitHub's own limits, with margin). */
const LIMITS = {
    commentChars: 65_536,
    summaryBytes: 1024 * 1024,
    annotationsPerLevel: 10,
    /** record errors shown in the comment; every one is kept in the decision file */
    errorsInComment: 50
};


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
/** This tool's version, written into every decision (a test keeps it equal to package.json's). */
const VERSION = '0.1.0';


/***/ })

};
