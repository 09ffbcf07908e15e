/**
 * Change review (seed 001 §3 and the agent_runtime_ref change.yaml): every surface the change touches
 * is covered by a change_review_record of this change that lists it in `affected_surfaces`, so a risky
 * change cannot pass as "small tuning"; a high-risk change has a review record; review records are
 * approved and belong to the change they claim; change.yaml `required_signals` are evidenced true
 * (check-change: ready means no missing signals). Each change record is judged on its own: only review
 * records with its change_id review it, and only signals asserted for it (or for every change) evidence it;
 * an assessment naming a change this pull request is not about is reported.
 *
 * Required evals are judged by the evals family and required reviews by the approvals family; this
 * family lists them in its evidence without repeating their findings.
 */
import type { EvalEvidence, Evidence, SurfaceEvidence } from '../model/evidence.js';
import type { Rec } from '../model/input.js';
import {
  changeRecords,
  cmp,
  earlierNote,
  locationOf,
  pointer,
  type FamilyResult,
  type GateContext
} from './context.js';
import { matchesAny, touchedPaths } from './globs.js';
import { nearest } from '../read/validate.js';
import { defineRules, FindingList } from './rules.js';
import {
  describeUnevidenced,
  signalOf,
  signalSources,
  softenIfAwaiting,
  unevidencedValues,
  type SignalTable
} from './signals.js';

