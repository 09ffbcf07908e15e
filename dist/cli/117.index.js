export const id = 117;
export const ids = [117];
export const modules = {

/***/ 3117:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  exitCode: () => (/* binding */ exitCode),
  runCheck: () => (/* binding */ runCheck)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/read/parse.ts
var parse = __webpack_require__(379);
// EXTERNAL MODULE: ./src/read/text.ts
var read_text = __webpack_require__(7689);
;// CONCATENATED MODULE: ./src/github/event.ts
/**
 * The run's GitHub context: the runner's environment (GITHUB_*) and the event payload (GITHUB_EVENT_PATH),
 * turned into what the gate compares — the base and head commits, the pull request (if any) — with the
 * `base-ref` / `head-ref` overrides applied. Pure reading: no git, no API.
 */




const SUPPORTED_EVENTS = (/* unused pure expression or super */ null && ([
    'pull_request',
    'pull_request_target',
    'merge_group',
    'push',
    'workflow_dispatch'
]));
function readRunnerEnv(env) {
    const repository = env.GITHUB_REPOSITORY ?? '';
    const slash = repository.indexOf('/');
    return {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        eventPath: env.GITHUB_EVENT_PATH || null,
        repository: slash > 0 ? { owner: repository.slice(0, slash), repo: repository.slice(slash + 1) } : null,
        sha: env.GITHUB_SHA || null,
        ref: env.GITHUB_REF || null,
        workspace: env.GITHUB_WORKSPACE || process.cwd(),
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
        runId: env.GITHUB_RUN_ID || null,
        runAttempt: env.GITHUB_RUN_ATTEMPT || null
    };
}
function runLocation(runner) {
    if (!runner.repository)
        return { repository: null, repositoryUrl: null, runUrl: null };
    const repositoryUrl = `${runner.serverUrl}/${runner.repository.owner}/${runner.repository.repo}`;
    const runUrl = runner.runId
        ? `${repositoryUrl}/actions/runs/${runner.runId}` +
            (runner.runAttempt && runner.runAttempt !== '1' ? `/attempts/${runner.runAttempt}` : '')
        : null;
    return { repository: { serverUrl: runner.serverUrl, ...runner.repository }, repositoryUrl, runUrl };
}
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_SHA = /^0+$/;
/** A git revision given as an input: a ref name or SHA, nothing git could read as an option or range. */
function checkRevisionInput(name, value) {
    const ok = value.length <= 255 &&
        /^[A-Za-z0-9._/@-]+$/.test(value) &&
        !value.startsWith('-') &&
        !value.includes('..') &&
        !value.includes('//') &&
        !value.endsWith('/') &&
        !value.endsWith('.lock');
    if (!ok) {
        throw new SettingsError(`input ${name}: "${excerpt(maskSecrets(value), 80)}" is not a git ref or commit SHA (letters, digits and . _ / @ - only; no "..", no leading "-")`);
    }
    return value;
}
function revisionFromInput(name, value) {
    const checked = checkRevisionInput(name, value);
    return SHA.test(checked)
        ? { sha: checked, ref: null, origin: `input ${name}` }
        : { sha: null, ref: checked, origin: `input ${name}` };
}
function obj(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}
function str(value) {
    return typeof value === 'string' && value !== '' ? value : null;
}
function sha(value, where) {
    const s = str(value);
    if (s === null || !SHA.test(s))
        throw new SettingsError(`the ${where} in the event payload is not a commit SHA`);
    return s;
}
function readPayload(path) {
    if (path === null)
        throw new SettingsError('GITHUB_EVENT_PATH is not set: run the gate as a step of a GitHub Actions workflow');
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (error) {
        throw new SettingsError(`cannot read the event payload at GITHUB_EVENT_PATH (${error.code ?? 'error'})`);
    }
    try {
        const payload = obj(JSON.parse(text));
        if (payload)
            return payload;
    }
    catch {
        // reported below
    }
    throw new SettingsError('the event payload at GITHUB_EVENT_PATH is not a JSON object');
}
function isSupported(name) {
    return SUPPORTED_EVENTS.includes(name);
}
function pullRequestOf(payload, repository) {
    const pr = obj(payload.pull_request);
    if (!pr)
        throw new SettingsError('the event payload has no pull_request object');
    const head = obj(pr.head) ?? {};
    const base = obj(pr.base) ?? {};
    const number = typeof pr.number === 'number' ? pr.number : typeof payload.number === 'number' ? payload.number : NaN;
    if (!Number.isSafeInteger(number) || number <= 0)
        throw new SettingsError('the event payload has no pull request number');
    const headRepository = str(obj(head.repo)?.full_name);
    return {
        number,
        author: str(obj(pr.user)?.login)?.toLowerCase() ?? null,
        headSha: sha(head.sha, 'pull_request.head.sha'),
        headRef: str(head.ref) ?? '',
        baseSha: sha(base.sha, 'pull_request.base.sha'),
        baseRef: str(base.ref) ?? '',
        headRepository,
        fromFork: headRepository !== null && headRepository.toLowerCase() !== `${repository.owner}/${repository.repo}`.toLowerCase()
    };
}
/** "refs/heads/gh-readonly-queue/main/pr-104-929f82…" → 104 */
function queuedPullNumber(headRef) {
    const match = headRef ? /\/pr-(\d+)-[0-9a-f]+$/.exec(headRef) : null;
    return match ? Number(match[1]) : null;
}
/** Reads the payload and works out what to compare. Throws SettingsError for an unsupported event or a broken payload. */
function readEvent(runner, overrides) {
    const name = runner.eventName;
    if (!isSupported(name)) {
        throw new SettingsError(`agent-release-gate does not run on the "${name || '(unset)'}" event; supported events: ${SUPPORTED_EVENTS.join(', ')}`);
    }
    if (!runner.repository)
        throw new SettingsError('GITHUB_REPOSITORY is not set (expected "owner/repo")');
    const repository = runner.repository;
    const payload = readPayload(runner.eventPath);
    const defaultBranch = str(obj(payload.repository)?.default_branch);
    let pullRequest = null;
    let queued = null;
    let base;
    let head;
    let workingTreeCommits;
    switch (name) {
        case 'pull_request':
        case 'pull_request_target': {
            pullRequest = pullRequestOf(payload, repository);
            base = { sha: pullRequest.baseSha, ref: null, origin: 'pull_request.base.sha' };
            head = { sha: pullRequest.headSha, ref: null, origin: 'pull_request.head.sha' };
            // pull_request checks out the test merge commit (GITHUB_SHA); pull_request_target checks out the base branch
            workingTreeCommits =
                name === 'pull_request' ? [pullRequest.headSha, ...(runner.sha ? [runner.sha] : [])] : [pullRequest.headSha];
            break;
        }
        case 'merge_group': {
            const group = obj(payload.merge_group);
            if (!group)
                throw new SettingsError('the event payload has no merge_group object');
            base = { sha: sha(group.base_sha, 'merge_group.base_sha'), ref: null, origin: 'merge_group.base_sha' };
            head = { sha: sha(group.head_sha, 'merge_group.head_sha'), ref: null, origin: 'merge_group.head_sha' };
            queued = queuedPullNumber(str(group.head_ref));
            workingTreeCommits = [head.sha];
            break;
        }
        case 'push': {
            const after = str(payload.after);
            head =
                after && SHA.test(after) && !ZERO_SHA.test(after)
                    ? { sha: after, ref: null, origin: 'push after' }
                    : { sha: runner.sha, ref: runner.sha ? null : 'HEAD', origin: 'GITHUB_SHA' };
            const before = str(payload.before);
            // a new branch has no "before": compare with the default branch (when it is not the pushed branch)
            base =
                before && SHA.test(before) && !ZERO_SHA.test(before)
                    ? { sha: before, ref: null, origin: 'push before' }
                    : defaultBranchBase(defaultBranch, str(payload.ref));
            workingTreeCommits = head.sha ? [head.sha] : [];
            break;
        }
        case 'workflow_dispatch': {
            head = { sha: runner.sha, ref: runner.sha ? null : 'HEAD', origin: 'GITHUB_SHA' };
            base = defaultBranchBase(defaultBranch, str(payload.ref) ?? runner.ref);
            workingTreeCommits = runner.sha ? [runner.sha] : [];
            break;
        }
    }
    if (overrides.headRef) {
        head = revisionFromInput('head-ref', overrides.headRef);
        workingTreeCommits = head.sha ? [head.sha] : [];
    }
    if (overrides.baseRef)
        base = revisionFromInput('base-ref', overrides.baseRef);
    return { name, repository, pullRequest, queuedPullNumber: queued, base, head, workingTreeCommits, defaultBranch };
}
function defaultBranchBase(defaultBranch, ref) {
    if (!defaultBranch || ref === `refs/heads/${defaultBranch}`)
        return null;
    return { sha: null, ref: `refs/remotes/origin/${defaultBranch}`, origin: `the default branch (${defaultBranch})` };
}

;// CONCATENATED MODULE: ./src/github/api.ts
/**
 * The GitHub REST calls the gate makes, as a small interface: main.ts and the other src/github modules use
 * only this, so tests can inject a fake or point the Octokit implementation (client.ts) at a test server.
 * Shapes are trimmed to the fields the gate reads.
 */
/**
 * A failed API call: `status` is the HTTP status, or null when no answer came (timeout, connection reset).
 * The message names the operation and never contains the token.
 */
class api_GitHubApiError extends Error {
    operation;
    status;
    detail;
    unreadableBody;
    limited;
    constructor(operation, status, detail, details = {}) {
        super(details.unreadableBody !== undefined
            ? `${operation}: GitHub answered ${details.unreadableBody} with an unreadable body (${detail})`
            : `${operation}: ${status === null ? 'no answer' : `HTTP ${status}`} (${detail})`);
        this.operation = operation;
        this.status = status;
        this.detail = detail;
        this.name = 'GitHubApiError';
        this.unreadableBody = details.unreadableBody ?? null;
        this.limited = details.rateLimited ?? false;
    }
    /**
     * no answer, a server error, or an answer whose body was lost: the request may or may not have taken effect,
     * and what it returned is unknown
     */
    get uncertain() {
        return this.status === null || this.status >= 500 || this.unreadableBody !== null;
    }
    /** a 403/429 that is a rate limit the client gave up waiting for, not a missing permission */
    get rateLimited() {
        return this.limited || ((this.status === 403 || this.status === 429) && /rate limit/i.test(this.detail));
    }
}
function isApiError(error, ...statuses) {
    return error instanceof api_GitHubApiError && (statuses.length === 0 || statuses.includes(error.status ?? -1));
}

// EXTERNAL MODULE: ./src/settings/defaults.ts
var defaults = __webpack_require__(9563);
;// CONCATENATED MODULE: ./src/github/comments.ts
/**
 * One sticky comment per pull request and gate key, kept current.
 *
 * Ours is a comment whose last line is this gate's marker AND whose author is the token's own identity (a
 * marker typed into someone else's comment — a person's or another app's bot's — is ignored). The line before the
 * marker records the head commit the comment reports. The protocol tolerates re-runs, lost answers and concurrent runs:
 *   1. list every comment (all pages) and pick ours;
 *   2. none: create one (never retried blindly: after a timeout or 5xx we list again, since the POST may have
 *      landed). Some: update the oldest — unless this run's head is no longer the pull request's head, in
 *      which case the newer commit's run owns the comment and we leave it alone;
 *   3. list again; when concurrent runs each created one, keep the oldest, delete the others (ours only) and,
 *      if this run reports the current head, make sure the kept comment holds its result.
 * Failures to write are warnings (the decision and the exit status never depend on the comment), except a
 * rejected token (401), which is a configuration error.
 */




/** The login GITHUB_TOKEN writes as, on github.com and GitHub Enterprise Server. */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
const HEAD_LINE = /^<!-- agent-release-gate:head=([0-9a-f]{40}|[0-9a-f]{64}) -->$/;
const ATTEMPTS = 3;
const FORK_HELP = 'On a pull request from a fork GitHub gives the workflow a read-only token; see "Fork pull requests" in the README for the two-workflow pattern that posts the comment.';
/** The body as posted: the rendered comment with the head line inserted before the marker, within GitHub's size limit. */
function stickyBody(rendered, gateKey, headSha) {
    const marker = commentMarker(gateKey);
    const lines = rendered.replace(/\s+$/, '').split('\n');
    if (lines[lines.length - 1] === marker)
        lines.pop();
    const headLine = `<!-- agent-release-gate:head=${headSha} -->`;
    let content = lines.join('\n').replace(/\s+$/, '');
    const tail = `\n\n${headLine}\n${marker}`;
    if (content.length + tail.length > LIMITS.commentChars) {
        const note = '\n\n… (shortened to fit GitHub’s comment limit; the job summary has the full report)';
        content = content.slice(0, LIMITS.commentChars - tail.length - note.length);
        content = content.slice(0, Math.max(0, content.lastIndexOf('\n'))) + note;
    }
    return content + tail;
}
/** The head commit a comment of ours reports (the line before the marker), or null. */
function reportedHead(body) {
    const lines = body.replace(/\s+$/, '').split('\n');
    const line = (lines[lines.length - 2] ?? '').replace(/\r$/, '');
    return HEAD_LINE.exec(line)?.[1] ?? null;
}
/**
 * Whether the token wrote this comment. A user token knows its login (GET /user). An installation token cannot
 * ask (GET /user answers 403), so before its first write it is taken to be GITHUB_TOKEN: only
 * github-actions[bot] through the github-actions app counts — never another app's bot (renovate[bot] quoting
 * our marker), whose comment we must not edit. A GitHub App token learns its own bot login from the comment it
 * writes (`exact`), and settle() then folds that into the app's earlier comment.
 */
function writtenBy(comment, identity) {
    const user = comment.user;
    if (!user)
        return false;
    if (identity.kind === 'user' || identity.kind === 'exact')
        return user.login.toLowerCase() === identity.login.toLowerCase();
    return user.type === 'Bot' && user.login === ACTIONS_BOT_LOGIN;
}
function comments_short(sha) {
    return sha.slice(0, 7);
}
/** A rejected token is the user's configuration error, not a comment problem: it fails the run. */
function comments_rejectBadToken(error, action) {
    if (error instanceof GitHubApiError && error.status === 401) {
        throw new SettingsError(`GitHub rejected github-token while trying to ${action} (HTTP 401 Bad credentials): check the token (expired, revoked, or a secret that is not set)`);
    }
}
function writeFailure(error, action, log) {
    comments_rejectBadToken(error, action);
    let reason;
    if (error instanceof GitHubApiError && error.rateLimited) {
        reason = `could not ${action}: GitHub's rate limit did not clear within the gate's bounded wait (${error.message})`;
    }
    else if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404)) {
        reason =
            `could not ${action} (HTTP ${error.status}): the token lacks the \`pull-requests: write\` permission ` +
                `(\`issues: write\` works too). ${FORK_HELP} The decision and the check result are unchanged.`;
    }
    else {
        reason = `could not ${action}: ${error instanceof Error ? error.message : String(error)}. The decision and the check result are unchanged.`;
    }
    log.warning(reason);
    return { status: 'failed', reason };
}
async function upsertStickyComment(req) {
    const { api, repo, pullNumber, gateKey, headSha, log } = req;
    const body = stickyBody(req.body, gateKey, headSha);
    let identity;
    try {
        identity = await api.getAuthenticatedIdentity();
    }
    catch (error) {
        return writeFailure(error, 'read the token identity', log);
    }
    let currentHead; // undefined: not asked yet; null: unknown
    const pullHead = async () => {
        if (currentHead === undefined) {
            try {
                currentHead = (await api.getPull(repo, pullNumber)).headSha;
            }
            catch (error) {
                comments_rejectBadToken(error, `read pull request #${pullNumber}`);
                log.info(`could not read pull request #${pullNumber} to compare head commits (${error.message}); writing the comment`);
                currentHead = null;
            }
        }
        return currentHead;
    };
    let lastError = null;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        let ours;
        try {
            ours = (await api.listComments(repo, pullNumber)).filter((c) => hasMarker(c.body, gateKey) && writtenBy(c, identity));
        }
        catch (error) {
            if (error instanceof GitHubApiError && error.uncertain && attempt < ATTEMPTS) {
                lastError = error;
                continue;
            }
            return writeFailure(error, `list the comments of pull request #${pullNumber}`, log);
        }
        let written;
        let status;
        try {
            const existing = ours[0];
            if (!existing) {
                if (!req.mayCreate) {
                    return {
                        status: 'skipped',
                        reason: 'the gate passed and there is no earlier comment to update',
                        id: null,
                        url: null
                    };
                }
                written = await api.createComment(repo, pullNumber, body);
                status = 'created';
            }
            else {
                const head = await pullHead();
                if (head !== null && head !== headSha) {
                    const reason = `this run is for ${comments_short(headSha)} but the pull request's head is now ${comments_short(head)}: ` +
                        `the comment is left to that commit's run`;
                    log.info(reason);
                    return { status: 'skipped', reason, id: existing.id, url: existing.htmlUrl };
                }
                if (existing.body === body) {
                    written = existing;
                    status = 'unchanged';
                }
                else {
                    written = await api.updateComment(repo, existing.id, body);
                    status = 'updated';
                }
            }
        }
        catch (error) {
            if (error instanceof GitHubApiError && error.uncertain && attempt < ATTEMPTS) {
                // the write may have landed: list again rather than writing a second comment
                log.info(`writing the comment got no clear answer (${error.message}); checking what landed`);
                lastError = error;
                continue;
            }
            return writeFailure(error, ours.length === 0 ? `comment on pull request #${pullNumber}` : 'update the comment', log);
        }
        return settle(req, body, written, status, pullHead);
    }
    return writeFailure(lastError, `comment on pull request #${pullNumber}`, log);
}
/** After our write: collapse duplicates left by concurrent runs onto the oldest comment. */
async function settle(req, body, written, status, pullHead) {
    const { api, repo, pullNumber, gateKey, headSha, log } = req;
    // the comment we wrote tells us exactly who we are
    const me = written.user ? { kind: 'exact', login: written.user.login } : null;
    if (!me)
        return { status, id: written.id, url: written.htmlUrl };
    let ours;
    try {
        ours = (await api.listComments(repo, pullNumber)).filter((c) => hasMarker(c.body, gateKey) && writtenBy(c, me));
    }
    catch (error) {
        log.info(`could not re-read the comments to check for duplicates (${error.message})`);
        return { status, id: written.id, url: written.htmlUrl };
    }
    const kept = ours[0];
    if (!kept || ours.length === 1)
        return { status, id: kept?.id ?? written.id, url: kept?.htmlUrl ?? written.htmlUrl };
    for (const duplicate of ours.slice(1)) {
        try {
            await api.deleteComment(repo, duplicate.id);
        }
        catch (error) {
            // another run deleted it first (404), or we may not delete: either way not ours to worry about
            if (!(error instanceof GitHubApiError && error.status === 404)) {
                log.info(`could not delete duplicate comment ${duplicate.id} (${error.message})`);
            }
        }
    }
    log.info(`removed ${ours.length - 1} duplicate comment(s) left by concurrent runs; kept ${kept.id}`);
    if (kept.id === written.id)
        return { status, id: kept.id, url: kept.htmlUrl };
    const head = await pullHead();
    if (head !== null && head !== headSha) {
        return {
            status: 'skipped',
            reason: `a run for the newer head ${comments_short(head)} owns the comment`,
            id: kept.id,
            url: kept.htmlUrl
        };
    }
    if (kept.body === body)
        return { status: 'unchanged', id: kept.id, url: kept.htmlUrl };
    try {
        const updated = await api.updateComment(repo, kept.id, body);
        return { status: 'updated', id: updated.id, url: updated.htmlUrl };
    }
    catch (error) {
        return writeFailure(error, 'update the comment', log);
    }
}

