import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { EvalEvidence } from '../../model/evidence.js';
import type { Finding } from '../../model/finding.js';
import type { LoadedRecord } from '../../model/input.js';
import type { CdxComponent, CdxService, CycloneDxBom, EvalRecord } from '../../model/records.js';
import { config, gateInput, rec } from '../../testing/records.js';
import { createContext } from '../context.js';
import { evaluateAgbom, notExactVersion, pinningDigest, RULES } from '../agbom.js';
import { normaliseBom } from '../agbom-components.js';
import { loadRecord } from './fixture-repo.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/agbom');
const BOM_PATH = 'records/agbom/support-triage.cdx.json';

/** An AgBOM fixture as read from one side of the repository, optionally presented at another path. */
function bomRecord(variant: string, side: 'base' | 'head', path = BOM_PATH): LoadedRecord {
  const record = loadRecord('agbom', join(FIXTURES, variant), BOM_PATH, side);
  return { ...record, source: { ...record.source, path } } as LoadedRecord;
}
const EVAL_RECORDS = ['support-triage-quality', 'triage-model-regression', 'reply-tone'].map((name) =>
  loadRecord('eval', join(FIXTURES, 'evals'), `records/evals/${name}.yaml`)
);

/** A copy of an AgBOM record with its data edited (the locator still answers for the original lines). */
function editBom(record: LoadedRecord, edit: (bom: CycloneDxBom) => void): LoadedRecord {
  const data = structuredClone(record.data) as CycloneDxBom;
  edit(data);
  return { ...record, data } as LoadedRecord;
}

function evidenceOf(name: string, verdict: EvalEvidence['verdict'], required = true): EvalEvidence {
  return {
    eval: name,
    required,
    required_by: required ? ['Deployment support-triage-prod'] : [],
    verdict,
    metrics: []
  };
}

/**
 * The AgBOM family on `head` against `base` (null: no base branch). Both sides hold the fixture Eval records unless
 * `headEvals` / `baseEvals` replace them.
 */
function judge(
  head: LoadedRecord[],
  base: LoadedRecord[] | null,
  options: {
    evals?: EvalEvidence[];
    cfg?: ReturnType<typeof config>;
    headEvals?: LoadedRecord[];
    baseEvals?: LoadedRecord[];
  } = {}
) {
  const input = gateInput({
    head: [...head, ...(options.headEvals ?? EVAL_RECORDS)],
    base: base === null ? null : [...base, ...(options.baseEvals ?? EVAL_RECORDS)],
    config: options.cfg ?? config()
  });
  return evaluateAgbom(createContext(input), options.evals ?? []);
}

/** base branch: the fixture base; head: one of the fixture heads. */
const judgeVariant = (variant: string, options: Parameters<typeof judge>[2] = {}) =>
  judge([bomRecord(variant, 'head')], [bomRecord('base', 'base')], options);

const brief = (findings: Finding[]) => findings.map((f) => [f.rule, f.severity, f.subject]);

describe('AgBOM diff: a reviewed upgrade', () => {
  const { findings, evidence } = judgeVariant('head-clean');

  it('finds nothing high-risk', () => {
    expect(findings).toEqual([]);
  });

  it('counts and lists what changed, sorted by key, with field-level differences', () => {
    expect(evidence).toMatchObject({
      base_file: BOM_PATH,
      head_file: BOM_PATH,
      counts: { base: 16, head: 17, added: 1, removed: 0, changed: 3, unchanged: 13 }
    });
    expect(evidence!.components.map((c) => [c.key, c.agent_kind, c.change])).toEqual([
      ['agent:support-triage', 'agent', 'changed'],
      ['mcp:github', 'mcp_server', 'changed'],
      ['prompt:triage-system', 'prompt', 'changed'],
      ['tool:kb.search', 'tool', 'added']
    ]);
    const github = evidence!.components[1]!;
    expect(github.differences.map((d) => d.field)).toEqual(['properties.agentgate:digest', 'version']);
    expect(github.differences[1]).toEqual({ field: 'version', base: '1.2.0', head: '1.3.1' });
    expect(github.base).toEqual({ version: '1.2.0', hashes: {} });
    const prompt = evidence!.components[2]!;
    expect(prompt.differences.map((d) => d.field)).toEqual(['hashes.SHA-256', 'version']);
    expect(evidence!.components.every((c) => c.risks.length === 0)).toBe(true);
  });
});

describe('agbom.mcp-unpinned (seed 000: a deploy adds a previously-unpinned MCP server)', () => {
  const { findings, evidence } = judgeVariant('head-mcp-unpinned');

  it('denies MCP servers added or changed without an exact version and a digest', () => {
    expect(brief(findings)).toEqual([
      ['agbom.mcp-unpinned', 'deny', 'mcp:jira'],
      ['agbom.mcp-unpinned', 'deny', 'mcp:postgres'],
      ['agbom.mcp-unpinned', 'deny', 'mcp:slack']
    ]);
    const byKey = Object.fromEntries(findings.map((f) => [f.subject, f]));
    expect(byKey['mcp:jira']!.message).toBe(
      'MCP server "jira-mcp" was added with a version range ("^1.4"), no digest; required: an exact version and a SHA-256/384/512 digest.'
    );
    expect(byKey['mcp:slack']!.message).toContain('a floating tag ("latest"), no digest');
    expect(byKey['mcp:postgres']!.message).toBe(
      'MCP server "mcp-server-postgres" was changed with no digest; required: an exact version and a SHA-256/384/512 digest.'
    );
    expect(byKey['mcp:jira']!.location).toMatchObject({ file: BOM_PATH, side: 'head', pointer: '/services/2/version' });
    expect(byKey['mcp:jira']!.location!.line).toBeGreaterThan(1);
  });

  it('marks the risk on the component evidence', () => {
    const jira = evidence!.components.find((c) => c.key === 'mcp:jira')!;
    expect(jira.risks).toEqual(['MCP server not pinned (a version range ("^1.4"), no digest)']);
  });
});

describe('agbom.mcp-unpinned in metadata.tools (CycloneDX 1.5+ object form)', () => {
  it('judges tool components and services like top-level ones, located under /metadata/tools', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) => {
      const tools = bom.metadata!.tools as { components: CdxComponent[]; services?: CdxService[] };
      tools.components.push({ type: 'application', 'bom-ref': 'mcp:evil', name: 'evil-mcp-server', version: 'latest' });
      tools.services = [
        {
          'bom-ref': 'svc:group',
          name: 'helpers',
          services: [
            {
              'bom-ref': 'svc:evil',
              name: 'evil-mcp',
              version: '^1.4',
              endpoints: ['https://mcp.evil.example/x'],
              properties: [{ name: 'agentgate:side_effect', value: 'read' }]
            }
          ]
        }
      ];
    });
    const { findings, evidence } = judge([head], [bomRecord('base', 'base')]);
    const unpinned = findings.filter((f) => f.rule === 'agbom.mcp-unpinned');
    expect(unpinned.map((f) => [f.subject, f.location?.pointer])).toEqual([
      ['mcp:evil', '/metadata/tools/components/1/version'],
      ['svc:evil', '/metadata/tools/services/0/services/0/version']
    ]);
    expect(unpinned[0]!.message).toBe(
      'MCP server "evil-mcp-server" was added with a floating tag ("latest"), no digest; required: an exact version and a SHA-256/384/512 digest.'
    );
    expect(evidence!.counts).toMatchObject({ added: 3, changed: 0 });
  });
});

