import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { CycloneDxBom } from '../../model/records.js';
import { fixture } from '../../testing/records.js';
import { indexBom, namesAgentProperty, normaliseBom, type AgentComponent } from '../agbom-components.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/agbom');
const BOM_PATH = 'records/agbom/support-triage.cdx.json';
const load = (variant: string) => fixture<CycloneDxBom>(join(FIXTURES, variant, BOM_PATH));

function bom(parts: Partial<CycloneDxBom>): CycloneDxBom {
  return { bomFormat: 'CycloneDX', specVersion: '1.6', ...parts };
}

const prop = (name: string, value?: string) => (value === undefined ? { name } : { name, value });

describe('normaliseBom on the support-triage AgBOM', () => {
  const base = normaliseBom(load('base'));
  const byKey = (key: string) => base.components.get(key)!;

  it('reads every component and service, nested ones included, keyed by bom-ref, else purl, else type/group/name', () => {
    expect([...base.components.keys()]).toEqual([
      'agent:support-triage',
      // metadata.tools.components: the tool that wrote the BOM
      'application:agbom-export',
      'model:triage-llm',
      'prompt:triage-system',
      'prompt:reply-tone',
      'policy:pii-redaction',
      'policy:refund-limits',
      'guardrail:toxicity',
      'dataset:support-cases',
      'mcp:postgres',
      'pkg:pypi/openai@1.54.3',
      'pkg:pypi/httpx@0.27.2',
      'mcp:github',
      'svc:zendesk',
      'tool:zendesk.get_ticket',
      'tool:zendesk.create_comment'
    ]);
    expect(base.subject).toBe('support-triage');
    expect(base.duplicates).toEqual([]);
    expect(base.problems).toEqual([]);
  });

  it('takes agent facts from agentgate: properties and infers the kind when none is given', () => {
    const kinds = Object.fromEntries([...base.components.values()].map((c) => [c.key, [c.kind, c.kind_inferred]]));
    expect(kinds).toEqual({
      'agent:support-triage': ['agent', false],
      'application:agbom-export': ['other', true],
      'model:triage-llm': ['model', true],
      'prompt:triage-system': ['prompt', true],
      'prompt:reply-tone': ['prompt', true],
      'policy:pii-redaction': ['policy', true],
      'policy:refund-limits': ['policy', true],
      'guardrail:toxicity': ['guardrail', true],
      'dataset:support-cases': ['dataset', true],
      'mcp:postgres': ['mcp_server', true],
      'pkg:pypi/openai@1.54.3': ['other', true],
      'pkg:pypi/httpx@0.27.2': ['other', true],
      'mcp:github': ['mcp_server', false],
      'svc:zendesk': ['other', false],
      'tool:zendesk.get_ticket': ['tool', false],
      'tool:zendesk.create_comment': ['tool', false]
    });
    const comment = byKey('tool:zendesk.create_comment');
    expect(comment.side_effect).toEqual({
      value: 'external_write',
      property: 'agentgate:side_effect',
      pointer: '/services/1/services/1/properties/1/value'
    });
    expect(comment.requires_approval?.value).toBe(true);
    expect(comment.trust_score?.value).toBe(0.95);
    expect(comment.pointer).toBe('/services/1/services/1');
    expect(byKey('mcp:github').digest?.value).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps versions, lower-cased hashes and sorted endpoints', () => {
    const prompt = byKey('prompt:triage-system');
    expect(prompt.version).toBe('14');
    expect(Object.keys(prompt.hashes)).toEqual(['SHA-256']);
    expect(byKey('mcp:github').endpoints).toEqual(['https://mcp.internal.example.com/github']);
  });
});

