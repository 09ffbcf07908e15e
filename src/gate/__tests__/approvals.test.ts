import { describe, expect, it } from '@jest/globals';
import type { ApprovalInput, Review } from '../../model/input.js';
import { config, gateInput, noApprovals, rec } from '../../testing/records.js';
import { collectRoleRequirements, evaluateApprovals, latestReviewStates, RULES } from '../approvals.js';
import { createContext } from '../context.js';
import { describeCases } from './gate-cases.js';

describeCases('approvals');

const review = (
  id: number,
  user: string,
  state: Review['state'],
  commit: string | null,
  at: string | null
): Review => ({
  id,
  user,
  state,
  commit_id: commit,
  submitted_at: at
});
const prInput = (reviews: Review[], extra: Partial<ApprovalInput> = {}): ApprovalInput => ({
  available: true,
  author: 'alex',
  head_sha: 'h2',
  reviews,
  teams: {},
  ...extra
});

describe('latestReviewStates', () => {
  it('keeps the latest APPROVED or CHANGES_REQUESTED per reviewer, in submission order', () => {
    const states = latestReviewStates(
      prInput([
        review(3, 'li', 'CHANGES_REQUESTED', 'h2', '2026-01-03T00:00:00Z'),
        review(1, 'li', 'APPROVED', 'h1', '2026-01-01T00:00:00Z'),
        review(2, 'Priya', 'APPROVED', 'h2', '2026-01-02T00:00:00Z'),
        review(4, 'priya', 'COMMENTED', 'h2', '2026-01-04T00:00:00Z')
      ])
    );
    expect([...states]).toEqual([
      ['li', { state: 'CHANGES_REQUESTED', commit_id: 'h2', review_id: 3 }],
      ['priya', { state: 'APPROVED', commit_id: 'h2', review_id: 2 }]
    ]);
  });

  it('drops a dismissed decision and ignores pending reviews', () => {
    const states = latestReviewStates(
      prInput([
        review(1, 'li', 'APPROVED', 'h2', '2026-01-01T00:00:00Z'),
        review(2, 'li', 'DISMISSED', 'h2', '2026-01-02T00:00:00Z'),
        review(3, 'dana', 'PENDING', null, null)
      ])
    );
    expect(states.size).toBe(0);
  });

  it('applies reviews that tie on time and id most cautiously, whatever order they arrive in', () => {
    const approve = review(5, 'li', 'APPROVED', 'h2', null);
    const request = review(5, 'li', 'CHANGES_REQUESTED', 'h2', null);
    expect(latestReviewStates(prInput([approve, request])).get('li')?.state).toBe('CHANGES_REQUESTED');
    expect(latestReviewStates(prInput([request, approve])).get('li')?.state).toBe('CHANGES_REQUESTED');
  });

  it('orders reviews with the same time by id', () => {
    const states = latestReviewStates(
      prInput([
        review(9, 'li', 'APPROVED', 'h2', '2026-01-01T00:00:00Z'),
        review(8, 'li', 'CHANGES_REQUESTED', 'h2', '2026-01-01T00:00:00Z')
      ])
    );
    expect(states.get('li')?.state).toBe('APPROVED');
  });

  it('reads a review without a readable time most cautiously: an undated change request stands', () => {
    // GitHub dates every submitted review; a hand-written file may not
    const undatedRequest = latestReviewStates(
      prInput([
        review(5, 'dana', 'APPROVED', 'h2', '2026-01-01T00:00:00Z'),
        review(100, 'dana', 'CHANGES_REQUESTED', 'h2', null)
      ])
    );
    expect(undatedRequest.get('dana')?.state).toBe('CHANGES_REQUESTED');
    const undatedApproval = latestReviewStates(
      prInput([
        review(6, 'dana', 'CHANGES_REQUESTED', 'h2', '2026-01-01T00:00:00Z'),
        review(7, 'dana', 'APPROVED', 'h2', 'yesterday')
      ])
    );
    expect(undatedApproval.get('dana')?.state).toBe('CHANGES_REQUESTED');
  });

  it("never counts a bot's approval; a bot's request for changes stands", () => {
    const bot = (r: Review): Review => ({ ...r, bot: true });
    const states = latestReviewStates(
      prInput([
        bot(review(1, 'release-bot[bot]', 'APPROVED', 'h2', '2026-01-01T00:00:00Z')),
        bot(review(2, 'lint-bot[bot]', 'CHANGES_REQUESTED', 'h2', '2026-01-01T00:00:00Z'))
      ])
    );
    expect(states.get('release-bot[bot]')).toBeUndefined();
    expect(states.get('lint-bot[bot]')?.state).toBe('CHANGES_REQUESTED');
    // and a bot listed as a holder is no one to ask
    const ctx = createContext(
      gateInput({
        head: [],
        config: config({
          roles: { release: { users: ['dana', 'release-bot[bot]'], teams: [] } },
          approvals: { accept_stale: false, required_roles: ['release'] }
        }),
        changed_files: promptChange,
        approvals: prInput([bot(review(1, 'release-bot[bot]', 'APPROVED', 'h2', '2026-01-01T00:00:00Z'))])
      })
    );
    const missing = evaluateApprovals(ctx, []).findings.find((f) => f.rule === 'approvals.missing')!;
    expect(missing.message).toContain('Can approve: @dana.');
  });
});

