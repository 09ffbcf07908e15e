/**
 * Approval evidence from GitHub: the pull request's reviews (every page) and the members of the teams the
 * configuration's roles name, mapped to the engine's ApprovalInput. Logins are lower-cased. Anything that
 * cannot be read becomes "unavailable" or a null team — never an approval — with a warning saying what to do.
 * A pull request or reviews that cannot be read are `read_failed` (the engine fails closed on them, unlike a
 * run with no pull request to read); a team that cannot be read keeps its reason in `team_errors`.
 */
import type { GateConfig } from '../model/config.js';
import type { ApprovalInput, Review, ReviewState } from '../model/input.js';
import { GitHubApiError, type ApiReview, type GitHubApi, type RepoRef } from './api.js';
import type { ApiLog } from './client.js';
import { rejectBadToken } from './comments.js';

/** The review states GitHub reports (REST `state` of a pull request review). */
export const REVIEW_STATES: readonly ReviewState[] = [
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
export function reviewsFromApi(reviews: readonly ApiReview[]): Review[] {
  return reviews
    .filter((r) => r.login !== null && (REVIEW_STATES as readonly string[]).includes(r.state))
    .map((r) => ({
      id: r.id,
      user: r.login!.toLowerCase(),
      state: r.state as ReviewState,
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
export function unavailableApprovals(reason: string, readFailed = false): ApprovalInput {
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
export function teamsInRoles(config: Pick<GateConfig, 'roles'>): string[] {
  const teams = new Set<string>();
  for (const role of Object.values(config.roles)) for (const team of role.teams ?? []) teams.add(team.toLowerCase());
  return [...teams].sort();
}

export interface ApprovalRequest {
  api: GitHubApi;
  repo: RepoRef;
  pullNumber: number;
  /** login as the event names it; null to take it from the pull request */
  author: string | null;
  /** the commit approvals must be given on; null to take the pull request's current head */
  headSha: string | null;
  /** "org/team" names whose members hold roles */
  teams: string[];
  log: ApiLog;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function readApprovals(req: ApprovalRequest): Promise<ApprovalInput> {
  const { api, repo, pullNumber, log } = req;
  let author = req.author;
  let headSha = req.headSha;
  if (author === null || headSha === null) {
    try {
      const pull = await api.getPull(repo, pullNumber);
      author ??= pull.author;
      headSha ??= pull.headSha;
    } catch (error) {
      rejectBadToken(error, `read pull request #${pullNumber}`);
      const reason = `could not read pull request #${pullNumber} (${message(error)})`;
      log.warning(`${reason}: approvals that the change needs cannot be shown and block the change`);
      return unavailableApprovals(reason, true);
    }
  }

  let reviews: Review[];
  try {
    reviews = reviewsFromApi(await api.listReviews(repo, pullNumber));
  } catch (error) {
    rejectBadToken(error, `read the reviews of pull request #${pullNumber}`);
    const hint =
      error instanceof GitHubApiError && !error.rateLimited && (error.status === 403 || error.status === 404)
        ? ': give the workflow `pull-requests: read`'
        : '';
    const reason = `could not read the reviews of pull request #${pullNumber} (${message(error)})${hint}`;
    log.warning(`${reason}: approvals that the change needs cannot be shown and block the change`);
    return { ...unavailableApprovals(reason, true), author: author?.toLowerCase() ?? null, head_sha: headSha };
  }

  const teams: Record<string, string[] | null> = {};
  const teamErrors: Record<string, string> = {};
  for (const team of req.teams) {
    const read = await readTeam(api, team, log);
    teams[team] = read.members;
    if (read.error !== null) teamErrors[team] = read.error;
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
async function readTeam(
  api: GitHubApi,
  team: string,
  log: ApiLog
): Promise<{ members: string[]; error: null } | { members: null; error: string }> {
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
  } catch (error) {
    rejectBadToken(error, `read the members of team ${team}`);
    const denied =
      error instanceof GitHubApiError && !error.rateLimited && (error.status === 403 || error.status === 404);
    log.warning(
      `could not read the members of team ${team} (${message(error)}): ` +
        (denied
          ? 'GITHUB_TOKEN cannot read organization teams. Name the role holders under `users:` in the role map, ' +
            'or pass a token that may read members (a GitHub App with "Members: read", or a PAT with read:org). '
          : '') +
        'Approvals through this team do not count, and a change request by a reviewer who may be a member ' +
        'stands as a follow-up.'
    );
    return {
      members: null,
      error: denied
        ? `${message(error)}: the token cannot read organization teams (GITHUB_TOKEN never can)`
        : message(error)
    };
  }
}