describe('normaliseBom: keys', () => {
  it('prefers bom-ref, then purl, then type + group + name', () => {
    const { components } = normaliseBom(
      bom({
        components: [
          { type: 'library', name: 'a', 'bom-ref': 'ref-a', purl: 'pkg:npm/a@1' },
          { type: 'library', name: 'b', purl: 'pkg:npm/b@1' },
          { type: 'library', name: 'c', group: 'org.example' },
          { type: 'file', name: 'prompts/x.md' }
        ],
        services: [{ name: 'search' }]
      })
    );
    expect([...components.values()].map((c) => [c.key, c.key_source])).toEqual([
      ['ref-a', 'bom-ref'],
      ['pkg:npm/b@1', 'purl'],
      ['library:org.example/c', 'name'],
      ['file:prompts/x.md', 'name'],
      ['service:search', 'name']
    ]);
  });

  it('reports a key used twice, keeping the first occurrence', () => {
    const result = normaliseBom(
      bom({
        components: [
          { type: 'library', name: 'first', 'bom-ref': 'dup' },
          { type: 'library', name: 'parent', components: [{ type: 'library', name: 'second', 'bom-ref': 'dup' }] }
        ],
        services: [{ name: 'third', 'bom-ref': 'dup' }]
      })
    );
    expect(result.components.get('dup')!.name).toBe('first');
    expect(result.duplicates).toEqual([
      {
        key: 'dup',
        pointers: ['/components/0', '/components/1/components/0', '/services/0'],
        names: ['first', 'second', 'third']
      }
    ]);
  });

  it('walks nested components and services to any depth without recursion limits', () => {
    let component: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 5000; i++) component = { type: 'library', name: `level-${i}`, components: [component] };
    const result = normaliseBom(bom({ components: [component as never] }));
    expect(result.components.size).toBe(5001);
    expect(result.components.get('library:leaf')!.pointer).toBe('/components/0' + '/components/0'.repeat(5000));
  });
});

describe('normaliseBom: metadata.tools', () => {
  it('reads metadata.tools.components and .services (CycloneDX 1.5+ object form), nested ones included', () => {
    const result = normaliseBom(
      bom({
        metadata: {
          component: { type: 'application', name: 'agent' },
          tools: {
            components: [
              {
                type: 'application',
                'bom-ref': 'mcp:evil',
                name: 'evil-mcp-server',
                version: 'latest',
                components: [{ type: 'library', name: 'inner' }]
              }
            ],
            services: [
              {
                'bom-ref': 'svc:evil',
                name: 'evil-mcp',
                version: '^1.4',
                properties: [prop('agentgate:side_effect', 'destructive')],
                services: [{ 'bom-ref': 'svc:nested', name: 'nested-mcp' }]
              }
            ]
          }
        },
        components: [{ type: 'library', name: 'top' }],
        services: [{ name: 'search' }]
      })
    );
    expect([...result.components.values()].map((c) => [c.key, c.kind, c.pointer])).toEqual([
      ['application:agent', 'agent', '/metadata/component'],
      ['mcp:evil', 'mcp_server', '/metadata/tools/components/0'],
      ['library:inner', 'other', '/metadata/tools/components/0/components/0'],
      ['svc:evil', 'mcp_server', '/metadata/tools/services/0'],
      ['svc:nested', 'mcp_server', '/metadata/tools/services/0/services/0'],
      ['library:top', 'other', '/components/0'],
      ['service:search', 'tool', '/services/0']
    ]);
    expect(result.components.get('svc:evil')!.side_effect?.pointer).toBe(
      '/metadata/tools/services/0/properties/0/value'
    );
  });

  it('reports a key shared by a tool and a component', () => {
    const result = normaliseBom(
      bom({
        metadata: { tools: { components: [{ type: 'application', 'bom-ref': 'dup', name: 'tool' }] } },
        components: [{ type: 'library', 'bom-ref': 'dup', name: 'lib' }]
      })
    );
    expect(result.duplicates).toEqual([
      { key: 'dup', pointers: ['/metadata/tools/components/0', '/components/0'], names: ['tool', 'lib'] }
    ]);
  });

  it('does not read the deprecated array form (no type, bom-ref or properties to read an agent fact from)', () => {
    const result = normaliseBom(
      bom({
        metadata: { tools: [{ vendor: 'acme', name: 'github-mcp-server', version: 'latest' }] }
      } as unknown as CycloneDxBom)
    );
    expect(result.components.size).toBe(0);
  });
});