describe('agbom.unapproved-side-effect and agbom.low-trust', () => {
  const { findings } = judgeVariant('head-risky-tools');

  it('denies writing or destructive tools without approval, including AOS `scope` and a dropped approval', () => {
    expect(brief(findings)).toEqual([
      ['agbom.unapproved-side-effect', 'deny', 'tool:zendesk.create_comment'],
      ['agbom.unapproved-side-effect', 'deny', 'tool:zendesk.delete_ticket'],
      ['agbom.unapproved-side-effect', 'deny', 'urn:tool:crm-notes'],
      ['agbom.low-trust', 'deny', 'urn:tool:translate']
    ]);
    const messages = findings.map((f) => f.message);
    expect(messages[1]).toBe(
      'Tool "zendesk.delete_ticket" was added with side effect destructive (agentgate:side_effect) and no requires_approval property; required: agentgate:requires_approval "true".'
    );
    expect(messages[2]).toContain('with side effect external_write (scope)');
    expect(messages[3]).toBe(
      'Tool "TranslateAPI" was added with trust score 0.4 (trustScore); required: at least 0.7.'
    );
    expect(findings[3]!.location!.pointer).toBe('/services/3/properties/2/value');
  });

  it('uses the configured minimum trust score', () => {
    const cfg = config();
    cfg.agbom = { min_trust_score: 0.3 };
    expect(judgeVariant('head-risky-tools', { cfg }).findings.map((f) => f.rule)).not.toContain('agbom.low-trust');
  });

  it('warns about a new tool that declares no side effect', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) =>
      bom.services!.push({ name: 'ticket-lookup', 'bom-ref': 'tool:lookup' })
    );
    const { findings: found } = judge([head], [bomRecord('base', 'base')]);
    expect(brief(found)).toEqual([['agbom.undeclared-side-effect', 'warning', 'tool:lookup']]);
  });
});

describe('a kind written to escape the rules', () => {
  it('an MCP server written as kind agent is still judged as an MCP server: unpinned and writing without approval', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) => {
      bom.services!.push({
        'bom-ref': 'svc:github-mcp',
        name: 'github-mcp-server',
        version: 'latest',
        endpoints: ['https://mcp.github.example/sse'],
        properties: [
          { name: 'agentgate:kind', value: 'agent' },
          { name: 'agentgate:side_effect', value: 'destructive' }
        ]
      } as CdxService);
    });
    const { findings } = judge([head], [bomRecord('base', 'base')]);
    expect(brief(findings)).toEqual([
      ['agbom.mcp-unpinned', 'deny', 'svc:github-mcp'],
      ['agbom.unapproved-side-effect', 'deny', 'svc:github-mcp']
    ]);
    expect(findings[0]!.message).toMatch(
      /^MCP server "github-mcp-server" \(written as kind agent, judged as what it looks like\) was added with a floating tag/
    );
  });

  it('a component of any kind that declares a writing side effect needs the approval a tool does', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) => {
      bom.components!.push({
        type: 'application',
        'bom-ref': 'tool:create_ticket_v2',
        name: 'create_ticket_v2',
        version: '1.0.0',
        properties: [
          { name: 'agentgate:kind', value: 'other' },
          { name: 'agentgate:side_effect', value: 'external_write' }
        ]
      });
    });
    const { findings } = judge([head], [bomRecord('base', 'base')]);
    expect(brief(findings)).toEqual([['agbom.unapproved-side-effect', 'deny', 'tool:create_ticket_v2']]);
    expect(findings[0]!.message).toMatch(/^Component "create_ticket_v2" was added with side effect external_write/);
  });
});

describe('agbom.policy-removed', () => {
  it('denies removing a policy component, located in the head AgBOM', () => {
    const { findings, evidence } = judgeVariant('head-policy-removed');
    expect(brief(findings)).toEqual([['agbom.policy-removed', 'deny', 'policy:pii-redaction']]);
    expect(findings[0]!.message).toBe(
      'Policy "policies/pii-redaction.rego" (policy:pii-redaction) is in the base AgBOM records/agbom/support-triage.cdx.json at /components/3 and in no head AgBOM of the same agent; required: policies stay in the AgBOM.'
    );
    expect(findings[0]!.location).toMatchObject({ file: BOM_PATH, side: 'head', pointer: '/components' });
    expect(evidence!.components).toEqual([
      {
        key: 'policy:pii-redaction',
        name: 'policies/pii-redaction.rego',
        agent_kind: 'policy',
        change: 'removed',
        base: { version: '3', hashes: { 'SHA-256': expect.stringMatching(/^[0-9a-f]{64}$/) } },
        head: null,
        differences: [],
        risks: ['policy removed']
      }
    ]);
  });

  it('does not count a policy that moved to another AgBOM file of the same agent as removed', () => {
    const head = bomRecord('head-policy-removed', 'head');
    const policies = rec(
      'agbom',
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        metadata: { component: { type: 'application', name: 'support-triage' } },
        components: [
          { type: 'file', 'bom-ref': 'policy:pii-redaction', name: 'policies/pii-redaction.rego', version: '3' }
        ]
      },
      'records/agbom/policies.cdx.json',
      'head'
    );
    const { findings, evidence } = judge([head, policies], [bomRecord('base', 'base')]);
    expect(findings).toEqual([]);
    // several AgBOMs: keys carry their file, both files are named
    expect(evidence!.head_file).toBe('records/agbom/policies.cdx.json, records/agbom/support-triage.cdx.json');
    expect(evidence!.components.map((c) => [c.key, c.change])).toEqual([
      ['records/agbom/policies.cdx.json#application:support-triage', 'added'],
      ['records/agbom/policies.cdx.json#policy:pii-redaction', 'added'],
      ['records/agbom/support-triage.cdx.json#policy:pii-redaction', 'removed']
    ]);
  });
});

describe('agbom.policy-removed: a policy moved into the AgBOM of another agent', () => {
  it('is removed from this agent: it guards the agent whose AgBOM lists it', () => {
    const decoy = rec(
      'agbom',
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        metadata: { component: { type: 'application', name: 'unrelated-agent' } },
        components: [
          { type: 'file', 'bom-ref': 'policy:pii-redaction', name: 'policies/pii-redaction.rego', version: '3' }
        ]
      },
      'records/agbom/unrelated.cdx.json',
      'head'
    );
    const { findings } = judge([bomRecord('head-policy-removed', 'head'), decoy], [bomRecord('base', 'base')]);
    expect(brief(findings)).toEqual([
      ['agbom.policy-removed', 'deny', 'records/agbom/support-triage.cdx.json#policy:pii-redaction']
    ]);
  });
});