/** a pull request that touches an agent surface, so standing requirements apply */
const promptChange = [{ path: 'agents/a/prompts/system.md', status: 'modified' as const }];

describe('evaluateApprovals', () => {
  const roles = { 'release-manager': { users: ['dana'], teams: ['Acme/Release'] } };
  const cfg = config({ roles, approvals: { accept_stale: false, required_roles: ['release-manager'] } });

  it('does not count an approval when the head commit is unknown', () => {
    const input = gateInput({
      head: [],
      config: cfg,
      changed_files: promptChange,
      approvals: prInput([review(1, 'dana', 'APPROVED', 'h2', '2026-01-01T00:00:00Z')], { head_sha: null })
    });
    const { findings, evidence } = evaluateApprovals(createContext(input), []);
    expect(evidence[0]?.satisfied).toBe(false);
    expect(findings[0]?.message).toContain('on the head commit (which the gate could not determine)');
  });

  it('matches team names case-insensitively and reads their members', () => {
    const input = gateInput({
      head: [],
      config: cfg,
      changed_files: promptChange,
      approvals: prInput([review(1, 'ravi', 'APPROVED', 'h2', '2026-01-01T00:00:00Z')], {
        teams: { 'acme/release': ['Ravi'] }
      })
    });
    expect(evaluateApprovals(createContext(input), []).evidence).toEqual([
      {
        role: 'release-manager',
        required_by: ['configuration approvals.required_roles'],
        approved_by: ['ravi'],
        eligible: ['dana'],
        unresolved_teams: [],
        satisfied: true
      }
    ]);
  });

  it('treats a role named like an Object.prototype member as undefined, not as a function', () => {
    const input = gateInput({
      head: [],
      config: config({ approvals: { accept_stale: false, required_roles: ['constructor', 'toString'] } }),
      changed_files: promptChange,
      approvals: prInput([])
    });
    const { findings } = evaluateApprovals(createContext(input), []);
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['approvals.unknown-role', 'constructor'],
      ['approvals.unknown-role', 'toString']
    ]);
  });

  it('says so when the role is defined only by the configuration the pull request proposes', () => {
    const base = config({ approvals: { accept_stale: false, required_roles: ['ml-lead'] } });
    const head = config({
      roles: { ...base.roles, 'ml-lead': { users: ['mina'], teams: [] } },
      approvals: base.approvals
    });
    const input = {
      ...gateInput({ head: [], config: base, changed_files: promptChange, approvals: prInput([]) }),
      config_source: { side: 'base' as const, file: '.github/agent-gate.yml', sha256: null },
      proposed_config: { config: head, file: '.github/agent-gate.yml', sha256: 'x' }
    };
    const { findings } = evaluateApprovals(createContext(input), []);
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([['approvals.unknown-role', 'ml-lead']]);
    expect(findings[0]!.message).toBe(
      "Role `ml-lead` is required by configuration approvals.required_roles, but .github/agent-gate.yml defines no role `ml-lead` under `roles:`: nobody can ever approve it. The configuration this pull request proposes (.github/agent-gate.yml on the head) defines it, but roles are read from the base branch's configuration: it counts once that change is merged."
    );
    // a proposed role without holders, or a configuration read from the head, adds nothing
    const empty = { ...input, proposed_config: { ...input.proposed_config, config: base } };
    expect(evaluateApprovals(createContext(empty), []).findings[0]!.message).not.toContain('proposes');
  });

  it('adds the requirements it is given (the gate owner, from integrity)', () => {
    const input = gateInput({ head: [], config: config({ roles }), approvals: prInput([]) });
    const { evidence } = evaluateApprovals(createContext(input), [
      { role: 'release-manager', required_by: 'integrity: gate files changed (.github/workflows/gate.yml)' }
    ]);
    expect(evidence.map((e) => [e.role, e.required_by, e.satisfied])).toEqual([
      ['release-manager', ['integrity: gate files changed (.github/workflows/gate.yml)'], false]
    ]);
  });

  it('honours a severity override and "off" from the configuration', () => {
    const input = (rules: Record<string, 'warning' | 'off'>) =>
      gateInput({ head: [], config: { ...cfg, rules }, changed_files: promptChange, approvals: prInput([]) });
    expect(evaluateApprovals(createContext(input({ 'approvals.missing': 'warning' })), []).findings[0]?.severity).toBe(
      'warning'
    );
    expect(evaluateApprovals(createContext(input({ 'approvals.missing': 'off' })), []).findings).toEqual([]);
  });
});