describe('normaliseBom: kind inference', () => {
  const kindOf = (
    c: Partial<AgentComponent> & Record<string, unknown>,
    element: 'component' | 'service' = 'component'
  ) => {
    const doc = element === 'service' ? bom({ services: [c as never] }) : bom({ components: [c as never] });
    return [...normaliseBom(doc).components.values()][0]!.kind;
  };
  it.each([
    [{ type: 'machine-learning-model', name: 'claude-sonnet' }, 'component', 'model'],
    [{ name: 'github', endpoints: ['https://mcp.example.com/github'] }, 'service', 'mcp_server'],
    [{ name: 'jira-mcp' }, 'service', 'mcp_server'],
    [{ name: 'tickets', endpoints: ['mcp://tickets.internal'] }, 'service', 'mcp_server'],
    [{ name: 'kb.search', endpoints: ['https://kb.example.com/search'] }, 'service', 'tool'],
    [{ name: 'GitHubMCPServer' }, 'service', 'mcp_server'],
    [{ name: 'githubmcpserver' }, 'service', 'mcp_server'],
    [{ name: 'github', endpoints: ['https://mcpserver.example.com/sse'] }, 'service', 'mcp_server'],
    [{ type: 'container', name: 'mcp-server-postgres' }, 'component', 'mcp_server'],
    [{ type: 'application', name: 'server-github', group: '@modelcontextprotocol' }, 'component', 'mcp_server'],
    [{ type: 'library', name: 'mcp' }, 'component', 'other'],
    // look-alike letters (Cyrillic с and р, Greek Μ and ρ), fullwidth forms and a zero-width space inside the word
    [{ name: 'github-m\u0441p-server' }, 'service', 'mcp_server'],
    [{ name: 'github-mc\u0440-server' }, 'service', 'mcp_server'],
    [{ name: '\u039cC\u03c1Server' }, 'service', 'mcp_server'],
    [{ name: 'github-\uff4d\uff43\uff50' }, 'service', 'mcp_server'],
    [{ name: 'github-m\u200bcp' }, 'service', 'mcp_server'],
    [
      { type: 'application', name: 'server-github', group: '@m\u043edelc\u043entextpr\u043et\u043ec\u043el' },
      'component',
      'mcp_server'
    ],
    [{ name: 'kb.search-\u00e9t\u00e9' }, 'service', 'tool'],
    [{ type: 'file', name: 'prompts/triage.md' }, 'component', 'prompt'],
    [{ type: 'file', name: 'agents/triage.prompt.yaml' }, 'component', 'prompt'],
    [{ type: 'file', name: 'bundle/policies/pii.rego' }, 'component', 'policy'],
    [{ type: 'file', name: 'refunds.rego' }, 'component', 'policy'],
    [{ type: 'data', name: 'guardrails/toxicity.yaml' }, 'component', 'guardrail'],
    [{ type: 'data', name: 'support-cases' }, 'component', 'dataset'],
    [{ type: 'file', name: 'README.md' }, 'component', 'other'],
    [{ type: 'library', name: 'x', properties: [prop('agentgate:kind', 'MCP-Server')] }, 'component', 'mcp_server'],
    [{ type: 'library', name: 'x', properties: [prop('agentgate:kind', 'guardrail')] }, 'component', 'guardrail']
  ] as const)('%j as a %s is a %s', (component, element, kind) => {
    expect(kindOf(component as never, element)).toBe(kind);
  });
});

