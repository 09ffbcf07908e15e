/**
 * evaluate(input) → DecisionDocument. Pure: the same input gives a byte-identical document,
 * whatever order the files were read in. Families run in dependency order: evals feed signals,
 * review and the AgBOM's model rule; integrity adds the owner role to the approvals required.
 */
import type { DecisionDocument } from '../model/decision.js';
import type { Evidence } from '../model/evidence.js';
import type { Family, Finding } from '../model/finding.js';
import type { GateInput } from '../model/input.js';
import { buildDecision, type DecisionContext } from '../decision/document.js';
import { createContext } from './context.js';
import { evaluateAgbom } from './agbom.js';
import { evaluateApprovals } from './approvals.js';
import { evaluateBaseRecords } from './base-records.js';
import { evaluateDrift } from './drift.js';
import { evaluateEvals } from './evals.js';
import { evaluateIntegrity } from './integrity.js';
import { evaluateReview } from './review.js';
import { evaluateRollout } from './rollout.js';
import { deriveSignals, signalEvidence } from './signals.js';
import { ALL_RULES } from './catalog.js';
import { maskJson } from './rules.js';
import type { Json } from '../model/finding.js';

/** Default severities, so the integrity family can tell what a configuration change turns off or downgrades. */
const RULE_DEFAULTS = Object.fromEntries(ALL_RULES.map((r) => [r.id, r.severity]));

function maskEvidence(evidence: Evidence): Evidence {
  return maskJson(evidence as unknown as Json) as unknown as Evidence;
}

export function evaluate(input: GateInput): DecisionDocument {
  const ctx = createContext(input);

  const evals = evaluateEvals(ctx);
  const integrity = evaluateIntegrity(ctx, RULE_DEFAULTS);
  const approvals = evaluateApprovals(ctx, integrity.roleRequirements);
  const signals = deriveSignals(ctx, evals.evidence, approvals.evidence);
  const review = evaluateReview(ctx, evals.evidence, signals);
  const rollout = evaluateRollout(ctx, signals, approvals.evidence);
  const drift = evaluateDrift(ctx);
  const agbom = evaluateAgbom(ctx, evals.evidence);

  // every family's evidence masked once more as a whole: record values copied into it must not repeat a secret
  // (findings are masked as they are collected)
  const evidence: Evidence = maskEvidence({
    review: review.evidence,
    rollout: rollout.evidence.rollout,
    evals: evals.evidence,
    drift: drift.evidence,
    agbom: agbom.evidence,
    approvals: approvals.evidence,
    chain: rollout.evidence.chain,
    signals: signalEvidence(signals)
  });
  const findings: Finding[] = [
    ...evals.findings,
    ...integrity.findings,
    ...approvals.findings,
    ...review.findings,
    ...rollout.findings,
    ...drift.findings,
    ...agbom.findings,
    ...evaluateBaseRecords(ctx)
  ];
  return buildDecision(decisionContext(input), findings, evidence, activeFamilies(evidence));
}

/** Families that had something to judge show "pass" rather than "skipped" when they found nothing. */
function activeFamilies(e: Evidence): Set<Family> {
  const active = new Set<Family>(['integrity']);
  if (e.review.surfaces.length > 0) active.add('review');
  if (e.rollout !== null || e.chain.length > 0) active.add('rollout');
  if (e.evals.length > 0) active.add('evals');
  if (e.drift.length > 0) active.add('drift');
  if (e.agbom !== null) active.add('agbom');
  if (e.approvals.length > 0) active.add('approvals');
  return active;
}

export function decisionContext(input: GateInput): DecisionContext {
  const kindOf = new Map<string, string>();
  for (const set of [input.head, input.base]) {
    if (!set) continue;
    for (const r of set.records) kindOf.set(`${set.side}\u0000${r.source.path}`, r.kind);
  }
  const cs = input.config_source;
  if (cs.file && cs.side !== 'default') kindOf.set(`${cs.side}\u0000${cs.file}`, 'config');
  if (input.proposed_config) kindOf.set(`head\u0000${input.proposed_config.file}`, 'config');
  const inputs: DecisionContext['inputs'] = [];
  for (const set of [input.head, input.base]) {
    if (!set) continue;
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