describe('approvals that could not be read', () => {
  const roles = { 'release-manager': { users: ['dana'], teams: [] } };
  const cfg = config({ roles, approvals: { accept_stale: false, required_roles: ['release-manager'] } });
  const run = (approvals: ApprovalInput) =>
    evaluateApprovals(createContext(gateInput({ head: [], config: cfg, changed_files: promptChange, approvals })), [])
      .findings;

  it('leaves a role to a person when there is no pull request to read reviews from', () => {
    const findings = run(noApprovals('a push event has no pull request to read reviews from'));
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['approvals.unavailable', 'follow_up', 'release-manager']
    ]);
  });

  it('fails closed when the pull request reviews could not be read', () => {
    const reason = 'could not read the reviews of pull request #7 (HTTP 500 Internal Server Error)';
    const findings = run({ ...noApprovals(reason), read_failed: true, author: 'alex', head_sha: 'h2' });
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['approvals.read-failed', 'deny', 'release-manager']
    ]);
    expect(findings[0]?.message).toBe(
      `Role \`release-manager\` (required by configuration approvals.required_roles) cannot be shown to have approved: ${reason}. ` +
        'The reviews exist but could not be read, so the gate fails closed. It can be approved by @dana.'
    );
    expect(findings[0]?.observed).toEqual({ available: false, read_failed: true, reason });
  });
});

describe('a role whose team could not be read', () => {
  // the role names users and a team; the default GITHUB_TOKEN cannot read the team
  const roles = { 'release-manager': { users: ['dana'], teams: ['acme/release-managers'] } };
  const cfg = config({ roles, approvals: { accept_stale: false, required_roles: ['release-manager'] } });
  const reason = 'Not Found: the token cannot read organization teams (GITHUB_TOKEN never can)';
  const run = (reviews: Review[], extra: Partial<ApprovalInput> = {}) =>
    evaluateApprovals(
      createContext(
        gateInput({
          head: [],
          config: cfg,
          changed_files: promptChange,
          approvals: prInput(reviews, {
            teams: { 'acme/release-managers': null },
            team_errors: { 'acme/release-managers': reason },
            ...extra
          })
        })
      ),
      []
    );
  const danaApproves = review(1, 'dana', 'APPROVED', 'h2', '2026-01-01T00:00:00Z');
  const bobRequestsChanges = review(2, 'bob', 'CHANGES_REQUESTED', 'h2', '2026-01-02T00:00:00Z');

  it('does not ignore a change request by someone who may be a member', () => {
    const { findings, evidence } = run([danaApproves, bobRequestsChanges]);
    expect(evidence[0]?.satisfied).toBe(true);
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['approvals.team-unreadable', 'follow_up', 'release-manager']
    ]);
    expect(findings[0]?.message).toBe(
      '@bob (on h2) requested changes and may hold role `release-manager` through team @acme/release-managers ' +
        `(${reason}), whose members could not be read: the request is treated as standing until the reviewer ` +
        'approves, the review is dismissed or the gate can read the team.'
    );
    expect(findings[0]?.observed).toEqual([{ user: 'bob', state: 'CHANGES_REQUESTED', commit_id: 'h2' }]);
    expect(findings[0]?.evidence).toMatchObject({
      unreadable_teams: [{ team: 'acme/release-managers', reason }]
    });
  });

  it('says why when the members were never given (a --reviews file without teams)', () => {
    const { findings } = run([danaApproves, bobRequestsChanges], { teams: {}, team_errors: {} });
    expect(findings[0]?.message).toContain('@acme/release-managers (its members were not given to the gate)');
  });

  it('stays quiet without such a request, and once the request is withdrawn', () => {
    expect(run([danaApproves]).findings).toEqual([]);
    const dismissed = review(3, 'bob', 'DISMISSED', 'h2', '2026-01-03T00:00:00Z');
    expect(run([danaApproves, bobRequestsChanges, dismissed]).findings).toEqual([]);
    const approved = review(3, 'bob', 'APPROVED', 'h2', '2026-01-03T00:00:00Z');
    expect(run([danaApproves, bobRequestsChanges, approved]).findings).toEqual([]);
    // the author's own change request is not an objection by a role holder
    expect(run([danaApproves, review(2, 'alex', 'CHANGES_REQUESTED', 'h2', null)]).findings).toEqual([]);
  });

  it('ignores the request of a non-member once the team can be read', () => {
    const readable = { teams: { 'acme/release-managers': ['carol'] }, team_errors: {} };
    expect(run([danaApproves, bobRequestsChanges], readable).findings).toEqual([]);
    // and reports a member's request as a role holder's
    const member = { teams: { 'acme/release-managers': ['bob'] }, team_errors: {} };
    expect(run([danaApproves, bobRequestsChanges], member).findings.map((f) => f.rule)).toEqual([
      'approvals.changes-requested'
    ]);
  });

  it('reports the request alongside a missing approval', () => {
    const { findings } = run([bobRequestsChanges]);
    expect(findings.map((f) => f.rule)).toEqual(['approvals.team-unreadable', 'approvals.missing']);
  });
});