describe('normaliseBom: property aliases (OWASP AOS, Joch)', () => {
  it('reads AOS plain names: endpoint, scope; keeps sandbox and auth as plain properties', () => {
    const result = normaliseBom(
      bom({
        services: [
          {
            name: 'WebSearchAPI',
            'bom-ref': 'urn:tool:websearchapi',
            properties: [
              prop('endpoint', 'https://api.bing.microsoft.com/v7.0/search'),
              prop('auth', 'API key'),
              prop('scope', 'read-only'),
              prop('sandbox', 'true')
            ]
          },
          { name: 'Notes', 'bom-ref': 'urn:tool:notes', properties: [prop('scope', 'read-write')] },
          { name: 'Repo', 'bom-ref': 'urn:tool:repo', properties: [prop('scope', 'repo:status')] }
        ]
      })
    );
    const search = result.components.get('urn:tool:websearchapi')!;
    expect(search.endpoints).toEqual(['https://api.bing.microsoft.com/v7.0/search']);
    expect(search.side_effect?.value).toBe('read');
    expect(search.properties.get('sandbox')).toEqual(['true']);
    expect(result.components.get('urn:tool:notes')!.side_effect?.value).toBe('external_write');
    // an OAuth-style scope is not a side effect, and not an error either
    expect(result.components.get('urn:tool:repo')!.side_effect).toBeNull();
    expect(result.problems).toEqual([]);
  });

  it('reads Joch names: trustScore, pinnedVersion, pinServerVersion, requiresApproval, sideEffect', () => {
    const result = normaliseBom(
      bom({
        services: [
          {
            name: 'github-mcp',
            properties: [
              prop('trustScore', '0.75'),
              prop('pinServerVersion', 'true'),
              prop('pinnedVersion', '1.2.0'),
              prop('sideEffect', 'external_write'),
              prop('requiresApproval', 'true')
            ]
          }
        ]
      })
    );
    const c = result.components.get('service:github-mcp')!;
    expect([
      c.trust_score?.value,
      c.pinned?.value,
      c.pinned_version?.value,
      c.side_effect?.value,
      c.requires_approval?.value
    ]).toEqual([0.75, true, '1.2.0', 'external_write', true]);
  });

  it('maps Joch side-effect levels onto none | read | external_write | destructive', () => {
    const effectOf = (value: string) =>
      normaliseBom(bom({ services: [{ name: 't', properties: [prop('sideEffects.level', value)] }] })).components.get(
        'service:t'
      )!.side_effect?.value;
    expect(
      ['read_only', 'local_write', 'external_write', 'communication', 'financial', 'code_execution', 'privileged'].map(
        effectOf
      )
    ).toEqual(['read', 'read', 'external_write', 'external_write', 'external_write', 'destructive', 'destructive']);
  });

  it('lets the agentgate: name win over an alias', () => {
    const c = normaliseBom(
      bom({ services: [{ name: 't', properties: [prop('trustScore', '0.2'), prop('agentgate:trust_score', '0.9')] }] })
    ).components.get('service:t')!;
    expect(c.trust_score).toEqual({
      value: 0.9,
      property: 'agentgate:trust_score',
      pointer: '/services/0/properties/1/value'
    });
  });
});

describe('normaliseBom: invalid agent properties are problems, located at the value', () => {
  it('reports unreadable values and ambiguous repeats, and keeps no fact from them', () => {
    const result = normaliseBom(
      bom({
        services: [
          {
            name: 'refunds.issue',
            'bom-ref': 'tool:refunds.issue',
            properties: [
              prop('agentgate:trust_score', 'high'),
              prop('agentgate:pinned', 'maybe'),
              prop('agentgate:side_effect', 'payments'),
              prop('agentgate:requires_approval'),
              prop('agentgate:kind', 'robot'),
              prop('agentgate:digest', 'md5:abc'),
              prop('trustScore', '85')
            ]
          },
          {
            name: 'twice',
            properties: [prop('agentgate:requires_approval', 'true'), prop('agentgate:requires_approval', 'false')]
          }
        ]
      })
    );
    // a digest of the wrong length for its algorithm pins nothing, and says so
    const short = normaliseBom(
      bom({ services: [{ name: 'short', properties: [prop('agentgate:digest', `sha256:${'ab'.repeat(31)}`)] }] })
    );
    expect(short.problems.map((p) => [p.property, p.value])).toEqual([
      ['agentgate:digest', `sha256:${'ab'.repeat(31)}`]
    ]);
    expect(result.problems.map((p) => [p.key, p.property, p.pointer, p.value])).toEqual([
      ['tool:refunds.issue', 'agentgate:pinned', '/services/0/properties/1/value', 'maybe'],
      ['tool:refunds.issue', 'agentgate:digest', '/services/0/properties/5/value', 'md5:abc'],
      ['tool:refunds.issue', 'agentgate:side_effect', '/services/0/properties/2/value', 'payments'],
      ['tool:refunds.issue', 'agentgate:requires_approval', '/services/0/properties/3', null],
      ['tool:refunds.issue', 'agentgate:trust_score', '/services/0/properties/0/value', 'high'],
      ['tool:refunds.issue', 'agentgate:kind', '/services/0/properties/4/value', 'robot'],
      ['service:twice', 'agentgate:requires_approval', '/services/1/properties/1/value', 'true / false']
    ]);
    const c = result.components.get('tool:refunds.issue')!;
    expect([c.trust_score, c.pinned, c.side_effect, c.requires_approval]).toEqual([null, null, null, null]);
    // the invalid kind falls back to inference
    expect([c.kind, c.kind_inferred]).toEqual(['tool', true]);
    expect(result.problems[4]!.expected).toBe('a number from 0 to 1, e.g. 0.85');
  });
});

