/**
 * Every decision document a test produces must conform to schemas/decision.schema.json, and every statement to
 * schemas/decision_statement.schema.json (through the validators generated from them). Shared by the engine,
 * decision and pipeline tests. Not bundled: only tests import this module.
 */
import { expect } from '@jest/globals';
import type { DecisionDocument, DecisionStatement } from '../../model/decision.js';
import { validate_decision, validate_decision_statement } from '../../read/generated/decision.js';
import { canonicalJson, sha256Hex } from '../canonical.js';

function problems(
  errors: readonly { instancePath?: string; message?: string; keyword?: string }[] | null | undefined
): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword ?? 'is invalid'}`);
}

export function expectConformingDecision(doc: DecisionDocument): void {
  const ok = validate_decision(doc);
  expect(ok ? [] : problems(validate_decision.errors)).toEqual([]);
}

export function expectConformingStatement(statement: DecisionStatement): void {
  const ok = validate_decision_statement(statement);
  expect(ok ? [] : problems(validate_decision_statement.errors)).toEqual([]);
  expectConformingDecision(statement.predicate);
}

/** A run's decision file: the canonical statement, its digest, and the statement and decision conforming. */
export function expectConformingRun(run: {
  decision: DecisionDocument;
  statement: DecisionStatement;
  canonical: string;
  digest: string;
}): void {
  expectConformingStatement(run.statement);
  expect(run.statement.predicate).toBe(run.decision);
  expect(run.canonical).toBe(canonicalJson(run.statement));
  expect(run.digest).toBe(sha256Hex(run.canonical));
  // nothing in the document is lost in the file: parsing the bytes gives the statement back
  expect(JSON.parse(run.canonical)).toEqual(JSON.parse(JSON.stringify(run.statement)));
}