describe('collectRoleRequirements', () => {
  it('reads requiresApproval as a string or a list, from every Deployment in the head', () => {
    const deployment = (name: string, requiresApproval: string | string[]) =>
      rec(
        'deployment',
        {
          apiVersion: 'joch.dev/v1alpha1',
          kind: 'Deployment',
          metadata: { name },
          spec: { agentRef: { name: 'a' }, environmentRef: { name: 'prod' }, promotion: { requiresApproval } }
        },
        `records/${name}.yaml`
      );
    const input = gateInput({
      head: [deployment('prod', 'release-manager'), deployment('eu', ['release-manager', 'dpo'])],
      base: [deployment('prod', 'release-manager'), deployment('eu', ['release-manager', 'dpo'])],
      changed_files: promptChange
    });
    expect(
      collectRoleRequirements(createContext(input)).map((r) => [r.role, r.required_by, r.location?.pointer])
    ).toEqual([
      ['dpo', 'Deployment eu promotion.requiresApproval', '/spec/promotion/requiresApproval/1'],
      ['release-manager', 'Deployment eu promotion.requiresApproval', '/spec/promotion/requiresApproval/0'],
      ['release-manager', 'Deployment prod promotion.requiresApproval', '/spec/promotion/requiresApproval']
    ]);
  });
});