describe('normaliseBom: robustness', () => {
  const arbitraryComponent = fc.dictionary(
    fc.constantFrom(
      'type',
      'name',
      'group',
      'version',
      'purl',
      'bom-ref',
      'hashes',
      'properties',
      'components',
      'endpoints',
      'services'
    ),
    fc.oneof(
      fc.string(),
      fc.constant(null),
      fc.integer(),
      fc.array(
        fc.record({
          name: fc.oneof(fc.string(), fc.constantFrom('agentgate:trust_score', 'scope', 'trustScore')),
          value: fc.string()
        })
      ),
      fc.array(
        fc.record({
          alg: fc.constantFrom('SHA-256', '__proto__', 'MD5'),
          content: fc.stringMatching(/^[0-9a-fA-F]{0,64}$/)
        })
      ),
      fc.array(fc.anything(), { maxLength: 3 })
    )
  );
  it('never throws on random component lists', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryComponent, { maxLength: 20 }),
        fc.array(arbitraryComponent, { maxLength: 5 }),
        (components, services) => {
          const result = normaliseBom({ bomFormat: 'CycloneDX', specVersion: '1.6', components, services });
          for (const c of result.components.values()) expect(typeof c.key).toBe('string');
        }
      ),
      { numRuns: 500 }
    );
    for (const value of [null, 42, 'x', [], { components: 'no' }, { metadata: { component: 7 } }]) {
      expect(() => normaliseBom(value)).not.toThrow();
    }
  });
});