export const RULES = defineRules('review', {
  'review.missing-record': {
    severity: 'deny',
    title: 'Agent surfaces changed without a change review record',
    description:
      'The change touches paths of one or more configured surfaces (prompts, model_routing, tool_exposure, ' +
      'policy_bundle, …) but adds or updates no change_review_record. Every change to an agent surface needs a ' +
      'review record of its own that says what changed, how risky it is, who must review it and which evals must pass.',
    fix: 'Add a change_review_record for this change that lists every touched surface in affected_surfaces.'
  },
  'review.uncovered-surface': {
    severity: 'deny',
    title: 'Changed surface is not listed in any review record',
    description:
      "A file of a configured surface changed, but none of this change's change_review_records lists that surface " +
      'in affected_surfaces. This is how a risky change passes as "small tuning": the review record describes ' +
      'part of the change and the reviewers never see the rest.',
    fix: 'Add the surface to affected_surfaces of the review record (and have its reviewers look at those files), or split the change.'
  },
  'review.changes-unknown': {
    severity: 'warning',
    title: 'Changed files are unknown: surface coverage was not checked',
    description:
      'The gate was not given the list of files the change touches (no pull request, no base to diff with), so ' +
      'it could not check which surfaces changed or whether the gate’s own files changed.',
    fix: 'Run the gate on a pull request, or give the CLI a base (--base REF or --base-dir DIR; the action input base-ref) so changed files can be listed.'
  },
  'review.high-risk-unreviewed': {
    severity: 'deny',
    title: 'High-risk change has no review record',
    description:
      'A change record (change.yaml) declares risk_level high or critical, but no change_review_record has its ' +
      'change_id, in this change or merged earlier. Each change record is judged on its own: a review record of ' +
      'another change in the same pull request does not review it. Seed invariant: a high-risk change does not ' +
      'enter rollout without a review record.',
    fix: 'Add a change_review_record with the same change_id, its affected surfaces, required reviews and required evals.'
  },
  'review.risk-understated': {
    severity: 'deny',
    title: 'Review record rates the change lower than its change record',
    description:
      'A change_review_record gives a lower risk_level (low < medium < high < critical) than the change record ' +
      '(change.yaml) of the same change_id declares. What a review demands (the reviews and evals it requires) ' +
      'follows from the risk it saw: a review of a critical change that rated it low has not reviewed the change ' +
      'as declared.',
    fix: 'Review the change at the risk its change record declares (and require what that risk needs), or correct the change record if its risk was overstated.'
  },
  'review.not-approved': {
    severity: 'follow_up',
    title: 'Review record is not approved yet',
    description:
      "A change_review_record of this pull request's changes (its own, or one merged earlier — left alone or removed " +
      'on the head) has status draft, proposed, in_review or changes_requested. status is ' +
      'an operational fact: the change is releasable only once its review record says approved (and the roles in ' +
      'required_reviews have approved the pull request).',
    fix: 'Finish the review and set status: approved in the record once the required reviewers agree.'
  },
  'review.rejected': {
    severity: 'deny',
    title: 'Review record is rejected or withdrawn',
    description:
      "A change_review_record of this pull request's changes (its own, or one merged earlier — left alone or removed " +
      'on the head) has status rejected or withdrawn: its reviewers decided the change ' +
      'must not be released.',
    fix: 'Rework the change and open a new review, or remove the change from this pull request.'
  },
  'review.missing-signal': {
    severity: 'deny',
    title: 'Change record has required signals without evidence',
    description:
      'change.yaml required_signals name the release evidence the change needs (design_review_passed, ' +
      'offline_eval_passed, rollback_plan_ready, …). As in agent_runtime_ref check-change, the change is ready ' +
      'only when every required signal is evidenced true: derived by the gate (signals: in the configuration) or ' +
      'asserted in a rollout_assessment record of this change. An unknown signal is missing, not passed.',
    fix: 'Produce the evidence for each missing signal: define how the gate derives it under signals:, or assert it in a rollout_assessment record.'
  },
  'review.change-id-mismatch': {
    severity: 'deny',
    title: 'Review record belongs to a different change',
    description:
      "A change_review_record in this change names a change_id that differs from the change record's (change.yaml) " +
      'change_id. The review then does not describe this change, and the change_id → bundle_id → rollout_wave ' +
      'chain cannot be reconstructed.',
    fix: 'Make change_id in the review record match change.change_id in change.yaml (or review the right change).'
  },
  'review.assessment-other-change': {
    severity: 'deny',
    title: 'Rollout assessment belongs to a different change',
    description:
      "A rollout_assessment record in this change names a change_id that none of this change's change records, " +
      'review records or rollout gate records has. Its signals are about that other change: they evidence nothing ' +
      'here, and a blocker it asserts is not applied here either. Usually the change_id is mistyped or stale.',
    fix:
      "Set change_id in the assessment to this change's change_id (or remove it, so the signals apply to every " +
      'change of the pull request), or move the assessment to the pull request of the change it names.'
  },
  'review.duplicate-id': {
    severity: 'deny',
    title: 'Two records claim the same identity',
    description:
      'Two change_review_records of this change share a review_id, or two change records share a change_id. The ' +
      'gate cannot tell which one is authoritative, and an incident review could reconstruct the wrong one.',
    fix: 'Give each record its own id, or delete the stale copy.'
  },
  'review.unknown-surface': {
    severity: 'warning',
    title: 'A record names a surface the configuration almost has',
    description:
      'A change record or change_review_record this pull request adds or edits lists, in affected_surfaces, a name that is no surface of the configuration but is one or two letters away from one (`prompt` for `prompts`). The gate matches surfaces by name: the misspelt one covers nothing, and the surface meant stays uncovered (review.uncovered-surface says so when its files changed). Names far from every surface are left alone: a record may describe areas the configuration does not map to files.',
    fix: 'Write the surface as the configuration names it (the finding suggests the nearest), or add the surface to `surfaces` in the configuration.'
  },
  'review.required-eval-unchecked': {
    severity: 'deny',
    title: 'Required eval was not evaluated',
    description:
      'A change_review_record lists an eval in required_evals that the evals family produced no result for at ' +
      'all. No evidence is not a pass.',
    fix: 'Add the Eval record and its results, or correct the eval name in required_evals.'
  }
});

const PENDING_STATUSES = ['draft', 'proposed', 'in_review', 'changes_requested'];
const HIGH_RISK = ['high', 'critical'];
const RISK_ORDER = ['low', 'medium', 'high', 'critical'];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const quoteList = (items: string[]) => (items.length > 0 ? items.join(', ') : 'none');

/** Records in file order, then by id (several records may share a file). */
function byPathThenId<R extends Rec>(id: (r: R) => string) {
  return (a: R, b: R) => cmp(a.source.path, b.source.path) || cmp(id(a), id(b));
}