;// CONCATENATED MODULE: ./src/github/reviews.ts


/** The review states GitHub reports (REST `state` of a pull request review). */
const REVIEW_STATES = [
    'APPROVED',
    'CHANGES_REQUESTED',
    'COMMENTED',
    'DISMISSED',
    'PENDING'
];
/**
 * GitHub's reviews → the engine's, ordered by id (the order they were given). A review whose author is gone
 * (a deleted account: `user: null`) or whose state is not one of REVIEW_STATES cannot grant anything and is
 * left out. Shared by the action and the CLI's --reviews file.
 */
function reviewsFromApi(reviews) {
    return reviews
        .filter((r) => r.login !== null && REVIEW_STATES.includes(r.state))
        .map((r) => ({
        id: r.id,
        user: r.login.toLowerCase(),
        state: r.state,
        commit_id: r.commitId,
        submitted_at: r.submittedAt,
        ...(r.bot ? { bot: true } : {})
    }))
        .sort((a, b) => a.id - b.id);
}
/**
 * Approvals that were not read. `readFailed`: there is a pull request but reading it failed (fails closed);
 * otherwise there is no pull request to read reviews from (a push, a manual run, a local check).
 */
function unavailableApprovals(reason, readFailed = false) {
    return {
        available: false,
        unavailable_reason: reason,
        ...(readFailed ? { read_failed: true } : {}),
        author: null,
        head_sha: null,
        reviews: [],
        teams: {}
    };
}
/** "org/team" names of every role in the configuration, lower-cased, sorted, without duplicates. */
function teamsInRoles(config) {
    const teams = new Set();
    for (const role of Object.values(config.roles))
        for (const team of role.teams ?? [])
            teams.add(team.toLowerCase());
    return [...teams].sort();
}
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
async function readApprovals(req) {
    const { api, repo, pullNumber, log } = req;
    let author = req.author;
    let headSha = req.headSha;
    if (author === null || headSha === null) {
        try {
            const pull = await api.getPull(repo, pullNumber);
            author ??= pull.author;
            headSha ??= pull.headSha;
        }
        catch (error) {
            rejectBadToken(error, `read pull request #${pullNumber}`);
            const reason = `could not read pull request #${pullNumber} (${message(error)})`;
            log.warning(`${reason}: approvals that the change needs cannot be shown and block the change`);
            return unavailableApprovals(reason, true);
        }
    }
    let reviews;
    try {
        reviews = reviewsFromApi(await api.listReviews(repo, pullNumber));
    }
    catch (error) {
        rejectBadToken(error, `read the reviews of pull request #${pullNumber}`);
        const hint = error instanceof GitHubApiError && !error.rateLimited && (error.status === 403 || error.status === 404)
            ? ': give the workflow `pull-requests: read`'
            : '';
        const reason = `could not read the reviews of pull request #${pullNumber} (${message(error)})${hint}`;
        log.warning(`${reason}: approvals that the change needs cannot be shown and block the change`);
        return { ...unavailableApprovals(reason, true), author: author?.toLowerCase() ?? null, head_sha: headSha };
    }
    const teams = {};
    const teamErrors = {};
    for (const team of req.teams) {
        const read = await readTeam(api, team, log);
        teams[team] = read.members;
        if (read.error !== null)
            teamErrors[team] = read.error;
    }
    return {
        available: true,
        author: author?.toLowerCase() ?? null,
        head_sha: headSha,
        reviews,
        teams,
        ...(Object.keys(teamErrors).length > 0 ? { team_errors: teamErrors } : {})
    };
}
/** A team's members, or null with why they could not be read. */
async function readTeam(api, team, log) {
    const [org, slug, ...rest] = team.split('/');
    if (!org || !slug || rest.length > 0) {
        log.warning(`role team "${team}" is not "org/team-slug": it grants no one`);
        return { members: null, error: 'the team is not named "org/team-slug"' };
    }
    try {
        return {
            members: [...new Set((await api.listTeamMembers(org, slug)).map((login) => login.toLowerCase()))].sort(),
            error: null
        };
    }
    catch (error) {
        rejectBadToken(error, `read the members of team ${team}`);
        const denied = error instanceof GitHubApiError && !error.rateLimited && (error.status === 403 || error.status === 404);
        log.warning(`could not read the members of team ${team} (${message(error)}): ` +
            (denied
                ? 'GITHUB_TOKEN cannot read organization teams. Name the role holders under `users:` in the role map, ' +
                    'or pass a token that may read members (a GitHub App with "Members: read", or a PAT with read:org). '
                : '') +
            'Approvals through this team do not count, and a change request by a reviewer who may be a member ' +
            'stands as a follow-up.');
        return {
            members: null,
            error: denied
                ? `${message(error)}: the token cannot read organization teams (GITHUB_TOKEN never can)`
                : message(error)
        };
    }
}

// EXTERNAL MODULE: ./src/pipeline.ts + 6 modules
var pipeline = __webpack_require__(754);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/read/diff.ts
/**
 * Changed files between two sources that are not two commits of one git repository
 * (the CLI's --base-dir/--head-dir mode): compared by listing, size and content digest.
 */

async function diffSources(base, head, maxBytes) {
    const [baseList, headList] = await Promise.all([base.list(), head.list()]);
    const baseByPath = new Map(baseList.map((e) => [e.path, e]));
    const headByPath = new Map(headList.map((e) => [e.path, e]));
    const changed = [];
    for (const [path, h] of headByPath) {
        const b = baseByPath.get(path);
        if (!b)
            changed.push({ path, status: 'added' });
        else if (await differs(base, head, b, h, maxBytes))
            changed.push({ path, status: 'modified' });
    }
    for (const path of baseByPath.keys())
        if (!headByPath.has(path))
            changed.push({ path, status: 'removed' });
    return changed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
async function differs(base, head, b, h, maxBytes) {
    if (b.type !== h.type)
        return true;
    if (b.type !== 'file')
        return false;
    try {
        // listings may not carry sizes: a stat is cheaper than reading both files to find they differ in length
        const [bs, hs] = await Promise.all([b.size ?? sizeOf(base, b.path), h.size ?? sizeOf(head, h.path)]);
        if (bs !== null && hs !== null && bs !== hs)
            return true;
        const [bd, hd] = await Promise.all([digest(base, b.path, maxBytes), digest(head, h.path, maxBytes)]);
        return bd !== hd;
    }
    catch {
        // unreadable or oversized on either side: count it as changed, so it is reviewed rather than ignored
        return true;
    }
}
async function sizeOf(source, path) {
    return (await source.stat(path))?.size ?? null;
}
async function digest(source, path, maxBytes) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of source.stream(path, maxBytes))
        hash.update(chunk);
    return hash.digest('hex');
}