describe('required_reviews of a change reviewed in an earlier pull request', () => {
  const roles = {
    safety: { users: ['sam'], teams: [] },
    dpo: { users: ['dora'], teams: [] },
    engineering: { users: ['eli'], teams: [] }
  };
  const changeRecord = (id: string) =>
    rec(
      'change',
      {
        change: {
          change_id: id,
          change_type: 't',
          risk_level: 'low',
          rollout_strategy: 'canary',
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      `records/${id}/change.yaml`
    );
  const reviewRecord = (reviewId: string, changeId: string, requiredReviews: string[]) =>
    rec(
      'change_review_record',
      {
        kind: 'change_review_record',
        review_id: reviewId,
        change_id: changeId,
        owner: 'support-ai',
        change_type: 'prompt_update',
        risk_level: 'low',
        affected_surfaces: ['prompts'],
        required_reviews: requiredReviews,
        required_evals: [],
        status: 'approved'
      },
      `records/${changeId}/${reviewId}.yaml`
    );
  // merged earlier: on the base branch, unchanged here
  const reviewed = reviewRecord('cr-2', 'chg-2', ['safety']);
  const unrelated = reviewRecord('cr-9', 'chg-9', ['dpo']);
  const run = (head: ReturnType<typeof rec>[], base: ReturnType<typeof rec>[], reviews: Review[] = []) =>
    createContext(
      gateInput({ head, base, config: config({ roles }), changed_files: promptChange, approvals: prInput(reviews) })
    );

  it('requires the roles of the review record of a change record of this pull request', () => {
    const ctx = run([changeRecord('chg-2'), reviewed, unrelated], [reviewed, unrelated]);
    expect(
      collectRoleRequirements(ctx).map((r) => [r.role, r.required_by, r.location?.file, r.location?.pointer])
    ).toEqual([
      [
        'safety',
        'change_review_record cr-2 required_reviews (merged earlier)',
        'records/chg-2/cr-2.yaml',
        '/required_reviews/0'
      ]
    ]);
    const { findings, evidence } = evaluateApprovals(ctx, []);
    expect(findings.map((f) => [f.rule, f.subject, f.location?.file])).toEqual([
      ['approvals.missing', 'safety', 'records/chg-2/cr-2.yaml']
    ]);
    expect(findings[0]?.message).toBe(
      'Role `safety` has no approval on the head commit h2; required by change_review_record cr-2 required_reviews ' +
        '(merged earlier). Can approve: @sam.'
    );
    expect(evidence.map((e) => [e.role, e.satisfied])).toEqual([['safety', false]]);
    // an approval by the holder on the head commit satisfies it
    const approved = run([changeRecord('chg-2'), reviewed], [reviewed], [review(1, 'sam', 'APPROVED', 'h2', null)]);
    expect(evaluateApprovals(approved, []).findings).toEqual([]);
  });

  it('counts review records of this pull request and those merged earlier for its change records together', () => {
    const updated = reviewRecord('cr-3', 'chg-2', ['engineering']);
    const ctx = run([changeRecord('chg-2'), reviewed, updated], [reviewed]);
    expect(collectRoleRequirements(ctx).map((r) => [r.role, r.required_by])).toEqual([
      ['engineering', 'change_review_record cr-3 required_reviews'],
      ['safety', 'change_review_record cr-2 required_reviews (merged earlier)']
    ]);
  });

  it('does not let a review record of another change, untouched on the base branch, require anything', () => {
    // the pull request's change record is about chg-1; cr-9 (chg-9) and cr-2 (chg-2) are about other changes
    const ctx = run([changeRecord('chg-1'), reviewed, unrelated], [reviewed, unrelated]);
    expect(collectRoleRequirements(ctx)).toEqual([]);
    // no change record in the pull request: nothing merged earlier is pulled in
    expect(collectRoleRequirements(run([reviewed, unrelated], [reviewed, unrelated]))).toEqual([]);
    // the change record itself merged earlier (unchanged), and the pull request changes no record of it: no change
    // of its own, nothing required
    const merged = changeRecord('chg-2');
    expect(collectRoleRequirements(run([merged, reviewed], [merged, reviewed]))).toEqual([]);
  });

  it('keeps the roles a review record required when this pull request edits them out', () => {
    // the merged review required safety; the pull request rewrites it to require engineering only
    const weakened = reviewRecord('cr-2', 'chg-2', ['engineering']);
    const ctx = run([weakened], [reviewed]);
    expect(collectRoleRequirements(ctx).map((r) => [r.role, r.required_by, r.location?.side])).toEqual([
      ['engineering', 'change_review_record cr-2 required_reviews', 'head'],
      ['safety', 'change_review_record cr-2 required_reviews (its base copy: this pull request updates it)', 'base']
    ]);
  });

  it('requires the roles of the records of its changes merged earlier, whatever bytes it touches', () => {
    // a later pull request of chg-2 adds a second review record: the merged change record's approval_roles and the
    // merged review record's required_reviews still bind, and so does a gate record's decided_by
    const merged = rec(
      'change',
      {
        change: {
          change_id: 'chg-2',
          change_type: 't',
          risk_level: 'low',
          rollout_strategy: 'canary',
          required_signals: [],
          approval_roles: ['dpo'],
          session_control_owner: 'a',
          emergency_freeze_owner: 'b'
        }
      },
      'records/chg-2/change.yaml'
    );
    const second = reviewRecord('cr-3', 'chg-2', ['engineering']);
    const required = (head: ReturnType<typeof rec>[], base: ReturnType<typeof rec>[]) =>
      collectRoleRequirements(run(head, base)).map((r) => [r.role, r.required_by]);
    expect(required([merged, reviewed, second], [merged, reviewed])).toEqual([
      ['dpo', 'change chg-2 approval_roles (merged earlier)'],
      ['engineering', 'change_review_record cr-3 required_reviews'],
      ['safety', 'change_review_record cr-2 required_reviews (merged earlier)']
    ]);
    // deleting the merged records in the same pull request changes nothing: their base copies count
    expect(required([second], [merged, reviewed])).toEqual([
      ['dpo', 'change chg-2 approval_roles (merged earlier, removed on the head)'],
      ['engineering', 'change_review_record cr-3 required_reviews'],
      ['safety', 'change_review_record cr-2 required_reviews (merged earlier, removed on the head)']
    ]);
  });
});

describe('approvals RULES', () => {
  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id).toMatch(/^approvals\.[a-z-]+$/);
      expect(spec.description.length).toBeGreaterThan(60);
      expect(spec.fix.length).toBeGreaterThan(20);
    }
  });
});
