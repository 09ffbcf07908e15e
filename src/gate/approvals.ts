/**
 * Approvals: the roles a change needs (named by its records, the Deployment it promotes through and
 * the configuration) and whether a person holding each role approved the pull request. The review records of
 * a change are those of this pull request and those merged earlier (context changeRecords): the pull request that
 * implements a change reviewed earlier needs the approvals that review demands, and editing or removing a record
 * does not drop a role it named.
 *
 * Review evidence follows GitHub's own reading: reviews in submission order, the latest APPROVED or
 * CHANGES_REQUESTED state per reviewer stands (a later COMMENTED review does not replace it, a
 * DISMISSED one removes it); an approval counts only on the head commit unless `accept_stale`; the
 * pull request's author never counts. A record saying `status: approved` or naming `decided_by` is a
 * claim, not evidence: each role it names needs an approval by someone who holds it.
 *
 * What cannot be read is never assumed. No pull request to read reviews from (a push, a local check) leaves each
 * role to a person (approvals.unavailable); a pull request whose reviews could not be read fails closed
 * (approvals.read-failed). A team whose members could not be read grants no approval, and a standing
 * CHANGES_REQUESTED by someone who may be one of its members is reported (approvals.team-unreadable).
 */
import type { Location } from '../model/location.js';
import type { ApprovalInput, LoadedRecord, Rec, Review } from '../model/input.js';
import type { RoleEvidence } from '../model/evidence.js';
import type { RoleConfig } from '../model/config.js';
import type { Json } from '../model/finding.js';
import { defineRules, FindingList } from './rules.js';
import {
  changeRecords,
  cmp,
  earlierNote,
  locationOf,
  pointer,
  type ChangeKind,
  type ChangeRecord,
  type FamilyResult,
  type GateContext
} from './context.js';
import { DEFAULT_CONFIG_PATH } from '../settings/defaults.js';
import { isAgentChange } from './globs.js';

export const RULES = defineRules('approvals', {
  'approvals.missing': {
    severity: 'follow_up',
    title: 'Required role has not approved',
    description:
      'Every role the change needs (change approval_roles, change_review_record required_reviews, ' +
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
    description:
      'A record or the configuration requires a role that `roles:` in the gate configuration does not define, or ' +
      'defines with no users and no teams. Nobody can ever satisfy such a requirement, so the change cannot ' +
      'earn release until the role is defined or the record is corrected.',
    fix: 'Define the role under `roles:` in .github/agent-gate.yml with the users or teams ("org/team-slug") who hold it, or correct the role name in the record.'
  },
  'approvals.unavailable': {
    severity: 'follow_up',
    title: 'Approvals could not be read',
    description:
      'The gate ran without a pull request to read reviews from (a push, a manual run, the CLI without --reviews, ' +
      'an action run given no github-token), so no required role can be shown to have approved. A person must ' +
      'confirm the approvals. (A pull request whose reviews could not be read is approvals.read-failed.)',
    fix: 'Run the gate on the pull request (pull_request or pull_request_target event), or pass the reviews to the CLI with --reviews.'
  },
  'approvals.read-failed': {
    severity: 'deny',
    title: 'The pull request reviews could not be read',
    description:
      'The gate ran on a pull request but could not read it or its reviews (an API error that persisted after ' +
      'retries, a token without `pull-requests: read`). Unlike a run with no pull request, the evidence exists ' +
      'and the gate failed to read it, so it fails closed: each role the change needs is reported by this rule, ' +
      'and a signal derived from an approval stays unknown with the severity of the finding it causes (it is not ' +
      'softened into a follow-up, and an assertion does not stand in for it).',
    fix: 'Re-run the gate once GitHub answers; if the error is a 403 or 404, give the workflow `pull-requests: read`.'
  },
  'approvals.changes-requested': {
    severity: 'follow_up',
    title: 'A role holder requested changes',
    description:
      'Someone who holds a required role left a CHANGES_REQUESTED review that is still their latest decision. ' +
      'The objection stands, even when another holder approved, until they approve or the review is dismissed.',
    fix: 'Address the requested changes and ask the reviewer to approve, or dismiss the review if it no longer applies.'
  },
  'approvals.team-unreadable': {
    severity: 'follow_up',
    title: 'A reviewer who may hold a role requested changes',
    description:
      'A required role names a team whose members could not be read (the default GITHUB_TOKEN cannot read ' +
      'organization teams; the request may also have failed), and someone who is not a known holder of the ' +
      'role left a CHANGES_REQUESTED review that is still their latest decision. They may hold the role through ' +
      'the team, so their objection is not ignored: membership that cannot be read is reported, never assumed ' +
      'either way. A team that cannot be read while no such review exists is only a warning in the log (and ' +
      'named in approvals.missing when the role has no approval).',
    fix:
      'Address the requested changes and ask the reviewer to approve, or dismiss the review; or let the gate read ' +
      'the team (a GitHub App token with "Members: read", or a PAT with read:org), or list the holders under ' +
      '`users:` instead of the team.'
  }
});