describe('indexBom: entries kept as slots', () => {
  /** The index as first written: one entry object per component, keyed, first occurrence wins, document order. */
  function reference(doc: Record<string, unknown>) {
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const obj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    const entries = new Map<string, { key: string; key_source: string; element: string; pointer: string }>();
    const duplicates = new Map<string, string[]>();
    const visit = (raw: unknown, element: string, pointer: string) => {
      if (!obj(raw)) return;
      const ref = str(raw['bom-ref']);
      const purl = element === 'service' ? null : str(raw.purl);
      const type = element === 'service' ? 'service' : (str(raw.type) ?? '');
      const group = str(raw.group);
      const [key, key_source] =
        ref !== null && ref !== ''
          ? [ref, 'bom-ref']
          : purl !== null && purl !== ''
            ? [purl, 'purl']
            : [`${type}:${group ? `${group}/` : ''}${str(raw.name) ?? ''}`, 'name'];
      const seen = entries.get(key);
      if (seen) duplicates.set(key, [...(duplicates.get(key) ?? [seen.pointer]), pointer]);
      else entries.set(key, { key, key_source, element, pointer });
      const [list, childElement] = element === 'service' ? ['services', 'service'] : ['components', 'component'];
      const children = raw[list];
      if (Array.isArray(children)) children.forEach((c, i) => visit(c, childElement, `${pointer}/${list}/${i}`));
    };
    const metadata = obj(doc.metadata) ? doc.metadata : {};
    if (obj(metadata.component)) visit(metadata.component, 'subject', '/metadata/component');
    const tools = obj(metadata.tools) ? metadata.tools : {};
    for (const [list, element] of [
      ['components', 'component'],
      ['services', 'service']
    ] as const) {
      const items = tools[list];
      if (Array.isArray(items)) items.forEach((c, i) => visit(c, element, `/metadata/tools/${list}/${i}`));
    }
    for (const [list, element] of [
      ['components', 'component'],
      ['services', 'service']
    ] as const) {
      const items = doc[list];
      if (Array.isArray(items)) items.forEach((c, i) => visit(c, element, `/${list}/${i}`));
    }
    return {
      entries: [...entries.values()],
      duplicates: [...duplicates].map(([key, pointers]) => ({ key, pointers }))
    };
  }

  const component: fc.Arbitrary<unknown> = fc.letrec<{ item: unknown }>((tie) => ({
    item: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record(
        {
          type: fc.constantFrom('library', 'application', 'machine-learning-model'),
          'bom-ref': fc.constantFrom('a', 'b', 'c', ''),
          purl: fc.constantFrom('pkg:npm/x@1', 'pkg:npm/y@2', ''),
          group: fc.constantFrom('g', ''),
          name: fc.constantFrom('n', 'm'),
          components: fc.array(tie('item'), { maxLength: 3 }),
          services: fc.array(tie('item'), { maxLength: 2 })
        },
        { requiredKeys: [] }
      ),
      fc.constantFrom(null, 'text', 7, [])
    )
  })).item;

  it('gives the entries, pointers and duplicates of one entry object per component', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            metadata: fc.record(
              {
                component: component,
                tools: fc.record({ components: fc.array(component), services: fc.array(component) })
              },
              { requiredKeys: [] }
            ),
            components: fc.array(component, { maxLength: 6 }),
            services: fc.array(component, { maxLength: 4 })
          },
          { requiredKeys: [] }
        ),
        (doc) => {
          const index = indexBom(doc);
          const expected = reference(doc);
          const entries = [...index.entries].map(([, e]) => ({
            key: e.key,
            key_source: e.key_source,
            element: e.element,
            pointer: e.pointer
          }));
          expect(entries).toEqual(expected.entries);
          expect([...index.entries.keys()]).toEqual(expected.entries.map((e) => e.key));
          expect(index.entries.size).toBe(expected.entries.length);
          expect(index.duplicates.map((d) => ({ key: d.key, pointers: d.pointers }))).toEqual(expected.duplicates);
          for (const e of expected.entries) expect(index.entries.get(e.key)?.pointer).toBe(e.pointer);
        }
      ),
      { numRuns: 1000 }
    );
  });
});