// EXTERNAL MODULE: ./src/read/fs-source.ts
var fs_source = __webpack_require__(4659);
// EXTERNAL MODULE: ./src/read/git.ts + 1 modules
var git = __webpack_require__(7320);
// EXTERNAL MODULE: ./src/render/sarif.ts
var render_sarif = __webpack_require__(3729);
;// CONCATENATED MODULE: ./src/render/fit.ts
/**
 * Size limits: measure text the way each destination counts it, and cut at a line boundary as the last
 * resort (the staged renderers normally fit long before this is needed).
 */
/** UTF-8 byte length of a string, without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x80)
            bytes += 1;
        else if (c < 0x800)
            bytes += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
            const next = text.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff) {
                bytes += 4;
                i++;
            }
            else
                bytes += 3;
        }
        else
            bytes += 3;
    }
    return bytes;
}
/**
 * The longest prefix of `text`, ending at a line break, whose size (by `measure`) is at most `budget`.
 * Falls back to cutting inside the first line (at a code point boundary) when even that line is too long.
 */
function cutToLines(text, budget, measure) {
    if (measure(text) <= budget)
        return text;
    const lines = text.split('\n');
    const kept = [];
    let used = 0;
    for (const line of lines) {
        const size = measure(line) + (kept.length > 0 ? 1 : 0);
        if (used + size > budget)
            break;
        kept.push(line);
        used += size;
    }
    if (kept.length > 0)
        return kept.join('\n');
    let out = '';
    for (const point of lines[0] ?? '') {
        if (measure(out + point) > budget)
            break;
        out += point;
    }
    return out;
}
/** Remove an unclosed <details> block left by a cut, so the rest of the page is not swallowed by it. */
function closeOpenDetails(text) {
    const open = text.lastIndexOf('<details>');
    return open > text.lastIndexOf('</details>') ? text.slice(0, open).replace(/\s+$/, '') : text;
}

// EXTERNAL MODULE: ./src/model/finding.ts
var finding = __webpack_require__(1300);
// EXTERNAL MODULE: ./src/gate/context.ts
var context = __webpack_require__(2104);
// EXTERNAL MODULE: ./src/render/context.ts
var render_context = __webpack_require__(5611);
// EXTERNAL MODULE: ./src/render/escape.ts
var render_escape = __webpack_require__(7789);
;// CONCATENATED MODULE: ./src/render/format.ts

function group(integerDigits) {
    return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
/** 12345.6 → "12,346"; 2.5 → "2.5"; 0.812345 → "0.8123"; 1e-7 → "0.0000001"; NaN → "n/a". */
function formatNumber(n) {
    if (!Number.isFinite(n))
        return Number.isNaN(n) ? 'n/a' : n > 0 ? '∞' : '-∞';
    if (Object.is(n, -0))
        n = 0;
    const abs = Math.abs(n);
    const sign = n < 0 ? '-' : '';
    if (abs >= 1e21)
        return sign + abs.toExponential(3);
    if (abs >= 1000)
        return sign + group(Math.round(abs).toString());
    if (abs >= 1)
        return sign + trimZeros(abs.toFixed(3));
    if (abs === 0)
        return '0';
    // small values: four significant digits, never exponent notation
    const decimals = Math.min(20, Math.max(4, 3 - Math.floor(Math.log10(abs))));
    return sign + trimZeros(abs.toFixed(decimals));
}
function trimZeros(fixed) {
    return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
/** A delta with its sign: "+0.03", "-120", "0". */
function formatDelta(n) {
    if (n === null)
        return '—';
    const text = formatNumber(n);
    return n > 0 ? '+' + text : text;
}
/** A ratio as a percentage: 0.0123 → "1.23%". */
function formatPercent(ratio) {
    if (ratio === null || !Number.isFinite(ratio))
        return '—';
    const pct = ratio * 100;
    const text = Math.abs(pct) >= 100 ? Math.round(pct).toString() : trimZeros(pct.toFixed(2));
    return (text === '-0' ? '0' : text) + '%';
}
/** US dollars with enough precision for per-run costs: 0.0123 → "$0.0123", 12.5 → "$12.50". */
function formatUsd(n) {
    if (!Number.isFinite(n))
        return 'n/a';
    const sign = n < 0 ? '-' : '';
    const abs = Math.abs(n);
    if (abs < 1)
        return `${sign}$${formatNumber(abs)}`;
    const [whole, cents] = abs.toFixed(2).split('.');
    return `${sign}$${group(whole)}.${cents}`;
}
/** JSON with object keys in code-unit order, so the output does not depend on the order keys were written in. */
function stableJson(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value);
    if (Array.isArray(value))
        return `[${value.map(stableJson).join(',')}]`;
    return `{${Object.keys(value)
        .sort(context/* cmp */.r2)
        .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
        .join(',')}}`;
}
/** A JSON value in one line: numbers formatted, strings as written, flat objects as "key: value, …" (keys sorted). */
function formatJson(value) {
    if (value === undefined)
        return '';
    if (value === null)
        return 'null';
    if (typeof value === 'number')
        return formatNumber(value);
    if (typeof value === 'string')
        return value;
    if (typeof value === 'boolean')
        return String(value);
    const scalar = (v) => v === null || typeof v !== 'object';
    if (Array.isArray(value))
        return value.every(scalar) ? value.map((v) => formatJson(v)).join(', ') : stableJson(value);
    const keys = Object.keys(value).sort(context/* cmp */.r2);
    const flat = keys.every((k) => scalar(value[k]) || (Array.isArray(value[k]) && value[k].every(scalar)));
    if (!flat)
        return stableJson(value);
    return keys
        .map((k) => `${k}: ${Array.isArray(value[k]) ? `[${formatJson(value[k])}]` : formatJson(value[k])}`)
        .join(', ');
}
/** A short commit id for display. */
function shortSha(sha) {
    return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
}
/** "1 finding", "3 findings". */
function plural(n, one, many = one + 's') {
    return `${group(String(n))} ${n === 1 ? one : many}`;
}
/** Integer with thousands separators. */
function formatCount(n) {
    return group(String(n));
}
const CHANGE_ORDER = { added: 0, changed: 1, removed: 2 };
/** AgBOM components as reviewers read them: high-risk first, then added, changed, removed; then by key. */
function componentOrder(a, b) {
    return (Number(b.risks.length > 0) - Number(a.risks.length > 0) ||
        CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] ||
        (0,context/* cmp */.r2)(a.key, b.key));
}

;// CONCATENATED MODULE: ./src/render/markdown.ts






