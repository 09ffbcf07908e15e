import { describe, expect, it } from '@jest/globals';
import { SettingsError } from '../../errors.js';
import { changedFilesFromApi } from '../files.js';
import { readApprovals, teamsInRoles } from '../reviews.js';
import { apiFor, BASE, HEAD, recordingLog, REPO, useFakeGitHub } from './helpers.js';

describe('approvals from reviews and teams', () => {
  const { server } = useFakeGitHub();

  function pullWithReviews(count: number) {
    server().addPull({
      number: 7,
      author: 'Dana',
      head: { sha: HEAD, ref: 'prompt-tune' },
      base: { sha: BASE, ref: 'main' },
      reviews: [
        { user: 'Priya-RM', state: 'APPROVED', commit_id: HEAD },
        { user: null, state: 'APPROVED', commit_id: HEAD }, // a deleted account ("ghost")
        { user: 'sam', state: 'CHANGES_REQUESTED', commit_id: BASE },
        ...Array.from({ length: count }, (_, i) => ({
          user: `reviewer${i}`,
          state: 'COMMENTED' as const,
          commit_id: HEAD
        }))
      ]
    });
  }

  it('reads every page of reviews and lower-cases logins', async () => {
    pullWithReviews(150);
    const approvals = await readApprovals({
      api: apiFor(server()),
      repo: REPO,
      pullNumber: 7,
      author: 'Dana',
      headSha: HEAD,
      teams: [],
      log: recordingLog()
    });
    expect(approvals.available).toBe(true);
    expect(approvals.author).toBe('dana');
    expect(approvals.head_sha).toBe(HEAD);
    expect(approvals.reviews).toHaveLength(152);
    expect(approvals.reviews[0]).toEqual({
      id: 80,
      user: 'priya-rm',
      state: 'APPROVED',
      commit_id: HEAD,
      submitted_at: '2026-04-07T10:00:00Z'
    });
    expect(
      server()
        .calls()
        .filter((c) => c.includes('/reviews'))
    ).toHaveLength(2);
  });

  it('reads team members where the token may, and warns that the role map must name users where it may not', async () => {
    pullWithReviews(0);
    server().teams.set('acme/release-managers', ['Priya-RM', 'omar']);
    const log = recordingLog();
    const withPat = await readApprovals({
      api: apiFor(server(), 'ghp_release-bot'),
      repo: REPO,
      pullNumber: 7,
      author: null,
      headSha: null,
      teams: ['acme/release-managers', 'acme/safety'],
      log
    });
    expect(withPat.teams).toEqual({ 'acme/release-managers': ['omar', 'priya-rm'], 'acme/safety': null });
    // why a team could not be read travels with the approvals, for the finding that may need it
    expect(Object.keys(withPat.team_errors ?? {})).toEqual(['acme/safety']);
    expect(withPat.team_errors?.['acme/safety']).toContain('the token cannot read organization teams');
    expect(withPat.author).toBe('dana'); // taken from the pull request
    expect(log.lines).toEqual([expect.stringContaining('could not read the members of team acme/safety')]);

    const actionsLog = recordingLog();
    const withActions = await readApprovals({
      api: apiFor(server()),
      repo: REPO,
      pullNumber: 7,
      author: 'dana',
      headSha: HEAD,
      teams: ['acme/release-managers'],
      log: actionsLog
    });
    expect(withActions.teams).toEqual({ 'acme/release-managers': null });
    expect(withActions.team_errors?.['acme/release-managers']).toContain('GITHUB_TOKEN never can');
    expect(actionsLog.lines[0]).toContain('Name the role holders under `users:`');
  });

  it('keeps why a team could not be read when GitHub fails (a 503 after retries)', async () => {
    pullWithReviews(0);
    server().teams.set('acme/release-managers', ['priya-rm']);
    server().inject({ method: 'GET', path: /\/teams\//, status: 503, times: 10 });
    const approvals = await readApprovals({
      api: apiFor(server(), 'ghp_release-bot'),
      repo: REPO,
      pullNumber: 7,
      author: 'dana',
      headSha: HEAD,
      teams: ['acme/release-managers'],
      log: recordingLog()
    });
    expect(approvals.available).toBe(true);
    expect(approvals.teams).toEqual({ 'acme/release-managers': null });
    expect(approvals.team_errors?.['acme/release-managers']).toMatch(/503/);
  });

  it('reports reviews that fail to read (500 after retries) as a failed read, not as no pull request', async () => {
    pullWithReviews(0);
    server().inject({ method: 'GET', path: '/repos/acme/support-triage/pulls/7/reviews', status: 500, times: 100 });
    const approvals = await readApprovals({
      api: apiFor(server()),
      repo: REPO,
      pullNumber: 7,
      author: 'dana',
      headSha: HEAD,
      teams: [],
      log: recordingLog()
    });
    expect(approvals).toMatchObject({ available: false, read_failed: true, author: 'dana', head_sha: HEAD });
  });

  it('reports a pull request that fails to read as a failed read', async () => {
    pullWithReviews(0);
    server().inject({ method: 'GET', path: '/repos/acme/support-triage/pulls/7', status: 502, times: 100 });
    const approvals = await readApprovals({
      api: apiFor(server()),
      repo: REPO,
      pullNumber: 7,
      author: null,
      headSha: null,
      teams: [],
      log: recordingLog()
    });
    expect(approvals).toMatchObject({ available: false, read_failed: true });
  });

  it('makes approvals unavailable (never granted) when reviews cannot be read', async () => {
    pullWithReviews(0);
    server().inject({
      method: 'GET',
      path: '/repos/acme/support-triage/pulls/7/reviews',
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    });
    const log = recordingLog();
    const approvals = await readApprovals({
      api: apiFor(server()),
      repo: REPO,
      pullNumber: 7,
      author: 'dana',
      headSha: HEAD,
      teams: [],
      log
    });
    expect(approvals).toMatchObject({ available: false, read_failed: true, reviews: [] });
    expect(approvals.unavailable_reason).toContain('pull-requests: read');
  });

  it('fails with a configuration error on 401', async () => {
    pullWithReviews(0);
    await expect(
      readApprovals({
        api: apiFor(server(), 'ghp_nope'),
        repo: REPO,
        pullNumber: 7,
        author: 'dana',
        headSha: HEAD,
        teams: [],
        log: recordingLog()
      })
    ).rejects.toThrow(SettingsError);
  });

  it('lists the teams named by roles', () => {
    expect(
      teamsInRoles({
        roles: {
          'release-manager': { users: ['priya'], teams: ['Acme/Release-Managers'] },
          safety: { users: [], teams: ['acme/safety', 'acme/release-managers'] }
        }
      })
    ).toEqual(['acme/release-managers', 'acme/safety']);
  });
});

describe('changed files from the pull-request files API', () => {
  const { server } = useFakeGitHub();

  it('reads every page, keeps renames, sorts by path', async () => {
    const files = Array.from({ length: 130 }, (_, i) => ({
      filename: `records/evals/run-${String(i).padStart(3, '0')}.jsonl`,
      status: 'added'
    }));
    files.push({
      filename: 'prompts/triage.md',
      status: 'renamed',
      previous_filename: 'prompts/old-triage.md'
    } as never);
    server().addPull({
      number: 7,
      author: 'dana',
      head: { sha: HEAD, ref: 'f' },
      base: { sha: BASE, ref: 'main' },
      files
    });
    const changed = await changedFilesFromApi(apiFor(server()), REPO, 7, recordingLog());
    expect(changed).toHaveLength(131);
    expect(changed!.find((f) => f.path === 'prompts/triage.md')).toEqual({
      path: 'prompts/triage.md',
      status: 'renamed',
      previous_path: 'prompts/old-triage.md'
    });
  });

  it('reports an incomplete list (GitHub stops at 3000 files) as unknown, with a warning', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({ filename: `data/f${i}.json`, status: 'modified' }));
    server().addPull({
      number: 7,
      author: 'dana',
      head: { sha: HEAD, ref: 'f' },
      base: { sha: BASE, ref: 'main' },
      files,
      changedFilesCount: 3400
    });
    const log = recordingLog();
    expect(await changedFilesFromApi(apiFor(server()), REPO, 7, log)).toBeNull();
    expect(log.lines[0]).toContain('at most 3000');
  });

  it('reports a short list (fewer files than the pull request counts) as unknown, saying how many came back', async () => {
    server().addPull({
      number: 7,
      author: 'dana',
      head: { sha: HEAD, ref: 'f' },
      base: { sha: BASE, ref: 'main' },
      files: [{ filename: 'prompts/triage.md', status: 'modified' }],
      changedFilesCount: 28
    });
    const log = recordingLog();
    expect(await changedFilesFromApi(apiFor(server()), REPO, 7, log)).toBeNull();
    expect(log.lines[0]).toContain('changes 28 files but GitHub');
    expect(log.lines[0]).toContain('listed only 1 of them');
    expect(log.lines[0]).not.toContain('at most');
  });
});
