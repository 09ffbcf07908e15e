import { describe, expect, it } from '@jest/globals';
import { defineRules, FindingList, makeFinding, maskJson } from '../rules.js';
import type { Json } from '../../model/finding.js';
import { DEFAULT_CONFIG } from '../../settings/defaults.js';

const RULES = defineRules('evals', {
  'evals.example': { severity: 'deny', title: 'Example', description: 'd', fix: 'f' }
});

describe('makeFinding', () => {
  it('uses the rule default severity', () => {
    const f = makeFinding(DEFAULT_CONFIG, RULES['evals.example'], { message: 'm' });
    expect(f).toMatchObject({ rule: 'evals.example', family: 'evals', severity: 'deny', title: 'Example', fix: 'f' });
  });
  it('applies a configured override and drops rules that are off', () => {
    const cfg = { ...DEFAULT_CONFIG, rules: { 'evals.example': 'warning' as const } };
    expect(makeFinding(cfg, RULES['evals.example'], { message: 'm' })?.severity).toBe('warning');
    const off = { ...DEFAULT_CONFIG, rules: { 'evals.example': 'off' as const } };
    expect(makeFinding(off, RULES['evals.example'], { message: 'm' })).toBeNull();
  });
  it('rejects a rule id outside its family', () => {
    expect(() =>
      defineRules('drift', { 'evals.x': { severity: 'deny', title: 't', description: 'd', fix: 'f' } })
    ).toThrow(/must start with "drift."/);
  });
});

describe('FindingList', () => {
  const TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9f3kZb0q1T8c5nYk2\n-----END RSA PRIVATE KEY-----';

  it('never lets a finding of any family repeat a secret from a record, wherever it is quoted', () => {
    const list = new FindingList(DEFAULT_CONFIG);
    const f = list.add(RULES['evals.example'], {
      message: `Review record ${TOKEN} is not approved`,
      observed: [TOKEN, 3],
      required: { [TOKEN]: TOKEN },
      evidence: { review_id: TOKEN, nested: { key: KEY }, count: 2 },
      subject: TOKEN,
      location: { file: 'records/r.yaml', line: 3, pointer: `/reviews/${TOKEN}` }
    })!;
    const text = JSON.stringify(f);
    expect(text).not.toContain(TOKEN.slice(4, 20));
    expect(text).not.toContain('MIIEow');
    expect(f.message).toBe('Review record ghp_…Q7r8 is not approved');
    expect(f.evidence).toMatchObject({ count: 2 });
    // the file stays a path the reader can open
    expect(f.location!.file).toBe('records/r.yaml');
  });

  it('masks a masked text to itself (families that mask first are left as they are)', () => {
    const list = new FindingList(DEFAULT_CONFIG);
    const once = list.add(RULES['evals.example'], { message: `a ${TOKEN} and ${KEY}` })!.message;
    const twice = list.add(RULES['evals.example'], { message: once })!.message;
    expect(twice).toBe(once);
    expect(once).toContain('-----BEGIN RSA PRIVATE KEY-----…');
  });
});

describe('maskJson', () => {
  it('masks secrets in strings and keys, and keeps every key an own property, `__proto__` included', () => {
    const token = `ghp_${'a1'.repeat(18)}`;
    const evidence = JSON.parse(
      `{"run_id":"${token}","__proto__":{"x":1},"list":[{"${token}":2,"n":null,"b":true}],"constructor":"c"}`
    ) as Json;
    const masked = maskJson(evidence) as Record<string, Json>;
    expect(Object.keys(masked)).toEqual(['run_id', '__proto__', 'list', 'constructor']);
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(masked['__proto__']).toEqual({ x: 1 });
    expect(JSON.stringify(masked)).not.toContain(token);
    expect(JSON.stringify(masked)).toBe(
      `{"run_id":"ghp_…a1a1","__proto__":{"x":1},"list":[{"ghp_…a1a1":2,"n":null,"b":true}],"constructor":"c"}`
    );
  });
});

describe('invisible characters in what people read', () => {
  it('are shown as escapes in the message, subject, fix and observed value; the evidence keeps them', () => {
    const list = new FindingList(DEFAULT_CONFIG);
    const id = 'chg-2026\u200b-01';
    list.add(RULES['evals.example'], {
      message: `Change ${id} has no review (the review names chg-2026-01)`,
      subject: id,
      observed: id,
      required: 'chg-2026-01',
      evidence: { change_id: id }
    });
    const [f] = list.items;
    expect(f!.message).toBe('Change chg-2026\\u200b-01 has no review (the review names chg-2026-01)');
    expect(f!.subject).toBe('chg-2026\\u200b-01');
    expect(f!.observed).toBe('chg-2026\\u200b-01');
    expect(f!.evidence).toEqual({ change_id: id });
    // right-to-left overrides and a byte order mark as well; ordinary text is untouched
    list.add(RULES['evals.example'], { message: 'a\u202eb\ufeffc é 😀' });
    expect(list.items[1]!.message).toBe('a\\u202eb\\ufeffc é 😀');
  });
});