export interface RoleRequirement {
  role: string;
  /** what requires it, e.g. "change_review_record cr-… required_reviews" */
  required_by: string;
  location?: Location;
}

/**
 * The proposed configuration's file when it, unlike the configuration in use (the base branch's), gives `role`
 * holders: the role is being added by this very pull request, which the message should say.
 */
function proposedDefinition(ctx: GateContext, role: string): string | null {
  const proposed = ctx.input.proposed_config;
  if (proposed === null || ctx.input.config_source.side !== 'base') return null;
  const def = own(proposed.config.roles, role);
  const holders = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return def !== undefined && holders(def.users) + holders(def.teams) > 0 ? proposed.file : null;
}

/** The configuration file's name as the user knows it. */
function configFileName(ctx: GateContext): string {
  return ctx.input.config_source.file ?? DEFAULT_CONFIG_PATH;
}

/** A location in the configuration file in use, or undefined when the built-in defaults are in use. */
export function configLocation(ctx: GateContext, ptr = ''): Location | undefined {
  const src = ctx.input.config_source;
  if (src.file === null) return undefined;
  return { file: src.file, ...(src.side === 'default' ? {} : { side: src.side }), pointer: ptr };
}

/** Role names a record field holds: a string or a list of strings (anything else names no role). */
function roleNames(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function own<T>(map: Record<string, T> | null | undefined, key: string): T | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/**
 * Every role the change needs, with what requires it, sorted by role then requirer. The standing
 * requirements (a Deployment's requiresApproval, approvals.required_roles) apply to agent changes only:
 * a pull request that touches no surface and no record needs none of them.
 */
export function collectRoleRequirements(ctx: GateContext): RoleRequirement[] {
  const out: RoleRequirement[] = [];
  const fromField = (rec: LoadedRecord, value: unknown, required_by: string, ...path: string[]) => {
    if (typeof value === 'string') out.push({ role: value, required_by, location: locationOf(rec, pointer(...path)) });
    else
      roleNames(value).forEach((role, i) =>
        out.push({ role, required_by, location: locationOf(rec, pointer(...path, i)) })
      );
  };
  // the records of this pull request's changes, merged earlier ones too, and the base copy of each it updates
  // (what the change was reviewed with still binds: editing a record does not drop a required approval)
  for (const c of changeRecords(ctx, 'change')) {
    for (const [r, note] of withBaseCopy(c)) {
      const change = r.data.change;
      const by = `change ${change?.change_id} approval_roles${note}`;
      fromField(r, change?.approval_roles, by, 'change', 'approval_roles');
    }
  }
  for (const c of changeRecords(ctx, 'change_review_record')) {
    for (const [r, note] of withBaseCopy(c)) {
      const by = `change_review_record ${r.data.review_id} required_reviews${note}`;
      fromField(r, r.data.required_reviews, by, 'required_reviews');
    }
  }
  for (const c of changeRecords(ctx, 'rollout_gate_record')) {
    for (const [r, note] of withBaseCopy(c)) {
      fromField(r, r.data.decided_by, `rollout_gate_record ${r.data.gate_id} decided_by${note}`, 'decided_by');
    }
  }
  if (isAgentChange(ctx)) {
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
function withBaseCopy<K extends ChangeKind>(c: ChangeRecord<K>): [Rec<K>, string][] {
  const out: [Rec<K>, string][] = [[c.record, earlierNote(c)]];
  if (c.was) out.push([c.was, ' (its base copy: this pull request updates it)']);
  return out;
}

function sortRequirements(reqs: RoleRequirement[]): RoleRequirement[] {
  return [...reqs].sort(
    (a, b) =>
      cmp(a.role, b.role) ||
      cmp(a.required_by, b.required_by) ||
      cmp(a.location?.file ?? '', b.location?.file ?? '') ||
      cmp(a.location?.pointer ?? '', b.location?.pointer ?? '')
  );
}

/** A reviewer's standing decision. */
export interface ReviewerState {
  state: 'APPROVED' | 'CHANGES_REQUESTED';
  commit_id: string | null;
  review_id: number;
}

/**
 * When a review was submitted. GitHub dates every submitted review; one without a readable date (a hand-written or
 * converted --reviews file) is read the most cautious way: a request for changes as the latest word, anything else
 * as the earliest — an undated approval never outranks a change request, and an undated change request stands.
 */
function reviewTime(r: Review): number {
  const t = typeof r.submitted_at === 'string' ? Date.parse(r.submitted_at) : NaN;
  if (!Number.isNaN(t)) return t;
  return r.state === 'CHANGES_REQUESTED' ? Infinity : -Infinity;
}

/**
 * Reviews that tie on time and id (GitHub never gives two the same id; a hand-written --reviews file may) are
 * applied in this order, so the outcome does not depend on the order they arrive in and the most cautious
 * reading stands: a request for changes last, a dismissal after an approval.
 */
const TIE_ORDER: Record<string, number> = { COMMENTED: 0, PENDING: 0, APPROVED: 1, DISMISSED: 2, CHANGES_REQUESTED: 3 };

/** The latest standing decision per reviewer (lower-cased login), read as GitHub reads it. */
export function latestReviewStates(input: ApprovalInput): Map<string, ReviewerState> {
  const reviews = (Array.isArray(input.reviews) ? input.reviews : [])
    .filter((r) => r && typeof r.user === 'string' && r.user !== '')
    .sort(
      (a, b) =>
        reviewTime(a) - reviewTime(b) ||
        (Number(a.id) || 0) - (Number(b.id) || 0) ||
        (TIE_ORDER[a.state] ?? 0) - (TIE_ORDER[b.state] ?? 0) ||
        cmp(a.commit_id ?? '', b.commit_id ?? '')
    );
  const states = new Map<string, ReviewerState>();
  for (const r of reviews) {
    const user = r.user.toLowerCase();
    // an approval is a person's: a bot's (a GitHub App's review) grants nothing, whatever role lists it
    if (r.bot && r.state === 'APPROVED') continue;
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') {
      states.set(user, { state: r.state, commit_id: r.commit_id ?? null, review_id: r.id });
    } else if (r.state === 'DISMISSED') {
      states.delete(user);
    }
    // COMMENTED and PENDING leave the standing decision as it is
  }
  return states;
}

/** Who holds a role, as far as the gate can tell. */
export interface RoleHolders {
  /** false when the role is not in `roles:` or lists nobody */
  defined: boolean;
  /** configured users plus readable team members, lower-cased and sorted */
  users: string[];
  teams: { team: string; members: string[] | null }[];
}

function roleHolders(ctx: GateContext, role: string): RoleHolders {
  const cfg: RoleConfig | undefined = own(ctx.config.roles, role);
  const configuredUsers = roleNames(cfg?.users).map((u) => u.toLowerCase());
  const configuredTeams = roleNames(cfg?.teams).map((t) => t.toLowerCase());
  const readTeams = ctx.input.approvals.teams ?? {};
  const teams = [...new Set(configuredTeams)].sort(cmp).map((team) => {
    // the reader lower-cases team names; a key spelled otherwise is still the same team
    const key = Object.keys(readTeams).find((k) => k.toLowerCase() === team);
    const members = key === undefined ? undefined : readTeams[key];
    return {
      team,
      members: Array.isArray(members) ? [...new Set(roleNames(members).map((m) => m.toLowerCase()))].sort(cmp) : null
    };
  });
  const users = new Set(configuredUsers);
  for (const t of teams) for (const m of t.members ?? []) users.add(m);
  return {
    defined: configuredUsers.length + configuredTeams.length > 0,
    users: [...users].sort(cmp),
    teams
  };
}

/** A role checked against the review evidence. */
export interface RoleCheck {
  holders: RoleHolders;
  evidence: RoleEvidence;
  /** holders whose approval is on an earlier commit (not counted unless accept_stale) */
  stale: { user: string; commit_id: string | null }[];
  /** holders whose standing decision is CHANGES_REQUESTED */
  changes_requested: { user: string; commit_id: string | null }[];
  /**
   * reviewers who are not known holders but may hold the role through a team whose members could not be read,
   * and whose standing decision is CHANGES_REQUESTED
   */
  possible_changes_requested: { user: string; commit_id: string | null }[];
  /** the author holds the role (and cannot approve their own change) */
  author_holds: boolean;
}

export function checkRole(
  ctx: GateContext,
  role: string,
  required_by: string[],
  states: Map<string, ReviewerState> = latestReviewStates(ctx.input.approvals)
): RoleCheck {
  const input = ctx.input.approvals;
  const holders = roleHolders(ctx, role);
  const author = typeof input.author === 'string' ? input.author.toLowerCase() : null;
  const headSha = input.head_sha ?? null;
  const acceptStale = ctx.config.approvals?.accept_stale === true;
  const approvedBy: string[] = [];
  const stale: RoleCheck['stale'] = [];
  const changesRequested: RoleCheck['changes_requested'] = [];
  const possible: RoleCheck['possible_changes_requested'] = [];
  const unresolved = holders.teams.filter((t) => t.members === null).map((t) => t.team);
  if (input.available) {
    for (const user of holders.users) {
      const s = states.get(user);
      if (!s || user === author) continue;
      if (s.state === 'CHANGES_REQUESTED') changesRequested.push({ user, commit_id: s.commit_id });
      else if (acceptStale || (headSha !== null && s.commit_id === headSha)) approvedBy.push(user);
      else stale.push({ user, commit_id: s.commit_id });
    }
    if (unresolved.length > 0) {
      // anyone may be a member of a team that could not be read: their objection is not ignored
      for (const [user, s] of [...states].sort(([a], [b]) => cmp(a, b))) {
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
      required_by: [...new Set(required_by)].sort(cmp),
      approved_by: approvedBy,
      eligible: holders.users.filter((u) => u !== author && !approvedBy.includes(u) && !u.endsWith('[bot]')),
      unresolved_teams: approvedBy.length > 0 ? [] : unresolved,
      satisfied: approvedBy.length > 0
    }
  };
}

const at = (user: string) => `@${user}`;
const shortSha = (sha: string | null) => (sha ? sha.slice(0, 7) : 'an unknown commit');

/** "@alice, @bob; team @org/x (members could not be read)" */
function describeHolders(holders: RoleHolders, author: string | null): string {
  const parts: string[] = [];
  // a bot account never approves (latestReviewStates), so it is no one to ask
  const direct = holders.users.filter((u) => u !== author && !u.endsWith('[bot]'));
  if (direct.length > 0) parts.push(direct.map(at).join(', '));
  for (const t of holders.teams) {
    if (t.members === null) parts.push(`team @${t.team} (members could not be read)`);
    else if (t.members.length === 0) parts.push(`team @${t.team} (no members)`);
  }
  return parts.length > 0 ? parts.join('; ') : 'nobody but the pull request author';
}

/** A defined role whose name differs only in case or separators: the likely intended one. */
function similarRole(ctx: GateContext, role: string): string | null {
  const fold = (s: string) => s.toLowerCase().replace(/[-_\s.]+/g, '');
  const names = Object.keys(ctx.config.roles ?? {}).sort(cmp);
  return names.find((n) => n !== role && fold(n) === fold(role)) ?? null;
}

export function evaluateApprovals(ctx: GateContext, extra: RoleRequirement[]): FamilyResult<RoleEvidence[]> {
  const findings = new FindingList(ctx.config);
  const input = ctx.input.approvals;
  const states = latestReviewStates(input);
  const author = typeof input.author === 'string' ? input.author.toLowerCase() : null;
  const byRole = new Map<string, RoleRequirement[]>();
  for (const req of sortRequirements([...collectRoleRequirements(ctx), ...extra])) {
    const list = byRole.get(req.role);
    if (list) list.push(req);
    else byRole.set(req.role, [req]);
  }

  const evidence: RoleEvidence[] = [];
  for (const [role, reqs] of byRole) {
    const check = checkRole(
      ctx,
      role,
      reqs.map((r) => r.required_by),
      states
    );
    const ev = check.evidence;
    evidence.push(ev);
    const location = reqs.find((r) => r.location)?.location;
    const requiredBy = ev.required_by.join('; ');
    const base = { subject: role, ...(location ? { location } : {}) };
    const holderEvidence: { [key: string]: Json } = {
      role,
      required_by: ev.required_by,
      holders: check.holders.users,
      teams: check.holders.teams.map((t) => ({ team: t.team, members: t.members }))
    };

    if (!check.holders.defined) {
      const cfgFile = configFileName(ctx);
      const similar = similarRole(ctx, role);
      const why =
        own(ctx.config.roles, role) === undefined
          ? `${cfgFile} defines no role \`${role}\` under \`roles:\``
          : `${cfgFile} defines role \`${role}\` with no users and no teams`;
      const proposed = proposedDefinition(ctx, role);
      findings.add(RULES['approvals.unknown-role'], {
        ...base,
        message:
          `Role \`${role}\` is required by ${requiredBy}, but ${why}: nobody can ever approve it.` +
          (proposed
            ? ` The configuration this pull request proposes (${proposed} on the head) defines it, but roles are read from the base branch's configuration: it counts once that change is merged.`
            : '') +
          (similar ? ` Did you mean \`${similar}\`?` : ''),
        observed: null,
        required: `a role \`${role}\` under roles: with at least one user or team`,
        evidence: { ...holderEvidence, defined_roles: Object.keys(ctx.config.roles ?? {}).sort(cmp) },
        fix:
          `Add \`${role}\` under \`roles:\` in ${cfgFile} with the users or teams ("org/team-slug") who hold it` +
          (similar ? `, or change the record to name \`${similar}\`.` : ', or correct the role name in the record.')
      });
      continue;
    }

    if (!input.available && input.read_failed === true) {
      const reason = input.unavailable_reason ?? 'the pull request reviews could not be read';
      findings.add(RULES['approvals.read-failed'], {
        ...base,
        message:
          `Role \`${role}\` (required by ${requiredBy}) cannot be shown to have approved: ${reason}. The reviews ` +
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
        message:
          `Role \`${role}\` (required by ${requiredBy}) cannot be shown to have approved: approvals are unavailable ` +
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
        message:
          `${who} ${check.changes_requested.length > 1 ? 'hold' : 'holds'} role \`${role}\` and requested changes; ` +
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
          const why = key === undefined ? 'its members were not given to the gate' : teamErrors[key]!;
          return { team: t.team, reason: why };
        });
      const who = possible.map((c) => `${at(c.user)} (on ${shortSha(c.commit_id)})`).join(', ');
      const teams = unread.map((t) => `@${t.team} (${t.reason})`).join(', ');
      const many = possible.length > 1;
      findings.add(RULES['approvals.team-unreadable'], {
        ...base,
        message:
          `${who} requested changes and may hold role \`${role}\` through team ${teams}, whose members could ` +
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
      const notes: string[] = [];
      if (check.stale.length > 0) {
        notes.push(
          `${check.stale.map((s) => `${at(s.user)} approved ${shortSha(s.commit_id)}`).join(', ')}: an approval ` +
            'of an earlier commit does not count (approvals.accept_stale is false).'
        );
      }
      if (check.author_holds)
        notes.push(`The author ${at(author ?? '')} holds the role but cannot approve their own change.`);
      if (ev.unresolved_teams.length > 0) {
        notes.push(
          `Membership of ${ev.unresolved_teams.map((t) => `@${t}`).join(', ')} could not be read (the token needs ` +
            'read access to organization members), so approvals by its members cannot be recognised.'
        );
      }
      const canApprove = describeHolders(check.holders, author);
      findings.add(RULES['approvals.missing'], {
        ...base,
        message:
          `Role \`${role}\` has no approval ${onWhat}; required by ${requiredBy}. Can approve: ${canApprove}.` +
          (notes.length > 0 ? ' ' + notes.join(' ') : ''),
        observed: {
          approved_by: [],
          stale_approvals: check.stale.map((s) => ({ user: s.user, commit_id: s.commit_id })),
          unresolved_teams: ev.unresolved_teams
        },
        required: `an APPROVED review by a holder of \`${role}\` ${onWhat}`,
        evidence: { ...holderEvidence, eligible: ev.eligible, head_sha: input.head_sha ?? null },
        fix:
          ev.eligible.length > 0
            ? `Ask ${ev.eligible.map(at).join(' or ')} to approve the pull request ${onWhat}.`
            : `Nobody who can be recognised holds \`${role}\` besides the author: add a holder under \`roles:\` in ${configFileName(ctx)}` +
              (ev.unresolved_teams.length > 0 ? ' or give the gate read access to the team membership.' : '.')
      });
    }
  }
  return { findings: findings.items, evidence };
}