export function evaluateReview(
  ctx: GateContext,
  evals: EvalEvidence[],
  signals: SignalTable
): FamilyResult<Evidence['review']> {
  const findings = new FindingList(ctx.config);
  const reviews = [...ctx.active('change_review_record')].sort(byPathThenId((r) => str(r.data.review_id)));
  // every change record and review record of this pull request's changes: its own, those merged earlier (left
  // alone or removed on the head: the base copy), so that which records count never depends on the bytes touched
  const changeRecs = changeRecords(ctx, 'change');
  const reviewRecs = changeRecords(ctx, 'change_review_record');
  const changes = changeRecs.map((c) => c.record).sort(byPathThenId((r) => str(r.data.change?.change_id)));
  const allReviews = reviewRecs.map((c) => c.record);
  const notes = new Map<Rec, string>([...changeRecs, ...reviewRecs].map((c) => [c.record, earlierNote(c)]));
  const baseCopies = new Map<Rec, Rec<'change'>>();
  for (const c of changeRecs) if (c.was) baseCopies.set(c.record, c.was);

  // duplicated identities
  // (a record of this pull request that repeats the id of one merged earlier is a duplicate too: the second copy
  // would otherwise shadow the first)
  const own = new Set<Rec>([...ctx.active('change_review_record'), ...ctx.active('change')]);
  const duplicates = (items: { id: string; rec: Rec; ptr: string }[], what: string) => {
    const byId = new Map<string, { rec: Rec; ptr: string }[]>();
    for (const it of items) byId.set(it.id, [...(byId.get(it.id) ?? []), it]);
    for (const [id, list] of [...byId].sort(([a], [b]) => cmp(a, b))) {
      if (list.length < 2 || !list.some((l) => own.has(l.rec))) continue;
      const files = list.map((l) => l.rec.source.path);
      findings.add(RULES['review.duplicate-id'], {
        subject: id,
        location: locationOf(list[1]!.rec, list[1]!.ptr),
        message: `${what} ${id} appears in ${list.length} records of this change: ${files.join(', ')}; each must be unique.`,
        observed: files,
        required: `one record with ${what} ${id}`,
        evidence: { id, files }
      });
    }
  };
  duplicates(
    [...allReviews]
      .sort(byPathThenId((r) => str(r.data.review_id)))
      .map((r) => ({ id: str(r.data.review_id), rec: r, ptr: '/review_id' })),
    'review_id'
  );
  duplicates(
    changes.map((r) => ({ id: str(r.data.change?.change_id), rec: r, ptr: '/change/change_id' })),
    'change_id'
  );

  // surfaces
  const surfaces: SurfaceEvidence[] = [];
  const changed = ctx.input.changed_files;
  if (changed === null) {
    findings.add(RULES['review.changes-unknown'], {
      message:
        'The files this change touches are unknown, so the gate could not check which surfaces changed, whether ' +
        "each is covered by a review record, or whether the gate's own files changed.",
      observed: null,
      required: 'the list of changed files'
    });
  } else {
    const surfaceGlobs = ctx.config.surfaces ?? {};
    for (const surface of Object.keys(surfaceGlobs).sort(cmp)) {
      const globs = strings(surfaceGlobs[surface]);
      const files = new Set<string>();
      for (const f of changed) for (const p of touchedPaths(f)) if (matchesAny(p, globs)) files.add(p);
      if (files.size === 0) continue;
      const coveredBy = reviews.filter((r) => strings(r.data.affected_surfaces).includes(surface));
      surfaces.push({
        surface,
        files: [...files].sort(cmp),
        covered_by: [...new Set(coveredBy.map((r) => str(r.data.review_id)))].sort(cmp)
      });
    }
    const touched = surfaces.map((s) => s.surface);
    if (touched.length > 0 && reviews.length === 0) {
      const headReviews = ctx.head.of('change_review_record').map((r) => `${r.source.path} (${str(r.data.review_id)})`);
      const allFiles = [...new Set(surfaces.flatMap((s) => s.files))].sort(cmp);
      findings.add(RULES['review.missing-record'], {
        subject: touched.join(','),
        location: { file: allFiles[0]! },
        message:
          `The change touches ${touched.map((s) => `\`${s}\``).join(', ')} (${allFiles.join(', ')}) but adds or ` +
          'updates no change_review_record' +
          (headReviews.length > 0
            ? `; ${headReviews.join(', ')} ${headReviews.length > 1 ? 'are' : 'is'} unchanged and ` +
              `${headReviews.length > 1 ? 'describe' : 'describes'} an earlier change.`
            : '.'),
        observed: null,
        required: `a change_review_record listing ${touched.join(', ')} in affected_surfaces`,
        evidence: { surfaces: surfaces.map((s) => ({ surface: s.surface, files: s.files })) }
      });
    } else {
      for (const s of surfaces) {
        if (s.covered_by.length > 0) continue;
        const first = reviews[0]!;
        const listed = reviews.map(
          (r) => `${str(r.data.review_id)} lists ${quoteList(strings(r.data.affected_surfaces))}`
        );
        findings.add(RULES['review.uncovered-surface'], {
          subject: s.surface,
          location: locationOf(first, '/affected_surfaces'),
          message:
            `${s.files.join(', ')} ${s.files.length > 1 ? 'change' : 'changes'} the \`${s.surface}\` surface, but no ` +
            `change_review_record of this change lists \`${s.surface}\` in affected_surfaces (${listed.join('; ')}).`,
          observed: reviews.map((r) => ({
            review_id: str(r.data.review_id),
            affected_surfaces: strings(r.data.affected_surfaces)
          })),
          required: `\`${s.surface}\` in affected_surfaces`,
          evidence: { surface: s.surface, files: s.files, globs: strings(surfaceGlobs[s.surface]) },
          fix:
            `Add \`${s.surface}\` to affected_surfaces in ${first.source.path} and have its reviewers look at ` +
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
    if (!HIGH_RISK.includes(risk)) continue;
    const id = str(change?.change_id);
    if (allReviews.some((r) => r.data.change_id === id)) continue;
    const others = [...new Set(reviews.map((r) => str(r.data.change_id)))].sort(cmp);
    findings.add(RULES['review.high-risk-unreviewed'], {
      subject: id,
      location: locationOf(c, '/change/risk_level'),
      message:
        `Change ${id} declares risk_level ${str(change?.risk_level)} but has no change_review_record` +
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
    if (!RISK_ORDER.includes(declared)) continue;
    for (const r of [...allReviews].sort(byPathThenId((x) => str(x.data.review_id)))) {
      if (r.data.change_id !== id) continue;
      const rated = str(r.data.risk_level).trim().toLowerCase();
      if (!RISK_ORDER.includes(rated) || RISK_ORDER.indexOf(rated) >= RISK_ORDER.indexOf(declared)) continue;
      findings.add(RULES['review.risk-understated'], {
        subject: str(r.data.review_id),
        location: locationOf(r, '/risk_level'),
        message:
          `change_review_record ${str(r.data.review_id)}${notes.get(r) ?? ''} rates change ${id} ${rated}, but its ` +
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
      if (changeIds.includes(r.data.change_id)) continue;
      findings.add(RULES['review.change-id-mismatch'], {
        subject: str(r.data.review_id),
        location: locationOf(r, '/change_id'),
        message:
          `change_review_record ${str(r.data.review_id)} reviews change ${str(r.data.change_id)}, but this change's ` +
          `change record${changeIds.length > 1 ? 's declare' : ' declares'} ${changeIds.join(', ')}.`,
        observed: str(r.data.change_id),
        required: changeIds.length === 1 ? changeIds[0]! : changeIds,
        evidence: { review_id: str(r.data.review_id), change_records: changes.map((c) => c.source.path) }
      });
    }
  }

  // status: every review record of this pull request's changes, merged earlier ones too (a change rejected in an
  // earlier pull request stays rejected until its review record says otherwise)
  for (const r of [...allReviews].sort(byPathThenId((x) => str(x.data.review_id)))) {
    const status = str(r.data.status);
    if (status === 'approved') continue;
    const rejected = !PENDING_STATUSES.includes(status);
    findings.add(rejected ? RULES['review.rejected'] : RULES['review.not-approved'], {
      subject: str(r.data.review_id),
      location: locationOf(r, '/status'),
      message:
        `change_review_record ${str(r.data.review_id)}${notes.get(r) ?? ''} has status ${status || '(none)'}; ` +
        (rejected ? 'its reviewers decided the change must not be released.' : 'it must be approved before release.'),
      observed: status,
      required: 'approved'
    });
  }

  // required evals are judged by the evals family; only an eval it never saw is reported here
  const evaluated = new Set(evals.map((e) => e.eval));
  for (const r of reviews) {
    strings(r.data.required_evals).forEach((name, i) => {
      if (evaluated.has(name)) return;
      findings.add(RULES['review.required-eval-unchecked'], {
        subject: name,
        location: locationOf(r, pointer('required_evals', i)),
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
      const asserted = Object.keys(a.data.signals ?? {}).sort(cmp);
      findings.add(RULES['review.assessment-other-change'], {
        subject: named,
        location: locationOf(a, '/change_id'),
        message:
          `rollout_assessment ${a.source.path} asserts signals for change ${named}, but this change's records are ` +
          `about ${signals.changes.join(', ')}; its ${asserted.length} signal${asserted.length === 1 ? '' : 's'} ` +
          `(${quoteList(asserted)}) evidence nothing here.`,
        observed: named,
        required: signals.changes.length === 1 ? signals.changes[0]! : [...signals.changes],
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
    const missing = required.filter((s) => signalOf(scope, s).value !== true);
    if (missing.length === 0) continue;
    const firstIndex = listed.indexOf(missing[0]!);
    const at = firstIndex >= 0 || !was ? c : was;
    const index = firstIndex >= 0 ? firstIndex : strings(was?.data.change?.required_signals).indexOf(missing[0]!);
    const finding = findings.add(RULES['review.missing-signal'], {
      subject: str(change?.change_id),
      location: locationOf(at, pointer('change', 'required_signals', index)),
      message:
        `Change ${str(change?.change_id)}${notes.get(c) ?? ''} is not ready: ${missing.length} of ${required.length} required signals ` +
        `are not evidenced true: ${describeUnevidenced(scope, missing)}.`,
      ...unevidencedValues(scope, missing),
      evidence: { missing_signals: missing, sources: signalSources(scope, missing) }
    });
    softenIfAwaiting(finding, scope, missing);
  }

  reportSurfaceTypos(ctx, findings);
  return { findings: findings.items, evidence: { surfaces } };
}

/**
 * Names in affected_surfaces of this pull request's records that are a typo away from a configured surface: one
 * finding per record. Names of fewer than four characters are left alone (against short surface names such as
 * `api` or `ui`, every short word would be "a typo away").
 */
function reportSurfaceTypos(ctx: GateContext, findings: FindingList): void {
  const configured = Object.keys(ctx.config.surfaces).sort(cmp);
  const known = new Set(configured);
  const listed: { rec: Rec; what: string; names: unknown; at: string[] }[] = [
    ...ctx.active('change').map((r) => ({
      rec: r as Rec,
      what: `change ${str(r.data.change?.change_id)}`,
      names: r.data.change?.affected_surfaces,
      at: ['change', 'affected_surfaces']
    })),
    ...ctx.active('change_review_record').map((r) => ({
      rec: r as Rec,
      what: `change_review_record ${str(r.data.review_id)}`,
      names: r.data.affected_surfaces,
      at: ['affected_surfaces']
    }))
  ].sort((a, b) => cmp(a.rec.source.path, b.rec.source.path) || cmp(a.what, b.what));
  for (const { rec, what, names, at } of listed) {
    if (!Array.isArray(names)) continue;
    const typos: { index: number; name: string; near: string }[] = [];
    names.forEach((name: unknown, index) => {
      if (typeof name !== 'string' || name.length < 4 || known.has(name)) return;
      const near = nearest(name, configured);
      if (near !== undefined) typos.push({ index, name, near });
    });
    if (typos.length === 0) continue;
    const shown = typos.slice(0, MESSAGE_TYPOS).map((t) => `"${t.name}" (did you mean "${t.near}"?)`);
    const more = typos.length > shown.length ? `, and ${typos.length - shown.length} more` : '';
    findings.add(RULES['review.unknown-surface'], {
      subject: typos[0]!.name,
      location: locationOf(rec, pointer(...at, typos[0]!.index)),
      message: `${what} lists ${typos.length === 1 ? 'a surface' : `${typos.length} surfaces`} the configuration does not define: ${shown.join(', ')}${more}. As written, ${typos.length === 1 ? 'it covers' : 'they cover'} no file.`,
      observed: typos.length === 1 ? typos[0]!.name : typos.slice(0, MESSAGE_TYPOS).map((t) => t.name),
      required: typos.length === 1 ? typos[0]!.near : typos.slice(0, MESSAGE_TYPOS).map((t) => t.near),
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