describe('agbom.policy-removed: a policy that stays but is no longer a policy', () => {
  const base = bomRecord('base', 'base');
  const retyped = (edit: (policy: CdxComponent) => void) =>
    editBom(bomRecord('base', 'head'), (bom) => edit(bom.components![3]!));

  it("denies changing a policy's agentgate:kind, located at the kind", () => {
    const head = retyped((policy) => {
      policy.properties = [{ name: 'agentgate:kind', value: 'dataset' }];
    });
    const { findings, evidence } = judge([head], [base]);
    expect(brief(findings)).toEqual([['agbom.policy-removed', 'deny', 'policy:pii-redaction']]);
    expect(findings[0]!.message).toBe(
      'Policy "policies/pii-redaction.rego" (policy:pii-redaction) is a policy in the base AgBOM records/agbom/support-triage.cdx.json at /components/3 but has kind dataset (agentgate:kind) in the head AgBOM records/agbom/support-triage.cdx.json at /components/3, and is a policy in no head AgBOM; required: policies stay in the AgBOM, as policies.'
    );
    expect(findings[0]!.location).toMatchObject({
      file: BOM_PATH,
      side: 'head',
      pointer: '/components/3/properties/0/value'
    });
    expect(findings[0]!.observed).toBe('dataset');
    const component = evidence!.components.find((c) => c.key === 'policy:pii-redaction')!;
    expect(component).toMatchObject({ agent_kind: 'dataset', change: 'changed' });
    expect(component.differences).toEqual([
      { field: 'agent_kind', base: 'policy', head: 'dataset' },
      { field: 'properties.agentgate:kind', base: null, head: 'dataset' }
    ]);
    expect(component.risks).toEqual(['policy is no longer a policy (kind dataset)']);
  });

  it('denies a change that makes the inferred kind something else', () => {
    const head = retyped((policy) => {
      policy.name = 'rules/pii-redaction.json';
    });
    const { findings } = judge([head], [base]);
    expect(brief(findings)).toEqual([['agbom.policy-removed', 'deny', 'policy:pii-redaction']]);
    expect(findings[0]!.message).toContain('but has kind other (inferred) in the head AgBOM');
    expect(findings[0]!.location!.pointer).toBe('/components/3');
  });

  it('allows a changed policy that stays a policy, and one that is a policy in another head AgBOM', () => {
    const bumped = retyped((policy) => {
      policy.version = '4';
      policy.properties = [{ name: 'agentgate:kind', value: 'Policy' }];
    });
    expect(judge([bumped], [base]).findings).toEqual([]);
    const retypedHere = retyped((policy) => {
      policy.properties = [{ name: 'agentgate:kind', value: 'dataset' }];
    });
    const policies = rec(
      'agbom',
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        metadata: { component: { type: 'application', name: 'support-triage' } },
        components: [{ type: 'file', 'bom-ref': 'policy:pii-redaction', name: 'policies/pii-redaction.rego' }]
      },
      'records/agbom/policies.cdx.json',
      'head'
    );
    expect(judge([retypedHere, policies], [base]).findings).toEqual([]);
  });
});

describe('agbom.kind-changed: a component retyped in the change is judged by the rules of both kinds', () => {
  const base = bomRecord('base', 'base');
  const edited = (edit: (bom: CycloneDxBom) => void) => editBom(bomRecord('base', 'head'), edit);
  const kindOf = (c: CdxComponent | CdxService) => c.properties!.find((p) => p.name === 'agentgate:kind')!;

  it('an MCP server retyped to `other` while its version floats is still unpinned, and the retyping is reported', () => {
    const head = edited((bom) => {
      const github = bom.services![0]!;
      kindOf(github).value = 'other';
      github.version = 'latest';
    });
    const { findings, evidence } = judge([head], [base]);
    expect(brief(findings)).toEqual([
      ['agbom.kind-changed', 'follow_up', 'mcp:github'],
      ['agbom.mcp-unpinned', 'deny', 'mcp:github']
    ]);
    expect(findings[0]!.message).toBe(
      `MCP server "github-mcp-server" (mcp:github) changed kind mcp_server → other: mcp_server in the base AgBOM ${BOM_PATH} (agentgate:kind at /services/0/properties/0/value), other in the head AgBOM ${BOM_PATH} (agentgate:kind at /services/0/properties/0/value); agbom.mcp-unpinned, agbom.unapproved-side-effect and agbom.undeclared-side-effect no longer apply to it (this change is judged by the rules of both kinds); required: a reviewer's confirmation of kind other, or kind mcp_server restored.`
    );
    expect(findings[0]!.location).toMatchObject({
      file: BOM_PATH,
      side: 'head',
      pointer: '/services/0/properties/0/value'
    });
    expect(findings[0]!.evidence).toMatchObject({ base_kind: 'mcp_server', head_kind: 'other' });
    expect(findings[1]!.message).toBe(
      'MCP server "github-mcp-server" (now kind other) was changed with a floating tag ("latest"); required: an exact version and a SHA-256/384/512 digest.'
    );
    const github = evidence!.components.find((c) => c.key === 'mcp:github')!;
    expect(github.risks).toEqual([
      'kind changed mcp_server → other',
      'MCP server not pinned (a floating tag ("latest"))'
    ]);
  });

  it('an MCP server whose inferred kind changes with its type is judged as one, and the message says it was inferred', () => {
    const head = edited((bom) => {
      const postgres = bom.components![7]!;
      postgres.type = 'library';
      postgres.version = 'latest';
    });
    const { findings } = judge([head], [base]);
    expect(brief(findings)).toEqual([
      ['agbom.kind-changed', 'follow_up', 'mcp:postgres'],
      ['agbom.mcp-unpinned', 'deny', 'mcp:postgres']
    ]);
    expect(findings[0]!.message).toContain(
      'changed kind mcp_server → other: mcp_server in the base AgBOM records/agbom/support-triage.cdx.json (inferred for /components/7), other in the head AgBOM records/agbom/support-triage.cdx.json (inferred for /components/7);'
    );
    expect(findings[0]!.location!.pointer).toBe('/components/7');
    expect(findings[1]!.message).toBe(
      'MCP server "mcp-server-postgres" (now kind other) was changed with a floating tag ("latest"); required: an exact version and a SHA-256/384/512 digest.'
    );
  });

  it('a writing tool retyped to `other` that drops its approval is still denied', () => {
    const head = edited((bom) => {
      const comment = bom.services![1]!.services![1]!;
      comment.properties = [
        { name: 'agentgate:kind', value: 'other' },
        { name: 'agentgate:side_effect', value: 'external_write' },
        { name: 'agentgate:trust_score', value: '0.95' }
      ];
    });
    const { findings } = judge([head], [base]);
    expect(brief(findings)).toEqual([
      ['agbom.kind-changed', 'follow_up', 'tool:zendesk.create_comment'],
      ['agbom.unapproved-side-effect', 'deny', 'tool:zendesk.create_comment']
    ]);
    expect(findings[0]!.message).toContain(
      'agbom.unapproved-side-effect and agbom.undeclared-side-effect no longer apply to it'
    );
    expect(findings[1]!.message).toBe(
      'Tool "zendesk.create_comment" (now kind other) was changed with side effect external_write (agentgate:side_effect) and no requires_approval property; required: agentgate:requires_approval "true".'
    );
  });

  it('a tool retyped to `other` that also drops its side effect is warned about as a tool', () => {
    const head = edited((bom) => {
      bom.services![1]!.services![0]!.properties = [{ name: 'agentgate:kind', value: 'other' }];
    });
    expect(brief(judge([head], [base]).findings)).toEqual([
      ['agbom.kind-changed', 'follow_up', 'tool:zendesk.get_ticket'],
      ['agbom.undeclared-side-effect', 'warning', 'tool:zendesk.get_ticket']
    ]);
  });

  it('a model retyped while its version changes still needs a covering eval', () => {
    const head = edited((bom) => {
      const model = bom.components![0]!;
      model.type = 'library';
      model.version = '2025-04-14';
    });
    const { findings } = judge([head], [base]);
    expect(brief(findings)).toEqual([
      ['agbom.kind-changed', 'follow_up', 'model:triage-llm'],
      ['agbom.model-changed', 'follow_up', 'model:triage-llm']
    ]);
    expect(findings[0]!.message).toContain('agbom.model-changed no longer applies to it');
    expect(findings[1]!.message).toBe(
      'Model "gpt-4o" (now kind other) changed version 2024-08-06 → 2025-04-14; required: a passing required eval that covers it (no required eval covers it).'
    );
  });

  it('does not report a kind change that only adds rules; the new kind is judged', () => {
    // other → tool: judged as a tool from now on
    const tool = edited((bom) => {
      kindOf(bom.services![1]!).value = 'tool';
    });
    expect(brief(judge([tool], [base]).findings)).toEqual([['agbom.undeclared-side-effect', 'warning', 'svc:zendesk']]);
    // tool → mcp_server: every tool rule still applies, and pinning too
    const server = edited((bom) => {
      kindOf(bom.services![1]!.services![0]!).value = 'mcp_server';
    });
    expect(brief(judge([server], [base]).findings)).toEqual([
      ['agbom.mcp-unpinned', 'deny', 'tool:zendesk.get_ticket']
    ]);
  });
});