/** Items of an inline list (approvers, files, risks) shown before "+N more". */
const INLINE_ITEMS = 8;
const SEVERITY_HEADING = {
    deny: { icon: '⛔', one: 'Blocking finding', many: 'Blocking findings' },
    follow_up: { icon: '🟡', one: 'Follow-up', many: 'Follow-ups' },
    warning: { icon: 'ℹ️', one: 'Warning', many: 'Warnings' }
};
const VERDICT = {
    pass: '✅ pass',
    fail: '❌ fail',
    missing: '⚠️ missing',
    not_gated: '➖ not gated'
};
const COMPARATOR = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };
// ---------------------------------------------------------------------------------------------------------
// building blocks
function table(headers, rows) {
    const line = (cells) => '| ' + cells.map((c) => (c === '' ? ' ' : c)).join(' | ') + ' |';
    return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
/** A collapsible section. `summary` is our own plain text (no markdown is parsed inside <summary>). */
function details(summary, body) {
    const safeSummary = summary.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<details><summary>${safeSummary}</summary>\n\n${body}\n\n</details>`;
}
function more(shown, total, what, where) {
    return total > shown ? `… and ${formatCount(total - shown)} more ${what} ${where}.` : null;
}
function inlineList(values, p, inTable = true) {
    if (values.length === 0)
        return '—';
    const limit = Math.min(INLINE_ITEMS, p.evidenceRows);
    const shown = values.slice(0, limit).map((v) => (0,render_escape/* mdCode */.xs)(v, p.cell, { inTable }));
    if (values.length > limit)
        shown.push(`+${formatCount(values.length - limit)} more`);
    return shown.join(', ');
}
function fullReportWhere(p) {
    return p.medium === 'comment' ? 'in the full report' : (p.decisionWhere ?? 'in the decision file');
}
/** "records/x.yaml:12" linked to the blob at the right commit when possible. */
function where(location, d, ctx, p, withPointer, withColumn = false) {
    if (!location)
        return '—';
    const column = withColumn && location.line !== undefined && location.column !== undefined ? `:${location.column}` : '';
    const position = location.line !== undefined ? `:${location.line}${column}` : '';
    const label = (0,render_escape/* mdText */.bC)(location.file + position, p.cell);
    const url = (0,render_context/* blobUrl */.b0)(ctx, (0,render_context/* commitFor */.xt)(location, d.commits, ctx), location.file, location.line);
    let out = url ? `[${label}](${url})` : label;
    if (location.side === 'base')
        out += ' (base)';
    if (withPointer && location.pointer)
        out += ' ' + (0,render_escape/* mdCode */.xs)(location.pointer, p.cell, { inTable: true });
    return out;
}
function observedVsRequired(f, p) {
    if (f.observed === undefined && f.required === undefined)
        return (0,render_escape/* mdRich */.SZ)(f.message, p.cell, { inTable: true });
    const value = (v) => (v === undefined ? '—' : (0,render_escape/* mdCode */.xs)(formatJson(v), p.cell, { inTable: true }));
    return `${value(f.observed)} vs ${value(f.required)}`;
}
// ---------------------------------------------------------------------------------------------------------
// headline and footer
function gateLabel(d, p) {
    return d.gate_key === defaults/* DEFAULT_CONFIG */.PV.key ? 'Agent release gate' : `Agent release gate ${(0,render_escape/* mdCode */.xs)(d.gate_key, p.cell)}`;
}
function countsText(d) {
    return [
        plural(d.counts.deny, 'blocking', 'blocking'),
        plural(d.counts.follow_up, 'follow-up'),
        plural(d.counts.warning, 'warning')
    ].join(', ');
}
function filesWithErrors(errors) {
    return new Set(errors.map((e) => e.file)).size;
}
/** The first line: may this change merge, and how many findings say so. */
function headline(d, p) {
    const gate = gateLabel(d, p);
    if (d.outcome === 'internal_error') {
        return `### ⛔ ${gate}: the gate itself failed — no result, so this change may not merge`;
    }
    if (d.outcome === 'invalid_input') {
        const errors = d.errors.length;
        return (`### ⛔ ${gate}: records are malformed — this change may not merge ` +
            `(${plural(errors, 'error')} in ${plural(filesWithErrors(d.errors), 'file')})`);
    }
    switch (d.decision) {
        case 'allow':
            return `### ✅ ${gate}: allow — this change may merge (${countsText(d)})`;
        case 'follow_up':
            return `### 🟡 ${gate}: follow_up — this change may merge once a person acts on ${plural(d.counts.follow_up, 'follow-up')} (${countsText(d)})`;
        case 'deny':
            return `### ⛔ ${gate}: deny — this change may not merge (${countsText(d)})`;
    }
}
function intro(d, p) {
    if (d.outcome === 'internal_error') {
        const failure = d.failure ? (0,render_escape/* mdRich */.SZ)(d.failure, p.prose) : 'no details were recorded';
        return [
            `The gate could not finish: ${failure}.`,
            'This is a fault in the gate, not a judgement of your change. No decision was made, so the check fails closed. ' +
                'Re-run the job; if it fails again, report it with a link to the workflow run.'
        ].join('\n\n');
    }
    if (d.outcome === 'invalid_input') {
        return ('The gate could not judge this change because its records or configuration are malformed. ' +
            'It fails closed until they are fixed: correct each error below (file, line and field are given) and push again.');
    }
    return null;
}
function pointerToFullReport(ctx) {
    const hint = ctx.fullReportHint;
    const url = (0,render_context/* safeUrl */.Pl)(hint);
    if (url)
        return `📄 Full report: [job summary](${url})`;
    if (hint)
        return `📄 Full report: ${(0,render_escape/* mdText */.bC)(hint, 300)}`;
    const run = (0,render_context/* safeUrl */.Pl)(ctx.runUrl);
    if (run)
        return `📄 Full report: the job summary of [this workflow run](${run})`;
    return '📄 Full report: the decision file written by this run';
}
function footer(d, ctx, p) {
    const parts = [];
    const head = ctx.headSha ?? d.commits.head;
    if (head) {
        const label = (0,render_escape/* mdCode */.xs)(shortSha(head), 80);
        const url = (0,render_context/* commitUrl */.Bg)(ctx, head);
        parts.push(url ? `Head [${label}](${url})` : `Head ${label}`);
    }
    const run = (0,render_context/* safeUrl */.Pl)(ctx.runUrl);
    if (run)
        parts.push(`[Workflow run](${run})`);
    if (ctx.decisionDigest)
        parts.push(`Decision sha256 ${(0,render_escape/* mdCode */.xs)(ctx.decisionDigest, 80)}`);
    parts.push(`${(0,render_escape/* mdText */.bC)(d.tool.name, 60)} ${(0,render_escape/* mdText */.bC)(d.tool.version, 40)}`);
    const lines = ['---', parts.join(' · ')];
    if (p.medium === 'comment')
        lines.push(pointerToFullReport(ctx));
    return lines.join('\n\n');
}
// ---------------------------------------------------------------------------------------------------------
// findings and errors
function findingRow(f, d, ctx, p) {
    const what = (0,render_escape/* mdRich */.SZ)(f.title, p.cell, { inTable: true }) +
        (f.subject ? ' · ' + (0,render_escape/* mdCode */.xs)(f.subject, p.cell, { inTable: true }) : '');
    return [
        (0,render_escape/* mdCode */.xs)(f.rule, 80, { inTable: true }),
        what,
        observedVsRequired(f, p),
        where(f.location, d, ctx, p, p.medium === 'summary')
    ];
}
function findingDetail(f, d, ctx, p) {
    const at = f.location ? ` (${where(f.location, d, ctx, p, true)})` : '';
    return `- ${(0,render_escape/* mdCode */.xs)(f.rule, 80)}${at}: ${(0,render_escape/* mdRich */.SZ)(f.message, p.prose)} **Fix:** ${(0,render_escape/* mdRich */.SZ)(f.fix, p.prose)}`;
}
function findingSection(severity, all, d, ctx, p) {
    const findings = all.filter((f) => f.severity === severity);
    if (findings.length === 0)
        return null;
    const h = SEVERITY_HEADING[severity];
    const heading = `#### ${h.icon} ${findings.length === 1 ? h.one : h.many} (${formatCount(findings.length)})`;
    const asCounts = severity !== 'deny' && p.secondary === 'counts';
    if (asCounts) {
        return `${heading}\n\n${plural(findings.length, h.one.toLowerCase(), h.many.toLowerCase())} — listed ${fullReportWhere(p)}.`;
    }
    const shown = findings.slice(0, p.findingRows);
    const rows = shown.map((f) => findingRow(f, d, ctx, p));
    const tableText = table(['Rule', 'What', 'Observed vs required', 'Where'], rows);
    const rest = more(shown.length, findings.length, h.many.toLowerCase(), fullReportWhere(p));
    const explained = shown.map((f) => findingDetail(f, d, ctx, p)).join('\n');
    // in the comment, warnings never block: they stay folded, table and all
    if (severity === 'warning' && p.medium === 'comment') {
        if (!p.details)
            return `${heading}\n\n${plural(findings.length, 'warning')} (never blocking) — listed ${fullReportWhere(p)}.`;
        return [
            heading,
            details(`Show ${plural(findings.length, 'warning')}`, [tableText, ...(rest ? [rest] : []), explained].join('\n\n'))
        ].join('\n\n');
    }
    const blocks = [heading, tableText];
    if (rest)
        blocks.push(rest);
    if (p.details) {
        const summaryText = severity === 'deny' ? 'Why each one blocks, and how to fix it' : 'Details and how to resolve them';
        blocks.push(details(summaryText, explained));
    }
    return blocks.join('\n\n');
}
function errorSection(d, ctx, p) {
    if (d.errors.length === 0)
        return null;
    const invalid = d.outcome === 'invalid_input';
    const heading = invalid
        ? `#### ⛔ Record and configuration errors (${formatCount(d.errors.length)})`
        : `#### ⚠️ Problems reading records (${formatCount(d.errors.length)})`;
    const shown = d.errors.slice(0, p.errorRows);
    const rows = shown.map((e) => {
        const loc = { file: e.file };
        if (e.side)
            loc.side = e.side;
        if (e.line !== undefined)
            loc.line = e.line;
        if (e.column !== undefined)
            loc.column = e.column;
        return [
            where(loc, d, ctx, p, false, true),
            e.pointer !== undefined ? (0,render_escape/* mdCode */.xs)(e.pointer === '' ? '/' : e.pointer, p.cell, { inTable: true }) : '—',
            (0,render_escape/* mdCode */.xs)(e.code, 80, { inTable: true }) + ' ' + (0,render_escape/* mdRich */.SZ)(e.message, p.cell, { inTable: true }),
            e.hint ? (0,render_escape/* mdRich */.SZ)(e.hint, p.cell, { inTable: true }) : '—'
        ];
    });
    const blocks = [heading];
    if (!invalid)
        blocks.push('These files were left out of the comparison; they do not block on their own.');
    blocks.push(table(['Where', 'Field', 'Problem', 'Hint'], rows));
    if (d.errors.length > shown.length) {
        blocks.push(`… and ${formatCount(d.errors.length - shown.length)} more ${p.decisionWhere ?? 'in the decision file'}.`);
    }
    return blocks.join('\n\n');
}
// ---------------------------------------------------------------------------------------------------------
// evidence
function thresholdText(m) {
    if (!m.threshold)
        return '—';
    return (0,render_escape/* mdText */.bC)(`${COMPARATOR[m.threshold.comparator] ?? m.threshold.comparator} ${formatNumber(m.threshold.value)}`, 80);
}
function noiseText(m) {
    if (!m.noise)
        return m.base === null ? 'no base' : 'no per-case data';
    const [low, high] = m.noise.interval;
    const ci = `${m.noise.method} ${formatPercent(m.noise.confidence)} CI [${formatNumber(low)}, ${formatNumber(high)}]`;
    return (0,render_escape/* mdText */.bC)(`${m.noise.significant ? '❌ beyond noise' : '✅ within noise'} (${ci})`, 200);
}
function deltaText(m) {
    const delta = formatDelta(m.delta);
    if (m.regression !== null && m.regression > 0)
        return (0,render_escape/* mdText */.bC)(`${delta} (${formatPercent(m.regression)} worse)`, 80);
    return (0,render_escape/* mdText */.bC)(delta, 80);
}
function value(n) {
    return n === null ? '—' : (0,render_escape/* mdText */.bC)(formatNumber(n), 40);
}
function evalRows(evals, p) {
    const rows = [];
    let total = 0;
    for (const e of evals) {
        let name = (0,render_escape/* mdCode */.xs)(e.eval, p.cell, { inTable: true }) + (e.required ? ' (required)' : '');
        if (e.metrics.length === 0) {
            total++;
            if (rows.length < p.evidenceRows)
                rows.push([name, '—', '—', 'no results', '—', '—', VERDICT[e.verdict], '—']);
            continue;
        }
        for (const m of e.metrics) {
            total++;
            if (rows.length >= p.evidenceRows)
                continue;
            rows.push([
                name,
                (0,render_escape/* mdCode */.xs)(m.metric, p.cell, { inTable: true }) + (m.aggregate ? ' ' + (0,render_escape/* mdText */.bC)(`(${m.aggregate})`, 40) : ''),
                value(m.base),
                value(m.head),
                deltaText(m),
                thresholdText(m),
                VERDICT[m.verdict],
                noiseText(m)
            ]);
            // the eval's name once per group of rows
            name = '';
        }
    }
    return { rows, total };
}
function evalsSection(d, p) {
    const evals = d.evidence.evals;
    if (evals.length === 0)
        return null;
    const { rows, total } = evalRows(evals, p);
    const blocks = [
        '##### Evals: base → head',
        table(['Eval', 'Metric', 'Base', 'Head', 'Δ', 'Threshold', 'Verdict', 'Noise'], rows)
    ];
    const rest = more(rows.length, total, 'metrics', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    if (p.details) {
        const lines = evals.slice(0, p.evidenceRows).map((e) => `- ${(0,render_escape/* mdCode */.xs)(e.eval, p.cell)}: ${VERDICT[e.verdict]}` +
            (e.required_by.length > 0
                ? ` · required by ${e.required_by
                    .slice(0, INLINE_ITEMS)
                    .map((r) => (0,render_escape/* mdRich */.SZ)(r, p.cell))
                    .join('; ')}`
                : ' · not required by any record') +
            ` · cases base ${e.metrics[0]?.cases.base ?? '—'} / head ${e.metrics[0]?.cases.head ?? '—'}`);
        blocks.push(details('Why each eval is required', lines.join('\n')));
    }
    return blocks.join('\n\n');
}
const CHANGE_LABEL = {
    added: '➕ added',
    removed: '➖ removed',
    changed: '✏️ changed'
};
function versionText(side) {
    if (!side)
        return '—';
    return side.version === null ? 'unversioned' : side.version;
}
function agbomCounts(a) {
    const risky = a.components.filter((c) => c.risks.length > 0).length;
    return (`${formatCount(a.counts.base)} → ${formatCount(a.counts.head)} components: ` +
        `${formatCount(a.counts.added)} added, ${formatCount(a.counts.removed)} removed, ${formatCount(a.counts.changed)} changed, ` +
        `${formatCount(a.counts.unchanged)} unchanged; ${plural(risky, 'high-risk component')}`);
}
function agbomSection(d, p) {
    const a = d.evidence.agbom;
    if (!a)
        return null;
    const files = a.base_file === a.head_file
        ? a.head_file
            ? ` (${(0,render_escape/* mdCode */.xs)(a.head_file, p.cell)})`
            : ''
        : ` (${a.base_file ? (0,render_escape/* mdCode */.xs)(a.base_file, p.cell) : 'none'} → ${a.head_file ? (0,render_escape/* mdCode */.xs)(a.head_file, p.cell) : 'none'})`;
    const blocks = [`##### AgBOM: ${agbomCounts(a)}${files}`];
    const components = [...a.components].sort(componentOrder);
    if (components.length === 0)
        return blocks[0];
    const shown = components.slice(0, p.evidenceRows);
    const rows = shown.map((c) => [
        (0,render_escape/* mdCode */.xs)(c.name, p.cell, { inTable: true }) +
            (c.key !== c.name && p.medium === 'summary' ? ' ' + (0,render_escape/* mdCode */.xs)(c.key, p.cell, { inTable: true }) : ''),
        (0,render_escape/* mdText */.bC)(c.agent_kind, 40),
        CHANGE_LABEL[c.change],
        (0,render_escape/* mdCode */.xs)(versionText(c.base), p.cell, { inTable: true }) +
            ' → ' +
            (0,render_escape/* mdCode */.xs)(versionText(c.head), p.cell, { inTable: true }),
        c.risks.length > 0
            ? '⚠️ ' +
                c.risks
                    .slice(0, INLINE_ITEMS)
                    .map((r) => (0,render_escape/* mdRich */.SZ)(r, p.cell, { inTable: true }))
                    .join('; ')
            : '—'
    ]);
    blocks.push(table(['Component', 'Kind', 'Change', 'Version base → head', 'Risk'], rows));
    const rest = more(shown.length, components.length, 'components', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    const changed = shown.filter((c) => c.differences.length > 0);
    if (p.details && changed.length > 0) {
        const lines = changed.map((c) => `- ${(0,render_escape/* mdCode */.xs)(c.key, p.cell)}: ` +
            c.differences
                .slice(0, INLINE_ITEMS)
                .map((diff) => `${(0,render_escape/* mdCode */.xs)(diff.field, p.cell)} ${(0,render_escape/* mdCode */.xs)(formatJson(diff.base), p.cell)} → ${(0,render_escape/* mdCode */.xs)(formatJson(diff.head), p.cell)}`)
                .join('; ') +
            (c.differences.length > INLINE_ITEMS ? `; +${formatCount(c.differences.length - INLINE_ITEMS)} more` : ''));
        blocks.push(details('What changed in each component', lines.join('\n')));
    }
    return blocks.join('\n\n');
}
function driftRatio(drift, limit) {
    if (drift === null)
        return '—';
    return `${drift > limit ? '❌' : '✅'} ${formatPercent(drift)} (limit ${formatPercent(limit)})`;
}
function missingEvidence(r) {
    const parts = [];
    if (r.missing_capability_tokens.length > 0)
        parts.push(plural(r.missing_capability_tokens.length, 'capability token'));
    if (r.missing_manifests.length > 0)
        parts.push(plural(r.missing_manifests.length, 'C2PA manifest'));
    if (r.manifest_mismatches.length > 0)
        parts.push(plural(r.manifest_mismatches.length, 'manifest mismatch', 'manifest mismatches'));
    return parts.length === 0 ? '—' : '❌ ' + parts.join(', ');
}
function driftSection(d, p) {
    const runs = d.evidence.drift;
    if (runs.length === 0)
        return null;
    const failing = runs.filter((r) => !r.pass).length;
    const heading = `##### Replay drift: ${plural(runs.length, 'run')}, ${formatCount(failing)} failing`;
    const shown = runs.slice(0, p.evidenceRows);
    const rows = shown.map((r) => [
        (0,render_escape/* mdCode */.xs)(r.run_id, p.cell, { inTable: true }),
        (0,render_escape/* mdText */.bC)(`${formatCount(r.tokens.live)} → ${formatCount(r.tokens.replay)}`, 80),
        (0,render_escape/* mdText */.bC)(driftRatio(r.tokens.drift, r.tokens.limit), 80),
        (0,render_escape/* mdText */.bC)(`${formatUsd(r.cost.live)} → ${formatUsd(r.cost.replay)}`, 80),
        (0,render_escape/* mdText */.bC)(driftRatio(r.cost.drift, r.cost.limit), 80),
        r.verdict_mismatches.length > 0 ? `❌ ${formatCount(r.verdict_mismatches.length)}` : '—',
        missingEvidence(r),
        r.pass ? '✅ pass' : '❌ fail'
    ]);
    const blocks = [
        heading,
        table([
            'Run',
            'Tokens live → replay',
            'Token drift',
            'Cost live → replay',
            'Cost drift',
            'Verdict mismatches',
            'Missing evidence',
            'Result'
        ], rows)
    ];
    const rest = more(shown.length, runs.length, 'runs', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    const failingShown = shown.filter((r) => !r.pass);
    if (p.details && failingShown.length > 0) {
        const lines = [];
        for (const r of failingShown) {
            const steps = [];
            for (const m of r.verdict_mismatches.slice(0, p.evidenceRows)) {
                steps.push(`  - step ${(0,render_escape/* mdCode */.xs)(m.step_id, p.cell)}: policy verdict live ${(0,render_escape/* mdCode */.xs)(m.live, p.cell)} → replay ${(0,render_escape/* mdCode */.xs)(m.replay, p.cell)}`);
            }
            for (const s of r.missing_capability_tokens.slice(0, p.evidenceRows))
                steps.push(`  - step ${(0,render_escape/* mdCode */.xs)(s, p.cell)}: no capability token`);
            for (const s of r.missing_manifests.slice(0, p.evidenceRows))
                steps.push(`  - step ${(0,render_escape/* mdCode */.xs)(s, p.cell)}: no C2PA manifest`);
            for (const m of r.manifest_mismatches.slice(0, p.evidenceRows)) {
                steps.push(`  - step ${(0,render_escape/* mdCode */.xs)(m.step_id, p.cell)}: manifest ${(0,render_escape/* mdCode */.xs)(m.path, p.cell)} sha256 ${(0,render_escape/* mdCode */.xs)(shortSha(m.actual ?? 'missing'), 80)}, expected ${(0,render_escape/* mdCode */.xs)(shortSha(m.expected), 80)}`);
            }
            if (r.tokens.drift !== null && r.tokens.drift > r.tokens.limit)
                steps.push(`  - tokens drifted ${formatPercent(r.tokens.drift)} (limit ${formatPercent(r.tokens.limit)})`);
            if (r.cost.drift !== null && r.cost.drift > r.cost.limit)
                steps.push(`  - cost drifted ${formatPercent(r.cost.drift)} (limit ${formatPercent(r.cost.limit)})`);
            lines.push(`- ${(0,render_escape/* mdCode */.xs)(r.run_id, p.cell)} (${(0,render_escape/* mdText */.bC)(r.file, p.cell)})`, ...steps);
        }
        blocks.push(details('Which steps drifted', lines.join('\n')));
    }
    return blocks.join('\n\n');
}
function approverCell(r, p) {
    const parts = [];
    if (r.eligible.length > 0)
        parts.push(inlineList(r.eligible, p));
    if (r.unresolved_teams.length > 0)
        parts.push('members of ' + inlineList(r.unresolved_teams, p) + ' (membership unreadable)');
    return parts.length === 0 ? (r.satisfied ? '—' : '⚠️ nobody') : parts.join('; ');
}
function approvalsSection(d, p) {
    const roles = d.evidence.approvals;
    if (roles.length === 0)
        return null;
    const satisfied = roles.filter((r) => r.satisfied).length;
    const shown = roles.slice(0, p.evidenceRows);
    const rows = shown.map((r) => [
        (0,render_escape/* mdCode */.xs)(r.role, p.cell, { inTable: true }),
        r.satisfied ? '✅ approved' : '🟡 waiting',
        inlineList(r.approved_by, p),
        r.satisfied ? '—' : approverCell(r, p),
        r.required_by.length === 0
            ? '—'
            : r.required_by
                .slice(0, INLINE_ITEMS)
                .map((x) => (0,render_escape/* mdRich */.SZ)(x, p.cell, { inTable: true }))
                .join('; ')
    ]);
    const blocks = [
        `##### Approvals: ${formatCount(satisfied)} of ${plural(roles.length, 'role')} satisfied`,
        table(['Role', 'Status', 'Approved by', 'Can still approve', 'Required by'], rows)
    ];
    const rest = more(shown.length, roles.length, 'roles', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    return blocks.join('\n\n');
}
function chainSection(d, p) {
    const chains = d.evidence.chain;
    if (chains.length === 0)
        return null;
    const part = (v) => (v === null ? '⚠️ *missing*' : (0,render_escape/* mdCode */.xs)(v, p.cell));
    const lines = chains
        .slice(0, p.evidenceRows)
        .map((c) => `- ${part(c.change_id)} → ${part(c.bundle_id)} → ${part(c.rollout_wave)}` +
        ` · review ${part(c.review_id)} · gate ${part(c.gate_id)} · decision ${part(c.decision)}`);
    const rest = more(lines.length, chains.length, 'changes', fullReportWhere(p));
    return ['##### Change → bundle → rollout wave', lines.join('\n'), ...(rest ? [rest] : [])].join('\n\n');
}
function rolloutSection(d, p) {
    const r = d.evidence.rollout;
    if (!r)
        return null;
    const list = (values) => (values.length === 0 ? 'none' : inlineList(values, p, false));
    const evidenced = r.required_checks.filter((c) => c.evidenced).length;
    const lines = [
        `- Missing required evidence: ${r.missing_required.length > 0 ? '❌ ' : '✅ '}${list(r.missing_required)}`,
        `- Blocking signals: ${r.blocking_signals.length > 0 ? '❌ ' : '✅ '}${list(r.blocking_signals)}`,
        `- Required checks evidenced: ${formatCount(evidenced)} of ${formatCount(r.required_checks.length)}`
    ];
    if (r.rollout_mode) {
        const entries = Object.keys(r.rollout_mode)
            .sort(context/* cmp */.r2)
            .map((k) => `${k}: ${formatJson(r.rollout_mode[k])}`);
        lines.push(`- Rollout mode: ${inlineList(entries, p, false)}`);
    }
    const blocks = ['##### Rollout readiness', lines.join('\n')];
    if (p.details && r.required_checks.length > 0) {
        const rows = r.required_checks
            .slice(0, p.evidenceRows)
            .map((c) => [
            (0,render_escape/* mdCode */.xs)(c.check, p.cell, { inTable: true }),
            c.evidenced ? '✅ yes' : '❌ no',
            c.source ? (0,render_escape/* mdRich */.SZ)(c.source, p.cell, { inTable: true }) : '—'
        ]);
        blocks.push(details('Required checks and their evidence', table(['Check', 'Evidenced', 'Source'], rows)));
    }
    return blocks.join('\n\n');
}
function surfacesSection(d, p) {
    const surfaces = d.evidence.review.surfaces;
    if (surfaces.length === 0)
        return null;
    const shown = surfaces.slice(0, p.evidenceRows);
    const rows = shown.map((s) => [
        (0,render_escape/* mdCode */.xs)(s.surface, p.cell, { inTable: true }),
        inlineList(s.files, p),
        s.covered_by.length > 0 ? '✅ ' + inlineList(s.covered_by, p) : '❌ not covered by a change review record'
    ]);
    const blocks = ['##### Changed surfaces', table(['Surface', 'Changed files', 'Covered by'], rows)];
    const rest = more(shown.length, surfaces.length, 'surfaces', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    return blocks.join('\n\n');
}
function signalsSection(d, p) {
    const signals = d.evidence.signals;
    if (signals.length === 0 || p.medium !== 'summary')
        return null;
    const shown = signals.slice(0, p.evidenceRows);
    const rows = shown.map((s) => [
        (0,render_escape/* mdCode */.xs)(s.name, p.cell, { inTable: true }),
        s.value === null ? '⚠️ unknown' : s.value ? '✅ true' : '❌ false',
        (0,render_escape/* mdRich */.SZ)(s.source, p.cell, { inTable: true })
    ]);
    const blocks = ['##### Signals', table(['Signal', 'Value', 'Source'], rows)];
    const rest = more(shown.length, signals.length, 'signals', fullReportWhere(p));
    if (rest)
        blocks.push(rest);
    return blocks.join('\n\n');
}
/** One line per evidence family: what the tables would show, in counts. */
function evidenceCounts(d) {
    const e = d.evidence;
    const lines = [];
    if (e.evals.length > 0) {
        const metrics = e.evals.flatMap((x) => x.metrics);
        const failing = metrics.filter((m) => m.verdict === 'fail').length;
        const missing = e.evals.filter((x) => x.verdict === 'missing').length;
        lines.push(`- Evals: ${plural(metrics.length, 'metric')} in ${plural(e.evals.length, 'eval')}; ${formatCount(failing)} failing, ${formatCount(missing)} without results`);
    }
    if (e.agbom)
        lines.push(`- AgBOM: ${agbomCounts(e.agbom)}`);
    if (e.drift.length > 0)
        lines.push(`- Replay drift: ${plural(e.drift.length, 'run')}, ${formatCount(e.drift.filter((r) => !r.pass).length)} failing`);
    if (e.approvals.length > 0) {
        lines.push(`- Approvals: ${formatCount(e.approvals.filter((r) => r.satisfied).length)} of ${plural(e.approvals.length, 'role')} satisfied`);
    }
    if (e.chain.length > 0)
        lines.push(`- Change chains: ${formatCount(e.chain.length)}`);
    if (e.rollout) {
        lines.push(`- Rollout: ${formatCount(e.rollout.missing_required.length)} missing required, ${plural(e.rollout.blocking_signals.length, 'blocking signal')}`);
    }
    if (e.review.surfaces.length > 0) {
        const uncovered = e.review.surfaces.filter((s) => s.covered_by.length === 0).length;
        lines.push(`- Changed surfaces: ${formatCount(e.review.surfaces.length)}, ${formatCount(uncovered)} not covered`);
    }
    return lines.length === 0 ? null : lines.join('\n');
}
function evidenceSection(d, p) {
    if (d.outcome !== 'evaluated')
        return null;
    if (p.evidence === 'counts') {
        const counts = evidenceCounts(d);
        return counts ? `#### Evidence: base → head\n\n${counts}\n\nThe evidence tables are ${fullReportWhere(p)}.` : null;
    }
    const parts = [
        evalsSection(d, p),
        agbomSection(d, p),
        driftSection(d, p),
        approvalsSection(d, p),
        chainSection(d, p),
        rolloutSection(d, p),
        surfacesSection(d, p),
        signalsSection(d, p)
    ].filter((x) => x !== null);
    return parts.length === 0 ? null : ['#### Evidence: base → head', ...parts].join('\n\n');
}
// ---------------------------------------------------------------------------------------------------------
// summary-only sections
function familiesSection(d) {
    if (d.outcome !== 'evaluated')
        return null;
    const status = {
        pass: '✅ pass',
        follow_up: '🟡 follow_up',
        deny: '⛔ deny',
        skipped: '➖ skipped'
    };
    const rows = finding/* FAMILIES */.B.map((f) => {
        const s = d.families[f];
        return [
            f,
            status[s.status] ?? s.status,
            formatCount(s.findings),
            formatCount(s.deny),
            formatCount(s.follow_up),
            formatCount(s.warning)
        ];
    });
    return ['#### Rule families', table(['Family', 'Status', 'Findings', 'Deny', 'Follow-up', 'Warning'], rows)].join('\n\n');
}
function inputsSection(d, ctx, p) {
    if (d.inputs.length === 0 && !d.config.file)
        return null;
    const config = d.config.file
        ? `Configuration: ${(0,render_escape/* mdCode */.xs)(d.config.file, p.cell)} from the ${d.config.side} side` +
            (d.config.sha256 ? ` (sha256 ${(0,render_escape/* mdCode */.xs)(d.config.sha256, 80)})` : '')
        : 'Configuration: built-in defaults (no configuration file)';
    const commits = ctx.compared
        ? `Compared: base ${(0,render_escape/* mdCode */.xs)(ctx.compared.base, p.cell)} → head ${(0,render_escape/* mdCode */.xs)(ctx.compared.head, p.cell)}`
        : `Commits: base ${d.commits.base ? (0,render_escape/* mdCode */.xs)(shortSha(d.commits.base), 80) : 'none'} → head ${d.commits.head ? (0,render_escape/* mdCode */.xs)(shortSha(d.commits.head), 80) : 'working tree'}`;
    const blocks = ['#### Inputs', `${config}\n\n${commits}`];
    if (p.details && d.inputs.length > 0) {
        const shown = d.inputs.slice(0, p.evidenceRows);
        const rows = shown.map((i) => [
            (0,render_escape/* mdCode */.xs)(i.path, p.cell, { inTable: true }),
            i.side,
            (0,render_escape/* mdText */.bC)(i.kind, 40),
            formatCount(i.bytes),
            (0,render_escape/* mdCode */.xs)(i.sha256.slice(0, 12), 20, { inTable: true })
        ]);
        let body = table(['File', 'Side', 'Kind', 'Bytes', 'sha256'], rows);
        const rest = more(shown.length, d.inputs.length, 'files', p.decisionWhere ?? 'in the decision file');
        if (rest)
            body += '\n\n' + rest;
        blocks.push(details(`${plural(d.inputs.length, 'file')} read`, body));
    }
    return blocks.join('\n\n');
}
/** The report for one profile. The caller adds the marker (comment) and checks the size. */
function renderReport(d, ctx, profile) {
    const p = ctx.decisionWhere === undefined ? profile : { ...profile, decisionWhere: ctx.decisionWhere };
    const blocks = [headline(d, p)];
    if (p.stage > 0) {
        blocks.push(p.medium === 'comment'
            ? '> ℹ️ Shortened to fit GitHub’s comment size limit. Everything is in the full report linked below.'
            : `> ℹ️ Shortened to fit the job summary size limit. Everything is ${p.decisionWhere ?? 'in the decision file'}.`);
    }
    blocks.push(intro(d, p));
    if (d.outcome === 'invalid_input')
        blocks.push(errorSection(d, ctx, p));
    if (d.outcome !== 'internal_error') {
        blocks.push(findingSection('deny', d.findings, d, ctx, p));
        blocks.push(findingSection('follow_up', d.findings, d, ctx, p));
        blocks.push(findingSection('warning', d.findings, d, ctx, p));
    }
    if (d.outcome === 'evaluated' && d.decision === 'allow' && d.findings.length === 0) {
        blocks.push('Every rule family passed: no blocking findings, no follow-ups, no warnings.');
    }
    if (d.outcome === 'evaluated')
        blocks.push(errorSection(d, ctx, p));
    blocks.push(evidenceSection(d, p));
    if (p.medium === 'summary') {
        blocks.push(familiesSection(d));
        blocks.push(inputsSection(d, ctx, p));
    }
    return { body: blocks.filter((b) => b !== null).join('\n\n'), footer: footer(d, ctx, p) };
}

;// CONCATENATED MODULE: ./src/render/summary.ts



const COMPLETE = {
    medium: 'summary',
    stage: 0,
    cell: 300,
    prose: 2000,
    findingRows: 1000,
    evidenceRows: 1000,
    errorRows: 1000,
    details: true,
    evidence: 'tables',
    secondary: 'tables'
};
const SUMMARY_STAGES = [
    COMPLETE,
    { ...COMPLETE, stage: 1, details: false },
    { ...COMPLETE, stage: 2, details: false, findingRows: 200, evidenceRows: 200, errorRows: 200, cell: 200, prose: 600 },
    {
        ...COMPLETE,
        stage: 3,
        details: false,
        evidence: 'counts',
        findingRows: 200,
        evidenceRows: 200,
        errorRows: 200,
        cell: 200,
        prose: 600
    },
    {
        ...COMPLETE,
        stage: 4,
        details: false,
        evidence: 'counts',
        secondary: 'counts',
        findingRows: 50,
        errorRows: 50,
        cell: 120,
        prose: 300
    }
];
function renderSummary(decision, ctx) {
    for (const profile of SUMMARY_STAGES) {
        const { body, footer } = renderReport(decision, ctx, profile);
        const text = `${body}\n\n${footer}\n`;
        if (utf8Length(text) <= defaults/* LIMITS */.b1.summaryBytes)
            return text;
    }
    const last = renderReport(decision, ctx, SUMMARY_STAGES[SUMMARY_STAGES.length - 1]);
    const tail = `\n\n${last.footer}\n`;
    const body = closeOpenDetails(cutToLines(last.body, defaults/* LIMITS */.b1.summaryBytes - utf8Length(tail), utf8Length));
    return body + tail;
}

;// CONCATENATED MODULE: ./src/render/terminal.ts


/** Items per evidence list before "… and N more". Findings and errors are listed up to their own caps. */
const EVIDENCE_ITEMS = 50;
const MAX_FINDINGS = 2000;
const MAX_ERRORS = 1000;
const SGR = { bold: '1', dim: '2', red: '31', yellow: '33', green: '32', cyan: '36' };
function createOut(color, rest = 'in the decision file') {
    return {
        lines: [],
        rest,
        paint(text, ...styles) {
            if (!color || styles.length === 0)
                return text;
            return `\u001B[${styles.map((s) => SGR[s]).join(';')}m${text}\u001B[0m`;
        }
    };
}
/** Record text for the terminal. */
const t = (value, max = 500) => (0,render_escape/* logText */.kc)(value, max);
/**
 * Text the engine wrote with `code` spans around names (a finding's title, message, fix and requirement; see
 * mdRich): the backticks are Markdown, so the terminal shows the names without them. They go before logText
 * runs, so that dropping one cannot join two halves of a workflow command.
 */
const rich = (value, max = 500) => t(value.replace(/`([^`\n]+)`/g, '$1'), max);
const MARK = {
    deny: { symbol: '✖', style: 'red', heading: 'Blocking findings' },
    follow_up: { symbol: '●', style: 'yellow', heading: 'Follow-ups' },
    warning: { symbol: '○', style: 'cyan', heading: 'Warnings' }
};
function locationText(location) {
    const position = location.line !== undefined
        ? `:${location.line}` + (location.column !== undefined ? `:${location.column}` : '')
        : '';
    const side = location.side === 'base' ? ' (base)' : '';
    const pointer = location.pointer ? ` ${t(location.pointer, 200)}` : '';
    return `${t(location.file, 300)}${position}${side}${pointer}`;
}
function terminal_headline(d, out) {
    const counts = `${plural(d.counts.deny, 'blocking', 'blocking')}, ${plural(d.counts.follow_up, 'follow-up')}, ${plural(d.counts.warning, 'warning')}`;
    if (d.outcome === 'internal_error')
        return out.paint('⛔ GATE FAILED', 'bold', 'red') + ' — no result, so this change may not merge';
    if (d.outcome === 'invalid_input') {
        const files = new Set(d.errors.map((e) => e.file)).size;
        return (out.paint('⛔ INVALID RECORDS', 'bold', 'red') +
            ` — this change may not merge (${plural(d.errors.length, 'error')} in ${plural(files, 'file')})`);
    }
    switch (d.decision) {
        case 'allow':
            return out.paint('✅ ALLOW', 'bold', 'green') + ` — this change may merge (${counts})`;
        case 'follow_up':
            return (out.paint('🟡 FOLLOW_UP', 'bold', 'yellow') +
                ` — this change needs a person's action before it may merge (${counts})`);
        case 'deny':
            return out.paint('⛔ DENY', 'bold', 'red') + ` — this change may not merge (${counts})`;
    }
}
function findings(d, severity, out) {
    const list = d.findings.filter((f) => f.severity === severity);
    if (list.length === 0)
        return;
    const mark = MARK[severity];
    out.lines.push('', out.paint(`${mark.heading} (${formatCount(list.length)})`, 'bold'));
    for (const f of list.slice(0, MAX_FINDINGS))
        terminal_finding(f, mark, out);
    if (list.length > MAX_FINDINGS)
        out.lines.push(`  … and ${formatCount(list.length - MAX_FINDINGS)} more ${out.rest}`);
}
function terminal_finding(f, mark, out) {
    const subject = f.subject ? out.paint(` · ${t(f.subject, 200)}`, 'dim') : '';
    out.lines.push(`  ${out.paint(mark.symbol, mark.style)} ${out.paint(t(f.rule, 80), 'bold')}  ${rich(f.title, 300)}${subject}`);
    out.lines.push(`    ${rich(f.message, 2000)}`);
    if (f.observed !== undefined || f.required !== undefined) {
        const observed = f.observed === undefined ? '—' : t(formatJson(f.observed), 300);
        const required = f.required === undefined
            ? '—'
            : typeof f.required === 'string'
                ? rich(f.required, 300)
                : t(formatJson(f.required), 300);
        out.lines.push(`    observed ${observed}, required ${required}`);
    }
    if (f.location)
        out.lines.push(`    ${out.paint('at', 'dim')} ${locationText(f.location)}`);
    out.lines.push(`    ${out.paint('fix:', 'dim')} ${rich(f.fix, 2000)}`);
}
function terminal_errors(d, out) {
    if (d.errors.length === 0)
        return;
    const heading = d.outcome === 'invalid_input'
        ? 'Record and configuration errors'
        : 'Problems reading records (left out of the comparison)';
    out.lines.push('', out.paint(`${heading} (${formatCount(d.errors.length)})`, 'bold'));
    for (const e of d.errors.slice(0, MAX_ERRORS)) {
        const loc = { file: e.file };
        if (e.side)
            loc.side = e.side;
        if (e.line !== undefined)
            loc.line = e.line;
        if (e.column !== undefined)
            loc.column = e.column;
        if (e.pointer !== undefined)
            loc.pointer = e.pointer;
        out.lines.push(`  ${out.paint('✖', 'red')} ${locationText(loc)}  ${out.paint(t(e.code, 80), 'dim')}`);
        out.lines.push(`    ${t(e.message, 2000)}`);
        if (e.hint)
            out.lines.push(`    ${out.paint('hint:', 'dim')} ${t(e.hint, 1000)}`);
    }
    if (d.errors.length > MAX_ERRORS)
        out.lines.push(`  … and ${formatCount(d.errors.length - MAX_ERRORS)} more ${out.rest}`);
}
function terminal_more(total, out) {
    if (total > EVIDENCE_ITEMS)
        out.lines.push(`    … and ${formatCount(total - EVIDENCE_ITEMS)} more ${out.rest}`);
}
const VERDICT_STYLE = { pass: 'green', fail: 'red', missing: 'yellow', not_gated: 'dim' };
function evals(list, out) {
    if (list.length === 0)
        return;
    out.lines.push(`  ${out.paint('Evals', 'bold')} (base → head)`);
    let shown = 0;
    let total = 0;
    for (const e of list) {
        const name = t(e.eval, 200) + (e.required ? ' (required)' : '');
        if (e.metrics.length === 0) {
            total++;
            if (shown++ < EVIDENCE_ITEMS)
                out.lines.push(`    ${name}  no results  ${out.paint(e.verdict, VERDICT_STYLE[e.verdict])}`);
            continue;
        }
        for (const m of e.metrics) {
            total++;
            if (shown++ >= EVIDENCE_ITEMS)
                continue;
            const values = `${m.base === null ? '—' : formatNumber(m.base)} → ${m.head === null ? '—' : formatNumber(m.head)}`;
            const delta = `Δ ${formatDelta(m.delta)}` +
                (m.regression !== null && m.regression > 0 ? ` (${formatPercent(m.regression)} worse)` : '');
            const threshold = m.threshold
                ? `threshold ${m.threshold.comparator} ${formatNumber(m.threshold.value)}`
                : 'no threshold';
            const noise = m.noise
                ? `${m.noise.significant ? 'beyond noise' : 'within noise'} (${m.noise.method} ${formatPercent(m.noise.confidence)} CI [${formatNumber(m.noise.interval[0])}, ${formatNumber(m.noise.interval[1])}])`
                : 'no noise test';
            out.lines.push(`    ${name}  ${t(m.metric, 200)} (${t(m.aggregate, 40)})  ${values}  ${delta}  ${threshold}  ` +
                `${out.paint(m.verdict, VERDICT_STYLE[m.verdict])}  ${noise}`);
        }
    }
    terminal_more(total, out);
}
function drift(runs, out) {
    if (runs.length === 0)
        return;
    out.lines.push(`  ${out.paint('Replay drift', 'bold')} (${plural(runs.length, 'run')}, ${formatCount(runs.filter((r) => !r.pass).length)} failing)`);
    for (const r of runs.slice(0, EVIDENCE_ITEMS)) {
        const ratio = (drift, limit) => drift === null ? '—' : `${formatPercent(drift)}, limit ${formatPercent(limit)}`;
        out.lines.push(`    ${t(r.run_id, 200)}  tokens ${formatCount(r.tokens.live)} → ${formatCount(r.tokens.replay)} (${ratio(r.tokens.drift, r.tokens.limit)})` +
            `  cost ${formatUsd(r.cost.live)} → ${formatUsd(r.cost.replay)} (${ratio(r.cost.drift, r.cost.limit)})  ` +
            out.paint(r.pass ? 'pass' : 'fail', r.pass ? 'green' : 'red'));
        for (const m of r.verdict_mismatches.slice(0, EVIDENCE_ITEMS)) {
            out.lines.push(`      step ${t(m.step_id, 200)}: policy verdict live ${t(m.live, 100)} → replay ${t(m.replay, 100)}`);
        }
        for (const s of r.missing_capability_tokens.slice(0, EVIDENCE_ITEMS))
            out.lines.push(`      step ${t(s, 200)}: no capability token`);
        for (const s of r.missing_manifests.slice(0, EVIDENCE_ITEMS))
            out.lines.push(`      step ${t(s, 200)}: no C2PA manifest`);
        for (const m of r.manifest_mismatches.slice(0, EVIDENCE_ITEMS)) {
            out.lines.push(`      step ${t(m.step_id, 200)}: manifest ${t(m.path, 300)} sha256 ${t(shortSha(m.actual ?? 'missing'), 80)}, expected ${t(shortSha(m.expected), 80)}`);
        }
    }
    terminal_more(runs.length, out);
}
function evidence(d, out) {
    const e = d.evidence;
    const start = out.lines.length;
    out.lines.push('', out.paint('Evidence', 'bold'));
    const before = out.lines.length;
    evals(e.evals, out);
    if (e.agbom) {
        const a = e.agbom;
        out.lines.push(`  ${out.paint('AgBOM', 'bold')} ${formatCount(a.counts.base)} → ${formatCount(a.counts.head)} components: ` +
            `${formatCount(a.counts.added)} added, ${formatCount(a.counts.removed)} removed, ${formatCount(a.counts.changed)} changed, ${formatCount(a.counts.unchanged)} unchanged`);
        const sign = { added: '+', removed: '-', changed: '~' };
        const components = [...a.components].sort(componentOrder);
        for (const c of components.slice(0, EVIDENCE_ITEMS)) {
            const version = (side) => side ? (side.version === null ? 'unversioned' : t(side.version, 100)) : '—';
            const risk = c.risks.length > 0 ? '  ' + out.paint('⚠ ' + c.risks.map((r) => t(r, 300)).join('; '), 'yellow') : '';
            out.lines.push(`    ${sign[c.change]} ${t(c.name, 200)} (${t(c.agent_kind, 40)})  ${version(c.base)} → ${version(c.head)}${risk}`);
        }
        terminal_more(components.length, out);
    }
    drift(e.drift, out);
    if (e.approvals.length > 0) {
        out.lines.push(`  ${out.paint('Approvals', 'bold')}`);
        for (const r of e.approvals.slice(0, EVIDENCE_ITEMS)) {
            const list = (xs) => xs.length === 0
                ? '—'
                : xs
                    .slice(0, 10)
                    .map((x) => t(x, 100))
                    .join(', ') + (xs.length > 10 ? ` +${xs.length - 10} more` : '');
            const status = r.satisfied ? out.paint('approved', 'green') : out.paint('waiting', 'yellow');
            const still = r.satisfied
                ? ''
                : `  can approve: ${list(r.eligible)}` +
                    (r.unresolved_teams.length > 0 ? ` (unreadable teams: ${list(r.unresolved_teams)})` : '');
            out.lines.push(`    ${t(r.role, 100)}  ${status}  approved by: ${list(r.approved_by)}${still}`);
        }
        terminal_more(e.approvals.length, out);
    }
    if (e.chain.length > 0) {
        out.lines.push(`  ${out.paint('Change → bundle → rollout wave', 'bold')}`);
        const part = (v) => (v === null ? out.paint('missing', 'yellow') : t(v, 200));
        for (const c of e.chain.slice(0, EVIDENCE_ITEMS)) {
            out.lines.push(`    ${part(c.change_id)} → ${part(c.bundle_id)} → ${part(c.rollout_wave)}  (review ${part(c.review_id)}, gate ${part(c.gate_id)}, decision ${part(c.decision)})`);
        }
        terminal_more(e.chain.length, out);
    }
    if (e.rollout) {
        const list = (xs) => xs.length === 0
            ? 'none'
            : xs
                .slice(0, EVIDENCE_ITEMS)
                .map((x) => t(x, 100))
                .join(', ');
        out.lines.push(`  ${out.paint('Rollout', 'bold')} missing required: ${list(e.rollout.missing_required)}; blocking signals: ${list(e.rollout.blocking_signals)}`);
    }
    const uncovered = e.review.surfaces.filter((s) => s.covered_by.length === 0);
    if (e.review.surfaces.length > 0) {
        out.lines.push(`  ${out.paint('Changed surfaces', 'bold')} ${formatCount(e.review.surfaces.length)}, ${formatCount(uncovered.length)} not covered by a review record`);
        for (const s of e.review.surfaces.slice(0, EVIDENCE_ITEMS)) {
            const cover = s.covered_by.length > 0
                ? `covered by ${s.covered_by.map((c) => t(c, 100)).join(', ')}`
                : out.paint('not covered', 'red');
            out.lines.push(`    ${t(s.surface, 100)}  ${plural(s.files.length, 'file')}  ${cover}`);
        }
        terminal_more(e.review.surfaces.length, out);
    }
    if (out.lines.length === before)
        out.lines.length = start;
}
function renderTerminal(decision, opts) {
    const d = decision;
    const out = createOut(opts.color, opts.ctx?.decisionWhere);
    out.lines.push(terminal_headline(d, out));
    const head = opts.ctx?.headSha ?? d.commits.head;
    const compared = opts.ctx?.compared;
    const facts = [
        `gate ${t(d.gate_key, 80)}`,
        `head ${compared ? t(compared.head, 300) : head ? t(shortSha(head), 80) : 'working tree'}`,
        `base ${compared ? t(compared.base, 300) : d.commits.base ? t(shortSha(d.commits.base), 80) : 'none'}`,
        d.config.file ? `config ${t(d.config.file, 200)} (${d.config.side})` : 'config: defaults'
    ];
    out.lines.push(out.paint(facts.join(' · '), 'dim'));
    if (d.outcome === 'internal_error') {
        out.lines.push('', `The gate could not finish: ${d.failure ? t(d.failure, 2000) : 'no details were recorded'}.`);
        out.lines.push('This is a fault in the gate, not a judgement of the change; the check fails closed.');
    }
    else {
        if (d.outcome === 'invalid_input')
            terminal_errors(d, out);
        findings(d, 'deny', out);
        findings(d, 'follow_up', out);
        findings(d, 'warning', out);
        if (d.outcome === 'evaluated') {
            terminal_errors(d, out);
            evidence(d, out);
        }
    }
    const footer = [];
    if (opts.ctx?.decisionDigest)
        footer.push(`decision sha256 ${t(opts.ctx.decisionDigest, 80)}`);
    if (opts.ctx?.runUrl)
        footer.push(`run ${t(opts.ctx.runUrl, 500)}`);
    footer.push(`${t(d.tool.name, 60)} ${t(d.tool.version, 40)}`);
    out.lines.push('', out.paint(footer.join(' · '), 'dim'));
    return out.lines.join('\n') + '\n';
}

// EXTERNAL MODULE: ./src/render/marker.ts
var marker = __webpack_require__(1376);
// EXTERNAL MODULE: ./src/gate/catalog.ts
var catalog = __webpack_require__(4196);
// EXTERNAL MODULE: ./src/cli/args.ts
var args = __webpack_require__(7593);
// EXTERNAL MODULE: ./src/cli/git.ts
var cli_git = __webpack_require__(6094);
// EXTERNAL MODULE: ./src/cli/io.ts
var cli_io = __webpack_require__(1604);
// EXTERNAL MODULE: ./src/model/own.ts
var own = __webpack_require__(3057);
;// CONCATENATED MODULE: ./src/cli/reviews.ts
/**
 * --reviews FILE: approval evidence for a local check, in the shapes GitHub's API returns, so it can be saved
 * with the GitHub CLI:
 *   gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json     (a list, or a list of pages)
 * or wrapped with the pull request (its author's reviews never count; approvals count on its head commit) and,
 * optionally, the members of the teams the roles name:
 *   { "pull_request": { "author": "alex", "head_sha": "…" }, "reviews": [ … ], "teams": { "acme/safety": [ … ] } }
 * `pull_request` may also be the API's own pull request object (`user.login`, `head.sha`).
 * The reviews are mapped exactly as the action maps them (src/github/reviews.ts).
 */






/** A pull request's reviews are a few kilobytes; anything near this is not a reviews file. */
const MAX_REVIEWS_BYTES = 16 * 1024 * 1024;
const REVIEWS_FILE_HELP = `The --reviews file is what the GitHub API returns, e.g.
  gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json
or { "pull_request": { "author": LOGIN, "head_sha": SHA }, "reviews": [ … ], "teams": { "org/team": [LOGIN, …] } }.
Approvals count on the commit judged (--head, or HEAD when the working tree has no uncommitted changes);
with --head-dir, on pull_request.head_sha (without it, approvals are pending).`;
/**
 * Reads and checks a --reviews file. `shown` is the path as the user wrote it (used in messages).
 * Every problem is a SettingsError located at file:line:column (JSON pointer).
 */
async function readReviewsFile(path, shown) {
    let bytes;
    try {
        const info = await (0,promises_.stat)(path);
        if (!info.isFile())
            throw new errors/* SettingsError */.GN(`--reviews ${shown}: not a regular file`);
        if (info.size > MAX_REVIEWS_BYTES) {
            throw new errors/* SettingsError */.GN(`--reviews ${shown}: ${info.size} bytes is too large for a reviews file (at most 16 MiB)`);
        }
        bytes = await (0,promises_.readFile)(path);
    }
    catch (error) {
        if (error instanceof errors/* SettingsError */.GN)
            throw error;
        const code = error.code;
        throw new errors/* SettingsError */.GN(`--reviews ${shown}: cannot read it (${code ?? error.message})`);
    }
    // decoded as records are: strict UTF-8, a byte order mark dropped (editors on Windows write one)
    const text = (0,read_text/* decodeUtf8 */._6)(bytes, shown);
    if (!text.ok)
        throw new errors/* SettingsError */.GN(`${issueText(text.issues[0])}\n${REVIEWS_FILE_HELP}`);
    const parsed = (0,parse/* parseDocument */.Tp)(text.text, shown, 'json');
    if (!parsed.ok) {
        const issue = parsed.issues[0];
        // `gh api --paginate` without --slurp writes the pages one after another: `[…][…]`
        const pages = issue.code === 'json.syntax' && issue.message.endsWith("after the JSON value but found '['");
        const hinted = pages
            ? { ...issue, hint: 'one list after another: gh api --paginate writes a list per page; add --slurp' }
            : issue;
        throw new errors/* SettingsError */.GN(`${issueText(hinted)}\n${REVIEWS_FILE_HELP}`);
    }
    return approvalsFromJson(parsed.value, shown, parsed.locate);
}
/** An issue as one line, repeating no secret the file holds (see maskIssue). */
function issueText(issue) {
    const masked = (0,read_text/* maskIssue */.Cu)(issue);
    return `${(0,errors/* formatIssueLocation */.wS)(masked)}: ${masked.message}${masked.hint ? ` (${masked.hint})` : ''}`;
}
/** Checks one parsed --reviews document and maps it to the engine's ApprovalInput. */
function approvalsFromJson(value, file, locate = () => undefined) {
    const fail = (pointer, message) => {
        const pos = locate(pointer);
        const where = (0,errors/* formatIssueLocation */.wS)({ file, line: pos?.line, column: pos?.column, pointer: (0,read_text/* maskPointer */.Ii)(pointer) });
        throw new errors/* SettingsError */.GN(`${where}: ${message}\n${REVIEWS_FILE_HELP}`);
    };
    const wrapped = isObject(value);
    const listPointer = wrapped ? '/reviews' : '';
    const list = wrapped ? value.reviews : value;
    if (wrapped) {
        for (const key of Object.keys(value)) {
            if (!['pull_request', 'reviews', 'teams'].includes(key)) {
                fail(`/${escapePointer(key)}`, `unknown key '${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(key))}'; expected pull_request, reviews and teams`);
            }
        }
    }
    if (!Array.isArray(list))
        return fail(listPointer, 'expected a list of reviews');
    const apiReviews = [];
    // `gh api --paginate --slurp` writes a list of pages
    const slurped = list.length > 0 && list.every(Array.isArray);
    const pages = slurped ? list : [list];
    pages.forEach((page, p) => {
        page.forEach((item, i) => {
            apiReviews.push(apiReview(item, slurped ? `${listPointer}/${p}/${i}` : `${listPointer}/${i}`, fail));
        });
    });
    const rawPr = wrapped ? value.pull_request : undefined;
    if (rawPr !== undefined && !isObject(rawPr))
        fail('/pull_request', 'pull_request must be an object');
    const pr = rawPr;
    return {
        available: true,
        author: pr ? login(pr, '/pull_request', 'author', fail) : null,
        head_sha: pr ? commitSha(pr, fail) : null,
        reviews: reviewsFromApi(apiReviews),
        teams: wrapped && value.teams !== undefined ? teams(value.teams, fail) : {}
    };
}
function apiReview(item, at, fail) {
    if (!isObject(item))
        return fail(at, 'a review must be an object (as the GitHub API returns it)');
    if (typeof item.id !== 'number' || !Number.isSafeInteger(item.id) || item.id < 0) {
        fail(`${at}/id`, 'id must be a whole number (the review id GitHub gives)');
    }
    if (typeof item.state !== 'string' || !REVIEW_STATES.includes(item.state)) {
        fail(`${at}/state`, `state must be one of ${REVIEW_STATES.join(', ')}`);
    }
    // `user: null` is a deleted account ("ghost"): kept here, left out by the shared mapping
    let user = null;
    if (item.user !== null) {
        if (!isObject(item.user))
            return fail(`${at}/user`, 'user must be an object with a login, or null');
        user = login(item.user, `${at}/user`, 'login', fail, true, false);
    }
    for (const key of ['commit_id', 'submitted_at']) {
        if (item[key] !== undefined && item[key] !== null && typeof item[key] !== 'string') {
            fail(`${at}/${key}`, `${key} must be a string or null`);
        }
    }
    return {
        id: item.id,
        login: user,
        state: item.state,
        commitId: item.commit_id ?? null,
        submittedAt: item.submitted_at ?? null,
        bot: isObject(item.user) && (item.user.type === 'Bot' || (user ?? '').endsWith('[bot]'))
    };
}
/** A login from `obj[key]`, or (`nested`) from the API's `obj.user.login`; lower-cased. */
function login(obj, at, key, fail, required = false, nested = true) {
    const direct = obj[key];
    const value = direct ?? (nested && isObject(obj.user) ? obj.user.login : undefined);
    const pointer = direct !== undefined ? `${at}/${key}` : `${at}/user/login`;
    if (value === undefined || value === null)
        return required ? fail(`${at}/${key}`, `${key} is required`) : null;
    // GitHub logins, enterprise-managed ones (alice_acme) and apps (dependabot[bot])
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(?:\[bot\])?$/.test(value)) {
        return fail(pointer, `${key} must be a GitHub login`);
    }
    return value.toLowerCase();
}
function commitSha(pr, fail) {
    const direct = pr.head_sha;
    const value = direct ?? (isObject(pr.head) ? pr.head.sha : undefined);
    const pointer = direct !== undefined ? '/pull_request/head_sha' : '/pull_request/head/sha';
    if (value === undefined || value === null)
        return null;
    if (typeof value !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)) {
        return fail(pointer, 'the head commit must be a full commit SHA (40 or 64 lower-case hex digits)');
    }
    return value;
}
function teams(value, fail) {
    if (!isObject(value))
        return fail('/teams', 'teams must map "org/team-slug" to a list of logins');
    const out = {};
    for (const [team, members] of Object.entries(value)) {
        const at = `/teams/${escapePointer(team)}`;
        if (!/^[^/\s]+\/[^/\s]+$/.test(team))
            fail(at, `'${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(team))}' is not "org/team-slug"`);
        if (!Array.isArray(members))
            return fail(at, 'members must be a list of logins');
        const logins = members.map((m, i) => typeof m === 'string' && m !== '' ? m.toLowerCase() : fail(`${at}/${i}`, 'a member must be a login'));
        const key = team.toLowerCase();
        // team slugs are matched without regard to case: two spellings of one team would otherwise drop one list
        if (Object.hasOwn(out, key))
            fail(at, `'${(0,parse/* excerpt */.Kb)((0,read_text/* maskSecrets */.QU)(team))}' names a team listed already (in another case)`);
        (0,own/* setOwn */.P)(out, key, [...new Set(logins)].sort());
    }
    return out;
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function escapePointer(key) {
    return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

;// CONCATENATED MODULE: ./src/cli/check.ts
/** agent-gate check: judge a change locally, before pushing, with the action's engine. */




















const OPTIONS = {
    base: { type: 'string' },
    head: { type: 'string' },
    'base-dir': { type: 'string' },
    'head-dir': { type: 'string' },
    repo: { type: 'string' },
    config: { type: 'string' },
    'trust-config-from': { type: 'string' },
    reviews: { type: 'string' },
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    output: { type: 'string' },
    sarif: { type: 'string' }
};
async function runCheck(argv, io) {
    const { values } = (0,args/* parse */.qg)(argv, OPTIONS);
    const format = (0,args/* oneOf */.yL)(values.format, ['text', 'markdown', 'json', 'sarif'], '--format', 'text');
    const failOn = (0,args/* oneOf */.yL)(values['fail-on'], ['deny', 'follow_up'], '--fail-on', defaults/* INPUT_DEFAULTS */.WJ.failOn);
    const trust = (0,args/* oneOf */.yL)(values['trust-config-from'], ['base', 'head'], '--trust-config-from', 'base');
    const outputPath = (0,args/* str */.gx)(values.output);
    const sarifPath = (0,args/* str */.gx)(values.sarif);
    const location = runLocation(readRunnerEnv(io.env));
    const subject = location.repositoryUrl ? { subjectName: location.repositoryUrl } : {};
    const progress = (0,cli_io/* progressReporter */.xZ)(io);
    let sides = null;
    let run;
    try {
        progress?.update('finding the base and the changed files');
        sides = await resolveSides(values, io.cwd);
        await (0,args/* requireConfig */.Eu)((0,args/* str */.gx)(values.config), [sides.head, sides.base]);
        const approvals = await check_readApprovals((0,args/* str */.gx)(values.reviews), sides, io.cwd);
        run = await (0,pipeline/* runGate */.Rg)({
            head: sides.head,
            base: sides.base,
            headCommit: sides.headCommit,
            baseCommit: sides.baseCommit,
            configPath: (0,args/* str */.gx)(values.config) ?? defaults/* INPUT_DEFAULTS */.WJ.config,
            trustConfigFrom: trust,
            changedFiles: sides.changedFiles,
            approvals,
            ...subject,
            ...(progress ? { onProgress: (message) => progress.update(message) } : {})
        });
    }
    catch (error) {
        progress?.done();
        // the gate failed: a decision file that was asked for still says so (deny, outcome internal_error)
        if (outputPath && !(error instanceof errors/* SettingsError */.GN)) {
            const failed = (0,pipeline/* internalErrorRun */.fe)(error, {
                headCommit: sides?.headCommit ?? null,
                baseCommit: sides?.baseCommit ?? null,
                ...subject
            });
            await writeOutput((0,external_node_path_.resolve)(io.cwd, outputPath), failed.canonical + '\n').catch(() => undefined);
        }
        throw error;
    }
    finally {
        closeSources(sides);
    }
    progress?.done();
    for (const note of sides.notes)
        io.stderr.write(`agent-gate: ${note}\n`);
    const ctx = {
        repository: location.repository,
        headSha: run.decision.commits.head,
        runUrl: location.runUrl,
        decisionDigest: run.digest,
        marker: (0,marker/* commentMarker */.Ql)(run.config.key ?? defaults/* DEFAULT_CONFIG */.PV.key),
        fullReportHint: null,
        compared: sides.compared,
        // nothing is written unless asked: say how to get everything a long report leaves out
        decisionWhere: outputPath ? `in ${outputPath}` : 'in the JSON decision (--format json, or --output FILE)'
    };
    const sarif = () => JSON.stringify((0,render_sarif/* renderSarif */.WH)(run.decision, { ...ctx, rules: [...catalog/* ALL_RULES */.Uj] }), null, 2) + '\n';
    if (outputPath)
        await writeOutput((0,external_node_path_.resolve)(io.cwd, outputPath), run.canonical + '\n');
    if (sarifPath)
        await writeOutput((0,external_node_path_.resolve)(io.cwd, sarifPath), sarif());
    // '##[' is the runner's legacy command form, read anywhere in a line: escape it (the JSON value is unchanged)
    if (format === 'json')
        io.stdout.write(JSON.stringify(run.statement, null, 2).replace(/##\[/g, '#\\u0023[') + '\n');
    else if (format === 'sarif')
        io.stdout.write(sarif());
    else if (format === 'markdown')
        io.stdout.write(renderSummary(run.decision, ctx));
    else
        io.stdout.write(renderTerminal(run.decision, { color: (0,cli_io/* useColor */.by)(io), ctx }));
    return exitCode(run, failOn);
}
function exitCode(run, failOn) {
    const d = run.decision;
    if (d.outcome === 'invalid_input')
        return cli_io/* EXIT */.dc.invalid;
    if (d.outcome === 'internal_error')
        return cli_io/* EXIT */.dc.internal;
    if (d.decision === 'deny')
        return cli_io/* EXIT */.dc.blocked;
    if (d.decision === 'follow_up' && failOn === 'follow_up')
        return cli_io/* EXIT */.dc.blocked;
    return cli_io/* EXIT */.dc.allow;
}
/** The --reviews file's approvals (on the head commit unless it names one), or none: every approval is pending. */
async function check_readApprovals(path, sides, cwd) {
    if (!path) {
        return unavailableApprovals('a local check has no pull request; pass --reviews FILE with its reviews to check approvals');
    }
    const approvals = await readReviewsFile((0,external_node_path_.resolve)(cwd, path), path);
    // Approvals count on the commit that is judged. In git mode that commit is known, and a reviews file about
    // another head (saved before more commits) cannot vouch for it; uncommitted changes were approved by no one.
    // Directories are not commits: the file's pull_request.head_sha says which commit they are, or nothing can.
    if (sides.uncommitted) {
        const reason = 'the working tree has uncommitted changes, which no review approved (check a commit with --head)';
        sides.notes.push(`${path}: approvals are pending: ${reason}`);
        return unavailableApprovals(reason);
    }
    if (sides.reviewedCommit !== null) {
        if (approvals.head_sha !== null && approvals.head_sha !== sides.reviewedCommit) {
            sides.notes.push(`${path} is about head ${shortSha(approvals.head_sha)}, but the gate judges ${shortSha(sides.reviewedCommit)}: ` +
                'approvals count on the commit judged, so those of the other commit do not');
        }
        approvals.head_sha = sides.reviewedCommit;
    }
    else if (approvals.head_sha === null) {
        const reason = `${path} names no pull_request.head_sha and the head is a directory, not a commit, so no approval can be ` +
            'matched to it (use the form with pull_request.head_sha, or check a git commit)';
        sides.notes.push(`approvals are pending: ${reason}`);
        return unavailableApprovals(reason);
    }
    return approvals;
}
async function writeOutput(path, text) {
    try {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        await (0,promises_.writeFile)(path, text);
    }
    catch (error) {
        const code = error.code ?? error.message;
        throw new errors/* SettingsError */.GN(`cannot write ${path} (${code})`);
    }
}
function closeSources(sides) {
    for (const source of [sides?.head, sides?.base])
        if (source instanceof git/* GitTreeSource */.kQ)
            source.close();
}
async function resolveSides(values, cwd) {
    const baseDir = (0,args/* str */.gx)(values['base-dir']);
    const headDir = (0,args/* str */.gx)(values['head-dir']);
    if (baseDir !== undefined || headDir !== undefined)
        return directorySides(values, cwd, baseDir, headDir);
    const repo = await (0,cli_git/* gitRepository */.x)((0,external_node_path_.resolve)(cwd, (0,args/* str */.gx)(values.repo) ?? '.'), 'check', values.repo !== undefined);
    const notes = [];
    const headRef = (0,args/* str */.gx)(values.head);
    const headCommit = headRef ? await (0,cli_git/* userRevision */.D)(repo, headRef, '--head') : null;
    const head = headCommit
        ? new git/* GitTreeSource */.kQ(repo, headCommit, 'head')
        : new fs_source/* WorkingTreeSource */.T(repo, 'head');
    // the commit the head is (or, for the working tree, starts from); null before the first commit
    const headRev = headCommit ?? (await headOf(repo));
    // a working tree with uncommitted or untracked changes is not the commit any review approved
    const uncommitted = headCommit === null && (headRev === null || (await (0,git/* changedFiles */.Y_)(repo, headRev, null)).length > 0);
    let baseCommit = null;
    let baseLabel;
    const baseRef = (0,args/* str */.gx)(values.base);
    if (baseRef) {
        baseCommit = await (0,cli_git/* userRevision */.D)(repo, baseRef, '--base');
        baseLabel = label(baseCommit, baseRef);
    }
    else {
        const branch = await (0,git/* defaultBranchRef */.fe)(repo);
        if (branch && headRev)
            baseCommit = await (0,git/* mergeBase */.wu)(repo, branch.ref, headRev);
        const name = branch ? branch.ref.replace(/^refs\/(?:heads|remotes)\//, '') : null;
        if (baseCommit) {
            baseLabel = `${shortSha(baseCommit)} (merge base with ${name})`;
        }
        else {
            baseLabel = 'none';
            notes.push(!branch
                ? 'no base: no default branch found (origin/HEAD, main or master); pass --base REF to compare with one'
                : !headRev
                    ? 'no base: the repository has no commit yet; pass --base REF to compare with one'
                    : `no base: the head shares no history with ${name}; pass --base REF to compare with one`);
        }
    }
    const base = baseCommit ? new git/* GitTreeSource */.kQ(repo, baseCommit, 'base') : null;
    const changed = baseCommit ? await (0,git/* changedFiles */.Y_)(repo, baseCommit, headCommit) : null;
    return {
        head,
        base,
        headCommit,
        baseCommit,
        reviewedCommit: uncommitted ? null : headRev,
        uncommitted,
        changedFiles: changed,
        compared: { head: headCommit ? label(headCommit, headRef) : 'working tree', base: baseLabel },
        notes
    };
}
async function directorySides(values, cwd, baseDir, headDir) {
    for (const flag of ['base', 'head', 'repo']) {
        if ((0,args/* str */.gx)(values[flag]) !== undefined) {
            throw new errors/* SettingsError */.GN(`--${flag} reads git; --base-dir/--head-dir read directories: use one or the other`);
        }
    }
    const headPath = await (0,args/* existingDirectory */.Nv)((0,external_node_path_.resolve)(cwd, headDir ?? '.'), '--head-dir');
    const basePath = baseDir !== undefined ? await (0,args/* existingDirectory */.Nv)((0,external_node_path_.resolve)(cwd, baseDir), '--base-dir') : null;
    const head = new fs_source/* WorkingTreeSource */.T(headPath, 'head');
    const base = basePath ? new fs_source/* WorkingTreeSource */.T(basePath, 'base') : null;
    return {
        head,
        base,
        headCommit: null,
        baseCommit: null,
        reviewedCommit: null,
        uncommitted: false,
        changedFiles: base ? await diffSources(base, head, defaults/* DEFAULT_CONFIG */.PV.records.max_evidence_bytes) : null,
        compared: {
            head: `directory ${shownPath(cwd, headPath)}`,
            base: basePath ? `directory ${shownPath(cwd, basePath)}` : 'none'
        },
        notes: base ? [] : ['no base: pass --base-dir DIR to compare with one (the changed files are unknown)']
    };
}
/** "1a2b3c4 (feature/x)", or the short SHA alone when the user gave the SHA. */
function label(sha, ref) {
    return sha.startsWith(ref.toLowerCase()) ? shortSha(sha) : `${shortSha(sha)} (${ref})`;
}
/** The commit HEAD names, or null in a repository without commits. */
async function headOf(repo) {
    try {
        return await (0,git/* revParse */.DJ)(repo, 'HEAD');
    }
    catch (error) {
        if (error instanceof git/* GitError */.XS && error.exitCode !== null)
            return null;
        throw error;
    }
}
function shownPath(cwd, path) {
    const rel = (0,external_node_path_.relative)(cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
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