describe('BomEntries.sameAs (the diff skips entries written identically)', () => {
  /** JSON with keys sorted, nested components and services of the entry left out: what "written identically" means. */
  const canonical = (v: unknown, top = true): string => {
    if (Array.isArray(v)) return `[${v.map((x) => canonical(x, false)).join(',')}]`;
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const keys = Object.keys(v)
      .filter((k) => !(top && (k === 'components' || k === 'services')))
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k], false)}`).join(',')}}`;
  };
  // small alphabets, so that the two sides are often equal, or differ in one place; `__proto__` and `toString`
  // are keys a lookup could find on the prototype
  const key = fc.constantFrom('name', 'value', '__proto__', 'toString', 'hashes', 'components', 'services');
  const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, false, 0, 1, '', 'a', 'b'),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(key, tie('v'), { maxKeys: 4 })
    )
  })).v;
  const entry = fc.dictionary(key, json, { maxKeys: 5 });
  /** the two entries as the loader gives them: parsed from text, so `__proto__` is an own key */
  const entriesOf = (a: unknown, b: unknown) => {
    const side = (raw: unknown) => {
      const doc = JSON.parse(`{"components":[${JSON.stringify({ ...(raw as object), 'bom-ref': 'x' })}]}`);
      return indexBom(doc).entries;
    };
    return [side(a), side(b)] as const;
  };

  it('is true exactly when the two entries are the same JSON, key order and nested entries aside', () => {
    fc.assert(
      fc.property(
        entry,
        fc.oneof(
          entry,
          entry.map((e) => e),
          fc.constant(null)
        ),
        fc.boolean(),
        (a, other, reorder) => {
          // null: the same entry written again, its keys in another order when `reorder`
          const rawA = JSON.parse(JSON.stringify({ ...a, 'bom-ref': 'x' }));
          const b =
            other ?? (reorder ? Object.fromEntries(Object.entries(rawA).reverse()) : JSON.parse(JSON.stringify(rawA)));
          const rawB = JSON.parse(JSON.stringify({ ...(b as object), 'bom-ref': 'x' }));
          const [x, y] = entriesOf(rawA, rawB);
          const expected = canonical(rawA) === canonical(rawB);
          expect(x.sameAs(x.slotOf('x'), y, y.slotOf('x'))).toBe(expected);
          expect(y.sameAs(y.slotOf('x'), x, x.slotOf('x'))).toBe(expected);
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('does not take a value found on the prototype for a missing key', () => {
    const [x, y] = entriesOf(JSON.parse('{"name":"n","__proto__":{}}'), JSON.parse('{"name":"n","version":{}}'));
    expect(x.sameAs(x.slotOf('x'), y, y.slotOf('x'))).toBe(false);
    expect(y.sameAs(y.slotOf('x'), x, x.slotOf('x'))).toBe(false);
    const [p, q] = entriesOf(
      JSON.parse('{"properties":[{"__proto__":{}}]}'),
      JSON.parse('{"properties":[{"name":{}}]}')
    );
    expect(p.sameAs(p.slotOf('x'), q, q.slotOf('x'))).toBe(false);
  });
});

describe('namesAgentProperty (which components must be read for property problems)', () => {
  const FACT_NAMES = [
    'agentgate:kind',
    'agentgate:pinned',
    'pinServerVersion',
    'pinnedVersion',
    'agentgate:digest',
    'agentgate:side_effect',
    'sideEffect',
    'sideEffects.level',
    'scope',
    'agentgate:requires_approval',
    'requiresApproval',
    'sideEffects.requiresApproval',
    'agentgate:trust_score',
    'trustScore',
    'agentgate:model',
    'model'
  ];
  const OTHER_NAMES = ['cdx:npm:package:path', 'syft:package:type', 'agentgate:endpoint', 'endpoint', 'Kind', ''];
  const property = fc.oneof(
    fc.record({ name: fc.constantFrom(...FACT_NAMES, ...OTHER_NAMES), value: fc.string({ maxLength: 8 }) }),
    fc.record({ name: fc.constantFrom(...FACT_NAMES, ...OTHER_NAMES) }),
    fc.constantFrom<unknown>(null, 'x', { value: 'true' }, { name: 7, value: 'x' })
  );

  it('is false only for components whose reading cannot report a property problem', () => {
    fc.assert(
      fc.property(fc.array(property, { maxLength: 6 }), (properties) => {
        const raw = { type: 'application', 'bom-ref': 'tool:x', name: 'x', properties };
        const { components, problems } = normaliseBom(bom({ components: [raw] as CycloneDxBom['components'] }));
        expect(components.size).toBe(1);
        if (!namesAgentProperty(raw)) expect(problems).toEqual([]);
      }),
      { numRuns: 1000 }
    );
  });

  it('is true for each fact property, and false for a library with only its generator properties', () => {
    const entry = (properties: unknown[]) => ({ type: 'library', name: 'lib', properties });
    for (const name of FACT_NAMES) expect(namesAgentProperty(entry([prop('cdx:x', '1'), prop(name, 'v')]))).toBe(true);
    expect(
      namesAgentProperty(entry([prop('cdx:npm:package:path', 'node_modules/lib'), prop('agentgate:endpoint')]))
    ).toBe(false);
    expect(namesAgentProperty(entry([]))).toBe(false);
    // a misspelt name in the gate's namespace must be read, so that it is reported
    expect(namesAgentProperty(entry([prop('AgentGate:Trust-Score', '0.1')]))).toBe(true);
  });
});