describe('agbom.model-changed: follow_up unless a passing required eval covers the model', () => {
  const modelFindings = (evals: EvalEvidence[]) => judgeVariant('head-model-changed', { evals }).findings;

  it('asks for follow-up when no eval covers the new model', () => {
    const findings = modelFindings([evidenceOf('reply-tone', 'pass')]);
    expect(brief(findings)).toEqual([['agbom.model-changed', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toBe(
      'Model "gpt-4.1" changed version 2024-08-06 → 2025-04-14; required: a passing required eval that covers it (no required eval covers it).'
    );
    expect(findings[0]!.location!.pointer).toBe('/components/0/version');
  });

  it('is covered by a passing required eval that targets the agent the AgBOM describes', () => {
    const findings = modelFindings([evidenceOf('support-triage-quality', 'pass')]);
    expect(brief(findings)).toEqual([['agbom.model-change-covered', 'warning', 'model:triage-llm']]);
    expect(findings[0]!.message).toBe(
      'Model "gpt-4.1" changed version 2024-08-06 → 2025-04-14; covered by passing required eval support-triage-quality.'
    );
  });

  it('is covered by a passing required eval whose spec.covers lists the model', () => {
    const findings = modelFindings([evidenceOf('triage-model-regression', 'pass')]);
    expect(findings.map((f) => f.rule)).toEqual(['agbom.model-change-covered']);
  });

  it('is not covered by a failing eval, nor by a passing eval that is not required', () => {
    const findings = modelFindings([
      evidenceOf('triage-model-regression', 'fail'),
      evidenceOf('support-triage-quality', 'pass', false)
    ]);
    expect(brief(findings)).toEqual([['agbom.model-changed', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toContain('(covering required evals: triage-model-regression (fail))');
  });

  it('treats another model under the same key and version (its name, group or purl changed) as a model change', () => {
    const swapped = editBom(bomRecord('base', 'head'), (bom) => {
      const model = bom.components!.find((c) => c['bom-ref'] === 'model:triage-llm')!;
      model.group = 'anthropic';
      model.name = 'claude-haiku';
    });
    const { findings } = judge([swapped], [bomRecord('base', 'base')], { evals: [evidenceOf('reply-tone', 'pass')] });
    expect(brief(findings)).toEqual([['agbom.model-changed', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toBe(
      'Model "claude-haiku" now names another model, anthropic/claude-haiku (was openai/gpt-4o), at version 2024-08-06; required: a passing required eval that covers it (no required eval covers it).'
    );
    // the purl alone changing names another model too
    const repurled = editBom(bomRecord('base', 'head'), (bom) => {
      bom.components!.find((c) => c['bom-ref'] === 'model:triage-llm')!.purl = 'pkg:generic/acme/llm@2024-08-06';
    });
    const second = judge([repurled], [bomRecord('base', 'base')], { evals: [evidenceOf('reply-tone', 'pass')] });
    expect(brief(second.findings)).toEqual([['agbom.model-changed', 'follow_up', 'model:triage-llm']]);
    expect(second.findings[0]!.message).toContain(
      'now names another model, pkg:generic/acme/llm@2024-08-06 (was pkg:generic/openai/gpt-4o@2024-08-06)'
    );
  });

  it('treats an agent whose `model` property (OWASP AOS) changes as a model change', () => {
    const aos = (model: string, side: 'base' | 'head') =>
      rec(
        'agbom',
        {
          bomFormat: 'CycloneDX',
          specVersion: '1.6',
          metadata: { component: { type: 'application', name: 'finance-summary-agent' } },
          components: [
            {
              type: 'application',
              name: 'finance-summary-agent',
              'bom-ref': 'urn:agent:finance-summary-agent',
              version: '1.2.3',
              properties: [
                { name: 'model', value: model },
                { name: 'agentgate:kind', value: 'agent' }
              ]
            }
          ]
        },
        'agbom.cdx.json',
        side
      );
    const { findings } = judge([aos('gpt-4o', 'head')], [aos('gpt-4-32k', 'base')]);
    expect(findings.map((f) => f.message)).toEqual([
      'Agent "finance-summary-agent" now runs on model gpt-4o (was gpt-4-32k); required: a passing required eval that covers it (no required eval covers it).'
    ]);
  });
});

describe('agbom.coverage-widened: coverage the change itself widened does not quietly cover a model change', () => {
  const head = bomRecord('head-model-changed', 'head');
  const base = bomRecord('base', 'base');
  /** The fixture Eval records with one of them edited (its locator still answers for the original lines). */
  const evalsWith = (name: string, edit: (spec: EvalRecord['spec']) => void) =>
    EVAL_RECORDS.map((r) => {
      const data = r.data as EvalRecord;
      if (data.metadata.name !== name) return r;
      const copy = structuredClone(data);
      edit(copy.spec);
      return { ...r, data: copy } as LoadedRecord;
    });
  const replyTone = [evidenceOf('reply-tone', 'pass')];

  it('reports a model covered only because this change added it to an eval’s spec.covers', () => {
    const headEvals = evalsWith('reply-tone', (spec) => spec.covers!.push('model:triage-llm'));
    const { findings, evidence } = judge([head], [base], { evals: replyTone, headEvals });
    expect(brief(findings)).toEqual([['agbom.coverage-widened', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toBe(
      'Model "gpt-4.1" changed version 2024-08-06 → 2025-04-14; covered only by passing required eval reply-tone, whose coverage of it this change widened (reply-tone (records/evals/reply-tone.yaml): spec.covers [prompt:reply-tone] on the base branch → spec.covers [prompt:reply-tone, model:triage-llm]); required: a passing required eval that covered the model on the base branch too, or a reviewer who confirms that the eval measures it.'
    );
    expect(findings[0]!.location).toMatchObject({
      file: 'records/evals/reply-tone.yaml',
      side: 'head',
      pointer: '/spec/covers'
    });
    expect(findings[0]!.evidence).toMatchObject({
      widened: [
        {
          eval: 'reply-tone',
          file: 'records/evals/reply-tone.yaml',
          base_file: 'records/evals/reply-tone.yaml',
          base_covers: ['prompt:reply-tone'],
          head_covers: ['prompt:reply-tone', 'model:triage-llm']
        }
      ],
      model_file: BOM_PATH,
      model_pointer: '/components/0/version'
    });
    const model = evidence!.components.find((c) => c.key === 'model:triage-llm')!;
    expect(model.risks).toEqual(['model change covered only by eval coverage this change widened']);
  });

  it('reports an eval whose spec.covers was removed, so that its target (the agent) covers every model', () => {
    const headEvals = evalsWith('reply-tone', (spec) => delete spec.covers);
    const { findings } = judge([head], [base], { evals: replyTone, headEvals });
    expect(brief(findings)).toEqual([['agbom.coverage-widened', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toContain(
      '(reply-tone (records/evals/reply-tone.yaml): spec.covers [prompt:reply-tone] on the base branch → no spec.covers, target support-triage)'
    );
    expect(findings[0]!.location!.pointer).toBe('/spec/target');
  });

  it('lets an eval added with the change vouch for the model: it brings its own results', () => {
    const smoke = rec(
      'eval',
      {
        apiVersion: 'joch.dev/v1alpha1',
        kind: 'Eval',
        metadata: { name: 'gpt41-smoke' },
        spec: { covers: ['model:triage-llm'], metrics: [{ name: 'ok', type: 'deterministic' }] }
      },
      'records/evals/gpt41-smoke.yaml'
    );
    const { findings } = judge([head], [base], {
      evals: [evidenceOf('gpt41-smoke', 'pass')],
      headEvals: [...EVAL_RECORDS, smoke]
    });
    expect(brief(findings)).toEqual([['agbom.model-change-covered', 'warning', 'model:triage-llm']]);
    // without a base branch there is nothing to compare either
    const alone = judge([head], null, {
      evals: [evidenceOf('gpt41-smoke', 'pass')],
      headEvals: [...EVAL_RECORDS, smoke]
    });
    expect(brief(alone.findings)).toEqual([['agbom.model-change-covered', 'warning', 'model:triage-llm']]);
  });

  it('reports an eval with no base version although its file is on the base branch (renamed in this change)', () => {
    const evalAt = (name: string, covers: string[]) =>
      rec(
        'eval',
        {
          apiVersion: 'joch.dev/v1alpha1',
          kind: 'Eval',
          metadata: { name },
          spec: { covers, metrics: [{ name: 'ok', type: 'deterministic' }] }
        },
        'records/evals/smoke.yaml'
      );
    const { findings } = judge([head], [base], {
      evals: [evidenceOf('gpt41-smoke', 'pass')],
      headEvals: [...EVAL_RECORDS, evalAt('gpt41-smoke', ['model:triage-llm'])],
      baseEvals: [...EVAL_RECORDS, evalAt('old-smoke', ['prompt:reply-tone'])]
    });
    expect(brief(findings)).toEqual([['agbom.coverage-widened', 'follow_up', 'model:triage-llm']]);
    expect(findings[0]!.message).toContain(
      '(gpt41-smoke (records/evals/smoke.yaml) is new in this change: no Eval gpt41-smoke on the base branch)'
    );
  });

  it('stays a quiet note when another passing eval covered the model on the base branch too', () => {
    const headEvals = evalsWith('reply-tone', (spec) => spec.covers!.push('model:triage-llm'));
    const { findings } = judge([head], [base], {
      evals: [...replyTone, evidenceOf('triage-model-regression', 'pass')],
      headEvals
    });
    expect(brief(findings)).toEqual([['agbom.model-change-covered', 'warning', 'model:triage-llm']]);
    expect(findings[0]!.message).toBe(
      'Model "gpt-4.1" changed version 2024-08-06 → 2025-04-14; covered by passing required eval triage-model-regression (also covered by reply-tone through coverage this change widened).'
    );
    expect(findings[0]!.evidence).toMatchObject({
      covered_by: ['triage-model-regression'],
      widened_coverage: ['reply-tone']
    });
  });

  it('does not count an eval that follows the model’s rename as widened (base covers its base name)', () => {
    const byName = (covers: string, side: 'base' | 'head') =>
      rec(
        'eval',
        {
          apiVersion: 'joch.dev/v1alpha1',
          kind: 'Eval',
          metadata: { name: 'triage-by-name' },
          spec: { covers: [covers], metrics: [{ name: 'ok', type: 'deterministic' }] }
        },
        'records/evals/triage-by-name.yaml',
        side
      );
    const { findings } = judge([head], [base], {
      evals: [evidenceOf('triage-by-name', 'pass')],
      headEvals: [byName('gpt-4.1', 'head')],
      baseEvals: [byName('gpt-4o', 'base')]
    });
    expect(brief(findings)).toEqual([['agbom.model-change-covered', 'warning', 'model:triage-llm']]);
  });

  it('a widened eval that fails covers nothing: the model change asks for follow-up as before', () => {
    const headEvals = evalsWith('reply-tone', (spec) => spec.covers!.push('model:triage-llm'));
    const { findings } = judge([head], [base], { evals: [evidenceOf('reply-tone', 'fail')], headEvals });
    expect(brief(findings)).toEqual([['agbom.model-changed', 'follow_up', 'model:triage-llm']]);
  });
});

describe('agbom.invalid-property', () => {
  it('denies unreadable agent properties, located at the value, without crashing', () => {
    const { findings } = judgeVariant('head-invalid-properties');
    expect(findings.map((f) => [f.rule, f.location?.pointer, f.observed])).toEqual([
      ['agbom.invalid-property', '/services/0/properties/4/value', 'sometimes'],
      ['agbom.invalid-property', '/services/2/properties/1/value', 'payments'],
      ['agbom.invalid-property', '/services/2/properties/2/value', 'maybe'],
      ['agbom.invalid-property', '/services/2/properties/3/value', 'high'],
      ['agbom.undeclared-side-effect', '/services/2', null]
    ]);
    expect(findings[3]!.message).toBe(
      'Property agentgate:trust_score of "refunds.issue" is "high"; required: a number from 0 to 1, e.g. 0.85.'
    );
  });

  it('denies a misspelt name in the agentgate: namespace, which would leave the fact unread', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) => {
      const github = bom.services![0]!;
      github.properties = [
        ...github.properties!.filter((p) => !p.name.startsWith('agentgate:side_effect')),
        { name: 'AgentGate:Side_Effect', value: 'destructive' },
        { name: 'agentgate:trust-score', value: '0.1' }
      ];
    });
    const { findings } = judge([head], [bomRecord('base', 'base')]);
    const invalid = findings.filter((f) => f.rule === 'agbom.invalid-property');
    expect(invalid.map((f) => [f.severity, f.observed, f.location?.pointer])).toEqual([
      ['deny', 'destructive', expect.stringMatching(/^\/services\/0\/properties\/\d+\/name$/)],
      ['deny', '0.1', expect.stringMatching(/^\/services\/0\/properties\/\d+\/name$/)]
    ]);
    expect(invalid[0]!.message).toMatch(
      /^Property AgentGate:Side_Effect of "github-mcp-server" is "destructive"; required: a property name the gate reads \(did you mean agentgate:side_effect\?\): agentgate:digest, /
    );
    expect(invalid[1]!.message).toContain('(did you mean agentgate:trust_score?)');
  });
});

describe('agbom.invalid-property on unchanged components', () => {
  it('still denies an unreadable property the base branch already had', () => {
    const { findings, evidence } = judge(
      [bomRecord('head-invalid-properties', 'head')],
      [bomRecord('head-invalid-properties', 'base')]
    );
    expect(evidence!.counts.changed + evidence!.counts.added).toBe(0);
    expect(findings.map((f) => f.rule)).toEqual([
      'agbom.invalid-property',
      'agbom.invalid-property',
      'agbom.invalid-property',
      'agbom.invalid-property'
    ]);
  });
});

describe('agbom.duplicate-key', () => {
  it('denies two components with one bom-ref', () => {
    const head = editBom(bomRecord('base', 'head'), (bom) =>
      bom.components!.push({ type: 'file', 'bom-ref': 'prompt:reply-tone', name: 'prompts/other.md' })
    );
    const { findings } = judge([head], [bomRecord('base', 'base')]);
    expect(brief(findings)).toEqual([['agbom.duplicate-key', 'deny', 'prompt:reply-tone']]);
    expect(findings[0]!.message).toBe(
      'Key "prompt:reply-tone" is used by 2 components (/components/2, /components/10); required: one component per key. The first one is compared.'
    );
    expect(findings[0]!.location!.pointer).toBe('/components/10');
  });
});

describe('agbom.secret: secrets are found anywhere and never echoed', () => {
  const RAW_SECRETS = [
    'R4nd0mLooK1ngT0ken',
    'Sup3rS3cretPa55',
    'zd-9f8e7d6c5b4a39281706',
    'AKIAIOSFODNN7EXAMPLE',
    'hunter2!',
    'q7Xv9LmP2sR8tK4wZ1yB6nD3',
    'MHcCAQEEIFAKE'
  ];

  it('denies each string holding a secret, at its JSON pointer, with a masked form', () => {
    const { findings } = judgeVariant('head-secrets');
    const secrets = findings.filter((f) => f.rule === 'agbom.secret');
    expect(secrets.map((f) => [f.location?.pointer, f.observed])).toEqual([
      ['/components/7/properties/2/value', ['AWS access key id']],
      ['/components/7/properties/3/value', ['password']],
      ['/components/7/properties/4/value', ['high-entropy value in "signing_secret"']],
      ['/components/7/properties/5/value', ['private key']],
      ['/services/0/endpoints/1', ['credentials in a URL']],
      ['/services/0/properties/4/value', ['GitHub token']],
      ['/services/1/services/0/endpoints/1', ['token= in a URL or connection string']]
    ]);
    expect(secrets[5]!.message).toBe(
      'records/agbom/support-triage.cdx.json at /services/0/properties/4/value holds what looks like a GitHub token (masked: Bearer ghp_…5678); required: no secrets in the AgBOM.'
    );
    expect(secrets[3]!.evidence).toEqual({ kinds: ['private key'], masked: '-----BEGIN EC PRIVATE KEY-----…\n' });
  });

  it('shows no secret anywhere in the findings or the evidence', () => {
    const shown = JSON.stringify(judgeVariant('head-secrets'));
    for (const secret of RAW_SECRETS) expect(shown).not.toContain(secret);
    // the changed components are still listed, with masked values
    expect(shown).toContain('"properties.agentgate:auth_header"');
  });

  it('masks secrets on the base side of the diff too (a change that removes a leaked secret)', () => {
    const result = judge([bomRecord('base', 'head')], [bomRecord('head-secrets', 'base')]);
    expect(result.findings.filter((f) => f.rule === 'agbom.secret')).toEqual([]);
    const shown = JSON.stringify(result);
    for (const secret of RAW_SECRETS) expect(shown).not.toContain(secret);
    const postgres = result.evidence!.components.find((c) => c.key === 'mcp:postgres')!;
    expect(postgres.differences).toContainEqual({ field: 'properties.db_password', base: '…', head: null });
  });
});

describe('pairing AgBOMs between base and head', () => {
  it('without a base branch, everything in the head is added', () => {
    const { evidence, findings } = judge([bomRecord('base', 'head')], null);
    expect(evidence).toMatchObject({ base_file: null, counts: { base: 0, head: 16, added: 16, changed: 0 } });
    // the model is new too: it needs an eval like any model change
    expect(findings.map((f) => f.rule)).toEqual(['agbom.model-changed']);
  });

  it('pairs a moved AgBOM by the agent it describes (metadata.component.name)', () => {
    const moved = bomRecord('head-clean', 'head', 'agbom/support-triage.json');
    const { evidence } = judge([moved], [bomRecord('base', 'base')]);
    expect(evidence!.counts).toMatchObject({ added: 1, removed: 0, changed: 3 });
    expect(evidence!.head_file).toBe('agbom/support-triage.json');
  });

  it('an AgBOM deleted in the change removes its components', () => {
    const { evidence, findings } = judge([], [bomRecord('base', 'base')]);
    expect(evidence!.counts).toMatchObject({ base: 16, head: 0, removed: 16 });
    expect(findings.map((f) => [f.rule, f.location?.side, f.location?.pointer])).toEqual([
      ['agbom.policy-removed', 'base', '/components/3'],
      ['agbom.policy-removed', 'base', '/components/4']
    ]);
  });

  it('gives no evidence when neither side has an AgBOM', () => {
    expect(judge([], null)).toEqual({ findings: [], evidence: null });
  });
});

describe('determinism', () => {
  /** Mulberry32: a seeded PRNG, so a failure replays. */
  function shuffled<T>(items: T[], seed: number): T[] {
    let a = seed;
    const random = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  const shuffleBom = (record: LoadedRecord, seed: number): LoadedRecord =>
    editBom(record, (bom) => {
      bom.components = shuffled(bom.components ?? [], seed);
      bom.services = shuffled(bom.services ?? [], seed + 1).map((s: CdxService) =>
        s.services ? { ...s, services: shuffled(s.services, seed + 2) } : s
      );
    });
  const withoutLocations = (findings: Finding[]) => findings.map(({ location: _location, ...rest }) => rest);

  it.each(['head-clean', 'head-mcp-unpinned', 'head-risky-tools', 'head-model-changed'])(
    '%s gives the same evidence and findings whatever the component order',
    (variant) => {
      const expected = judgeVariant(variant);
      for (const seed of [1, 7, 42]) {
        const actual = judge(
          [shuffleBom(bomRecord(variant, 'head'), seed)],
          [shuffleBom(bomRecord('base', 'base'), seed * 3)]
        );
        expect(actual.evidence).toEqual(expected.evidence);
        expect(withoutLocations(actual.findings)).toEqual(withoutLocations(expected.findings));
      }
    }
  );
});

describe('the diff against a reference', () => {
  // libraries keyed by bom-ref from a small alphabet, so that the sides share keys, keep runs in order, reorder them
  const library = fc.record({ ref: fc.constantFrom(...'abcdefghijkl'), version: fc.constantFrom('1.0.0', '2.0.0') });
  const list = fc.uniqueArray(library, { selector: (c) => c.ref, maxLength: 12 });
  /** the head as an edit of the base: some entries bumped, some dropped, some added, order mostly kept */
  const edited = (base: { ref: string; version: string }[]) =>
    fc
      .tuple(
        fc.array(fc.constantFrom('keep', 'bump', 'drop'), { minLength: base.length, maxLength: base.length }),
        list
      )
      .map(([ops, extra]) => {
        const out = base.flatMap((c, i) =>
          ops[i] === 'drop'
            ? []
            : [ops[i] === 'bump' ? { ...c, version: c.version === '1.0.0' ? '2.0.0' : '1.0.0' } : c]
        );
        const taken = new Set(out.map((c) => c.ref));
        for (const c of extra)
          if (!taken.has(c.ref) && !base.some((b) => b.ref === c.ref)) out.splice(out.length >> 1, 0, c);
        return out;
      });
  const sides = fc.oneof(
    fc.tuple(list, list),
    list.chain((base) => fc.tuple(fc.constant(base), edited(base)))
  );
  const bom = (side: 'base' | 'head', components: { ref: string; version: string }[]) =>
    editBom(bomRecord('base', side), (doc) => {
      doc.components = components.map((c) => ({ type: 'library', 'bom-ref': c.ref, name: c.ref, version: c.version }));
      delete doc.services;
    });

  const REFS = new Set('abcdefghijkl');
  // the AgBOM's other entries (the agent it describes) are the same on both sides
  const outside = () => judge([bom('head', [])], [bom('base', [])]).evidence!.counts.unchanged;

  it('finds what is added, removed and changed whatever the order of either side', () => {
    const unchangedOutside = outside();
    fc.assert(
      fc.property(sides, ([base, head]) => {
        const { evidence } = judge([bom('head', head)], [bom('base', base)]);
        const before = new Map(base.map((c) => [c.ref, c.version]));
        const after = new Map(head.map((c) => [c.ref, c.version]));
        const expected: [string, string][] = [];
        for (const [ref, version] of after) {
          if (!before.has(ref)) expected.push([ref, 'added']);
          else if (before.get(ref) !== version) expected.push([ref, 'changed']);
        }
        for (const ref of before.keys()) if (!after.has(ref)) expected.push([ref, 'removed']);
        const own = evidence!.components.filter((c) => REFS.has(c.key));
        expect(own.map((c) => [c.key, c.change])).toEqual(expected.sort((x, y) => (x[0] < y[0] ? -1 : 1)));
        const unchanged = [...after].filter(([ref, v]) => before.get(ref) === v).length;
        expect(evidence!.counts.unchanged - unchangedOutside).toBe(unchanged);
        expect(evidence!.components.length).toBe(own.length);
      }),
      { numRuns: 500 }
    );
  });
});

describe('configuration', () => {
  it('applies severity overrides and turns rules off', () => {
    const cfg = config();
    cfg.rules = { 'agbom.mcp-unpinned': 'off', 'agbom.model-changed': 'deny' };
    expect(brief(judgeVariant('head-mcp-unpinned', { cfg }).findings)).toEqual([]);
    expect(brief(judgeVariant('head-model-changed', { cfg }).findings)).toEqual([
      ['agbom.model-changed', 'deny', 'model:triage-llm']
    ]);
  });

  it('documents every rule', () => {
    for (const spec of Object.values(RULES)) {
      expect(spec.id.startsWith('agbom.')).toBe(true);
      expect(spec.description.length).toBeGreaterThan(60);
    }
  });
});

describe('pinning helpers', () => {
  it.each([
    ['1.2.3', null],
    ['v1.2.3', null],
    ['2024-08-06', null],
    ['1.2.3@sha256:' + 'a'.repeat(64), null],
    ['^1.2', 'a version range ("^1.2")'],
    ['~1', 'a version range ("~1")'],
    ['>=1.0.0 <2', 'a version range (">=1.0.0 <2")'],
    ['*', 'a version range ("*")'],
    ['1.x', 'a wildcard version ("1.x")'],
    ['latest', 'a floating tag ("latest")'],
    ['1.2', 'a partial version ("1.2") that matches later releases'],
    ['', 'no version'],
    [null, 'no version'],
    ['sha256:' + 'a'.repeat(64), null],
    ['1.2.3-SNAPSHOT', 'a snapshot version ("1.2.3-SNAPSHOT"), rebuilt under the same name'],
    ['server@latest', `a version with a tag or another version after '@' ("server@latest")`],
    ['1.2.3@latest', `a version with a tag or another version after '@' ("1.2.3@latest")`],
    ['@latest', `a version with a tag or another version after '@' ("@latest")`],
    ['1.2.3,1.4.0', 'a version range ("1.2.3,1.4.0")'],
    ['[1.0,2.0)', 'a version range ("[1.0,2.0)")'],
    ['latest\u200b', 'a version with invisible characters ("latest\\u200b")'],
    ['1.2.3-rc.1', null]
  ])('version %j → %j', (version, problem) => {
    expect(notExactVersion(version)).toBe(problem);
  });

  it('finds a digest in hashes, a purl, a version or agentgate:digest, and checks its length', () => {
    const digestOf = (c: CdxComponent | CdxService, element: 'component' | 'service' = 'component') => {
      const bom: CycloneDxBom = { bomFormat: 'CycloneDX', specVersion: '1.6' };
      if (element === 'service') bom.services = [c as CdxService];
      else bom.components = [c as CdxComponent];
      return pinningDigest([...normaliseBom(bom).components.values()][0]!);
    };
    const hex = 'ab'.repeat(32);
    expect(digestOf({ type: 'container', name: 'x', hashes: [{ alg: 'SHA-256', content: hex.toUpperCase() }] })).toBe(
      `SHA-256:${hex}`
    );
    expect(
      digestOf({ type: 'container', name: 'x', hashes: [{ alg: 'SHA-256', content: 'ab'.repeat(48) }] })
    ).toBeNull();
    expect(digestOf({ type: 'container', name: 'x', hashes: [{ alg: 'MD5', content: 'ab'.repeat(16) }] })).toBeNull();
    expect(digestOf({ type: 'container', name: 'x', purl: `pkg:docker/acme/x@sha256%3A${hex}` })).toBe(`sha256:${hex}`);
    expect(digestOf({ name: 'x', version: `1.0.0@sha256:${hex}` }, 'service')).toBe(`sha256:${hex}`);
    expect(
      digestOf({ name: 'x', properties: [{ name: 'agentgate:digest', value: `sha512:${'cd'.repeat(64)}` }] }, 'service')
    ).toBe(`sha512:${'cd'.repeat(64)}`);
  });
});

/** Milliseconds a call took: the smaller of wall and CPU time (a busy machine inflates one, parallel GC the other). */
function timed<T>(call: () => T): { result: T; elapsed: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = call();
  const used = process.cpuUsage(cpu);
  return { result, elapsed: Math.min(performance.now() - wall, (used.user + used.system) / 1000) };
}

describe('robustness and scale', () => {
  const component = fc.record(
    {
      type: fc.constantFrom('library', 'application', 'container', 'file', 'data', 'machine-learning-model', 'x'),
      name: fc.string({ maxLength: 12 }),
      'bom-ref': fc.constantFrom('a', 'b', 'c', 'mcp:x', 'policy:p'),
      version: fc.oneof(fc.constantFrom('1.0.0', '^1', 'latest', ''), fc.string({ maxLength: 6 })),
      properties: fc.array(
        fc.record({
          name: fc.constantFrom(
            'agentgate:kind',
            'agentgate:trust_score',
            'agentgate:side_effect',
            'agentgate:requires_approval',
            'trustScore',
            'scope',
            'model',
            'token'
          ),
          value: fc.oneof(
            fc.constantFrom('policy', 'mcp_server', 'model', '0.1', 'true', 'destructive', 'read-write'),
            fc.string()
          )
        }),
        { maxLength: 4 }
      )
    },
    { requiredKeys: ['name'] }
  );
  const bomOf = (components: unknown[], services: unknown[]) =>
    ({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      metadata: { component: { type: 'application', name: 'a' } },
      components,
      services
    }) as CycloneDxBom;

  it('never throws on random component lists, and always explains what it reports', () => {
    fc.assert(
      fc.property(
        fc.array(component, { maxLength: 12 }),
        fc.array(component, { maxLength: 12 }),
        fc.array(component, { maxLength: 4 }),
        (head, base, services) => {
          const result = judge(
            [rec('agbom', bomOf(head, services), 'bom.json', 'head')],
            [rec('agbom', bomOf(base, []), 'bom.json', 'base')],
            { evals: [evidenceOf('support-triage-quality', 'pass')] }
          );
          for (const f of result.findings) expect(f.message.length).toBeGreaterThan(10);
          expect(result.evidence!.counts.head).toBeLessThanOrEqual(head.length + services.length + 1);
        }
      ),
      { numRuns: 300 }
    );
  });

  it('never lets a base policy go (removed, or no longer a policy) without agbom.policy-removed', () => {
    const policies = (bom: CycloneDxBom) =>
      new Set([...normaliseBom(bom).components.values()].filter((c) => c.kind === 'policy').map((c) => c.key));
    fc.assert(
      fc.property(fc.array(component, { maxLength: 10 }), fc.array(component, { maxLength: 10 }), (head, base) => {
        const headBom = bomOf(head, []);
        const baseBom = bomOf(base, []);
        const result = judge([rec('agbom', headBom, 'bom.json', 'head')], [rec('agbom', baseBom, 'bom.json', 'base')]);
        const inHead = policies(headBom);
        const lost = [...policies(baseBom)].filter((key) => !inHead.has(key)).sort();
        const reported = result.findings.filter((f) => f.rule === 'agbom.policy-removed').map((f) => f.subject);
        expect(reported.sort()).toEqual(lost);
      }),
      { numRuns: 300 }
    );
  });

  it('never lets a component escape a rule of its base kind by being retyped in the same change', () => {
    const KIND_RULES = new Set([
      'agbom.mcp-unpinned',
      'agbom.unapproved-side-effect',
      'agbom.undeclared-side-effect',
      'agbom.model-changed'
    ]);
    type Raw = { version?: string; properties?: { name: string; value: string }[] };
    const edit = fc.record({
      version: fc.constantFrom('1.0.0', 'latest', '^2', ''),
      dropApproval: fc.boolean()
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(component, edit), { maxLength: 8 }), (items) => {
        const base = items.map(([c]) => c as Raw);
        // the change: new versions, approvals dropped; kinds as on the base
        const head = items.map(([c, e]): Raw => ({
          ...c,
          version: e.version,
          properties: (c.properties ?? []).filter((p) => !(e.dropApproval && p.name === 'agentgate:requires_approval'))
        }));
        // the same change, every component also retyped to `other`
        const retyped = head.map((c) => ({
          ...c,
          properties: [
            { name: 'agentgate:kind', value: 'other' },
            ...(c.properties ?? []).filter((p) => p.name !== 'agentgate:kind')
          ]
        }));
        const judged = (components: Raw[]) =>
          judge(
            [rec('agbom', bomOf(components, []), 'bom.json', 'head')],
            [rec('agbom', bomOf(base, []), 'bom.json', 'base')]
          )
            .findings.filter((f) => KIND_RULES.has(f.rule))
            .map((f) => `${f.rule} ${f.subject}`);
        const plain = judged(head);
        const afterRetyping = new Set(judged(retyped));
        expect(plain.filter((f) => !afterRetyping.has(f))).toEqual([]);
      }),
      { numRuns: 300 }
    );
  });

  it('diffs a 50k-component AgBOM in linear time, cheaper than parsing the two files thrice', () => {
    const components = (version: string) =>
      Array.from({ length: 50_000 }, (_, i): CdxComponent =>
        i % 10 === 0
          ? {
              type: 'application',
              'bom-ref': `tool-${i}`,
              name: `tool-${i}`,
              version: i % 100 === 0 ? version : '1.0.0',
              properties: [
                { name: 'agentgate:kind', value: 'tool' },
                { name: 'agentgate:side_effect', value: 'read' },
                { name: 'agentgate:trust_score', value: '0.9' }
              ]
            }
          : {
              type: 'library',
              name: `lib-${i}`,
              group: 'org.example',
              version: '1.2.3',
              purl: `pkg:maven/org.example/lib-${i}@1.2.3`,
              hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }]
            }
      );
    const head = rec('agbom', bomOf(components('2.0.0'), []), 'bom.json', 'head');
    const base = rec('agbom', bomOf(components('1.0.0'), []), 'bom.json', 'base');
    const texts = [JSON.stringify(head.data), JSON.stringify(base.data)];
    judge([head], [base]);
    // diffed first: the parse leaves garbage whose collection would otherwise be charged to the diff
    const diffing = timed(() => judge([head], [base]));
    const parsing = timed(() => texts.map((t) => JSON.parse(t) as unknown));
    expect(diffing.result.evidence!.counts).toMatchObject({ head: 50_001, changed: 500, unchanged: 49_501 });
    // Linear: the speed target is the benchmark's (npm run bench); this only guards against work per component
    // that grows with the BOM, which would take minutes here. The margin is wide enough for a loaded machine.
    expect(diffing.elapsed).toBeLessThan(10 * parsing.elapsed);
  });
});
