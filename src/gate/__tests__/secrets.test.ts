import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { findSecrets, maskSecret, patternMatches, Redactor } from '../secrets.js';

// Credential shapes are assembled here rather than written out, so that no scanner mistakes this file for a leak.
// None of them is a real credential.
const GITHUB = 'ghp_' + 'R4nd0mLooK1ngT0kenF0rTests0nly12345678';
const GITHUB_PAT = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
const AWS = 'AKIA' + 'IOSFODNN7EXAMPLE';
const SLACK = 'xox' + 'b-' + '2048-1234567890-AbCdEfGhIjKlMnOp';
const STRIPE = 'sk_' + 'live_' + '51Hx0000FakeFakeFake42';
const OPENAI = 'sk-' + 'proj-' + 'Abc123Def456Ghi789Jkl012';
const GOOGLE = 'AIza' + 'SyD-FAKE0123456789abcdefghijklmnopq';
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiJ9.eyJ' + 'zdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLWZha2U';
const SLACK_HOOK = 'https://hooks.slack.com/' + 'services/T00000000/B00000000/XXXXFAKEXXXX';
const PEM = '-----BEGIN RSA ' + 'PRIVATE KEY-----\nMIIEowIBAAKCAQEAFAKEBODYFAKEBODY\n-----END RSA PRIVATE KEY-----';
const HUGGINGFACE = 'hf_' + 'FakeFakeFake0123456789abcdefghijkLMN';
const GITLAB = 'glpat-' + 'xFAKEfake0123456789ab';
const NPM = 'npm_' + 'FakeFakeFake0123456789abcdefghijklmn';

describe('findSecrets: credential shapes anywhere', () => {
  const cases: [string, string, string][] = [
    ['GitHub token', `Bearer ${GITHUB}`, 'Bearer ghp_…5678'],
    ['GitHub token', GITHUB_PAT, 'github_pat_…wxyz'],
    ['AWS access key id', `key=${AWS}`, 'key=AKIA…MPLE'],
    ['Slack token', SLACK, 'xoxb-…MnOp'],
    ['Stripe key', STRIPE, 'sk_live_…ke42'],
    ['API key (sk-…)', OPENAI, 'sk-proj-…l012'],
    ['Google API key', GOOGLE, 'AIza…nopq'],
    ['JSON Web Token', JWT, 'eyJ…ha2U'],
    ['Slack webhook URL', SLACK_HOOK, 'https://hooks.slack.com/…XXXX'],
    ['Hugging Face token', `HF_TOKEN ${HUGGINGFACE}`, 'HF_TOKEN hf_…kLMN'],
    ['GitLab token', `git clone with ${GITLAB}`, 'git clone with glpat-…89ab'],
    ['npm token', `//registry.npmjs.org/:_authToken ${NPM}`, '//registry.npmjs.org/:_authToken npm_…klmn'],
    ['private key', `tls: ${PEM} (rotated)`, 'tls: -----BEGIN RSA PRIVATE KEY-----… (rotated)']
  ];
  it.each(cases)('finds a %s and shows only a masked form', (kind, text, masked) => {
    const found = findSecrets(text);
    expect(found?.kinds).toEqual([kind]);
    expect(found?.masked).toBe(masked);
  });

  it('masks credentials and tokens in URLs, leaving the rest readable', () => {
    expect(findSecrets('https://triage-bot:Sup3rS3cretPa55@mcp.example.com/github')).toEqual({
      kinds: ['credentials in a URL'],
      masked: 'https://****:****@mcp.example.com/github'
    });
    expect(findSecrets('https://acme.zendesk.com/api/v2/search.json?query=open&token=zd-9f8e7d6c5b4a39281706')).toEqual(
      {
        kinds: ['token= in a URL or connection string'],
        masked: 'https://acme.zendesk.com/api/v2/search.json?query=open&token=****'
      }
    );
    expect(findSecrets('postgres://db.internal:5432/triage?sslmode=require&password=hunter22')?.masked).toBe(
      'postgres://db.internal:5432/triage?sslmode=require&password=****'
    );
    expect(findSecrets('password=hunter22')?.masked).toBe('password=****');
  });

  it('leaves placeholders and ordinary values alone', () => {
    for (const text of [
      'https://mcp.internal.example.com/github',
      'https://user:${MCP_PASSWORD}@mcp.example.com',
      'https://example.com/search?token=<your-token>',
      'https://example.com/search?token=%24%7BTOKEN%7D',
      'pkg:docker/acme/mcp-server-postgres@sha256%3A' + 'a'.repeat(64),
      'a'.repeat(64),
      'sk-learn-compatible',
      'sk-learn-extension-for-tabular-data-2024',
      'akiaiosfodnn7example', // the AWS shape is upper-case only
      'Looks up the customer record by id and returns it'
    ]) {
      expect(findSecrets(text)).toBeNull();
    }
  });
});

describe('findSecrets: credentials glued together', () => {
  const GITHUB_2 = 'ghp_' + 'An0therF4keT0kenF0rTestsOnlyAbCdEfGh';
  const AWS_2 = 'ASIA' + 'Y34FZKBOKMUTVV7A';
  const bodies = [GITHUB, GITHUB_2, AWS, AWS_2, SLACK, STRIPE, OPENAI, GOOGLE, JWT].map((s) => s.slice(6, -4));
  const shows = (masked: string) => bodies.filter((body) => masked.includes(body));

  it.each([
    ['two GitHub tokens', GITHUB + GITHUB_2, 'ghp_…EfGh'],
    ['a GitHub token and an AWS key id', GITHUB + AWS, 'ghp_…MPLE'],
    ['an AWS key id and letters', AWS + 'abcdef', 'AKIA…cdef'],
    ['an AWS key id and a GitHub token', AWS + GITHUB, 'AKIA…5678'],
    ['two AWS key ids', AWS + AWS_2, 'AKIA…VV7A'],
    ['two Google API keys', GOOGLE + GOOGLE, 'AIza…nopq'],
    ['two Stripe keys', STRIPE + STRIPE, 'sk_live_…ke42'],
    ['two legacy sk- keys', 'sk-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6' + OPENAI, 'sk-…l012'],
    ['two JSON Web Tokens', JWT + JWT, 'eyJ…ha2U'],
    ['a JSON Web Token and a Slack token', `${JWT}.${SLACK}`, 'eyJ…MnOp'],
    ['a Slack token, a dot and a JSON Web Token', `${SLACK}.${JWT}`, 'xoxb-…MnOp.eyJ…ha2U'],
    ['a GitHub token and a URL with credentials', `${GITHUB}https://bot:pa55w0rd@mcp.example.com`, 'ghp_….com']
  ])('masks %s as one run', (_, text, masked) => {
    const found = findSecrets(`token: ${text} (rotated)`);
    expect(found?.masked).toBe(`token: ${masked} (rotated)`);
    expect(shows(found!.masked)).toEqual([]);
    expect(found!.masked).not.toContain('pa55w0rd');
  });

  it('masks glued credentials whatever surrounds them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(GITHUB, GITHUB_2, AWS, AWS_2, SLACK, STRIPE, OPENAI, GOOGLE, JWT),
        fc.constantFrom(GITHUB, GITHUB_2, AWS, AWS_2, SLACK, STRIPE, OPENAI, GOOGLE, JWT),
        fc.constantFrom('', '-', '_', '.'),
        fc.string(),
        (first, second, glue, before) => {
          const found = findSecrets(`${before} ${first}${glue}${second} after`);
          expect(found).not.toBeNull();
          expect(shows(found!.masked)).toEqual([]);
        }
      ),
      { numRuns: 500 }
    );
  });

  it('still ends a credential at a separator, and leaves words in capitals alone', () => {
    expect(findSecrets(`${GITHUB}. Rotated.`)?.masked).toBe('ghp_…5678. Rotated.');
    expect(findSecrets(`/runbooks/${GITHUB}.md`)?.masked).toBe('/runbooks/ghp_…5678.md');
    expect(findSecrets(`"${AWS}",`)?.masked).toBe('"AKIA…MPLE",');
    expect(findSecrets(`${GITHUB}&token=${'abcd1234'}`)?.masked).toBe('ghp_…5678&token=****');
    expect(findSecrets('ASIAPACIFICREGIONALHUB')).toBeNull();
    expect(findSecrets('AKIAIOSFODNNEXAMPLEKEYS')).toBeNull();
  });
});

describe('patternMatches: the URL alternatives only where they can match', () => {
  // strings are scanned without the userinfo alternative unless they hold `://` and `@`, without the parameter one
  // unless they hold `=`, without the authorization header unless they hold a space: the
  // answers must be those of the complete pattern, whatever the string
  const pieces = [
    GITHUB,
    AWS,
    SLACK,
    STRIPE,
    OPENAI,
    GOOGLE,
    JWT,
    'https://bot:pa55w0rd@mcp.example.com',
    'postgres://u:p@db/x?password=hunter22&sslmode=require',
    '?token=abcd1234',
    ';pwd=s3cret',
    'password=letmein99',
    '://',
    ':/',
    '=',
    '==',
    '@',
    'akia',
    'AKIA',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEabcdefgh12345678\n-----END RSA PRIVATE KEY-----',
    'Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    'Basic YWRtaW46YWRtaW4=',
    '\t',
    ' ',
    ',',
    '&'
  ];
  const texts = fc.oneof(
    fc
      .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 8 })
      .map((p) => p.join('')),
    fc.string({ unit: fc.constantFrom(...'ak:/=@?&;-_.xyPASWORDpasword1 '.split('')), maxLength: 40 })
  );

  it('finds what the complete pattern finds', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(patternMatches(text)).toEqual(patternMatches(text, true));
      }),
      { numRuns: 3000 }
    );
  });

  it('still finds credentials in URLs and parameters', () => {
    expect(patternMatches('see https://bot:pa55w0rd@mcp.example.com')?.map((m) => m.kind)).toEqual([
      'credentials in a URL'
    ]);
    expect(patternMatches('db?password=hunter22')?.map((m) => m.kind)).toEqual([
      'password= in a URL or connection string'
    ]);
    expect(patternMatches('pkg:npm/left-pad@1.3.0')).toBeNull();
  });
});

describe('findSecrets: values judged by the name of their field', () => {
  it('finds legacy and Anthropic-style sk- keys', () => {
    expect(findSecrets('sk-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0')?.kinds).toEqual(['API key (sk-…)']);
    expect(findSecrets('sk-' + 'ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2')?.masked).toBe('sk-ant-…3Lk2');
  });

  it('treats any password as a secret', () => {
    expect(findSecrets('hunter2!', 'db_password')).toEqual({ kinds: ['password'], masked: '…' });
    expect(findSecrets('hunter2!', 'dbPassword')?.kinds).toEqual(['password']);
  });

  it('flags long random values under secret-like names', () => {
    const found = findSecrets('q7Xv9LmP2sR8tK4wZ1yB6nD3', 'signing_secret');
    expect(found).toEqual({ kinds: ['high-entropy value in "signing_secret"'], masked: '…6nD3' });
  });

  it('finds a credential in an authorization header whatever field holds it (Bearer, Basic)', () => {
    const opaque = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    for (const field of [null, 'Authorization', 'http.header.Authorization', 'capability_token']) {
      expect(findSecrets(`Bearer ${opaque}`, field)).toEqual({
        kinds: ['credential in an authorization header'],
        // under a field named like a token the whole value is masked as such: the last four characters show
        masked: expect.stringMatching(/^Bearer …(b1a0)?$/)
      });
    }
    // Basic is user:password in base64, however short
    expect(findSecrets('Basic YWRtaW46YWRtaW4=')?.masked).toBe('Basic …');
    expect(findSecrets('Basic dXNlcjpwYXNz', 'auth')?.kinds).toEqual(['credential in an authorization header']);
    // prose, schemes named in passing, tokens without digits and base64 of no user:password are not credentials
    for (const text of [
      'Bearer authentication is used',
      'use a Bearer token here',
      'Bearer authentication-for-clients',
      'Basic SGVsbG8gd29ybGQ=',
      'basic plan'
    ]) {
      expect([text, findSecrets(text)]).toEqual([text, null]);
    }
  });

  it('does not take a field named like an authorization method or policy for a secret', () => {
    const named: [string, string][] = [
      ['oauth2-client-credentials', 'tool.authorization'],
      ['policy/v2/allow-list-2026', 'agentgate:authorization'],
      ['opa-policy-v1234567', 'authorization_mode']
    ];
    for (const [value, name] of named) {
      expect([name, findSecrets(value, name)]).toEqual([name, null]);
    }
  });

  it('finds a token in a URL whose password is a placeholder, and a password after a quote', () => {
    const token = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'.slice(0, 36)}`;
    expect(findSecrets(`https://${token}:x@github.com/o/r.git`)?.kinds).toEqual(['GitHub token']);
    expect(findSecrets(`https://${token}:***@github.com/o/r.git`)?.masked).not.toContain(token.slice(8));
    expect(findSecrets('AKIAY34FZKBOKMUTVV7A:redacted@s3')?.kinds).toEqual(['AWS access key id']);
    expect(findSecrets('run_id "password=hunter22" is used twice')?.masked).not.toContain('hunter22');
    // a JSON Web Token whose header and payload were written with a space after the brace
    const spaced = `${Buffer.from('{ "alg": "HS256" }').toString('base64url')}.${Buffer.from('{ "sub": "agent-1" }').toString('base64url')}.c2lnbmF0dXJlLXZhbHVl`;
    expect(findSecrets(spaced)).toEqual({ kinds: ['JSON Web Token'], masked: 'eyAi…bHVl' });
    // more token shapes and URL parameters
    expect(findSecrets(`xapp-1-A0123456789-1234567890123-${'ab12'.repeat(8)}`)?.kinds).toEqual(['Slack token']);
    expect(findSecrets(`ya29.${'a0AfB_byC1dE2fG3hI4jK5'}`)?.kinds).toEqual(['Google OAuth access token']);
    for (const param of ['X-Amz-Security-Token', 'X-Amz-Signature', 'private_token', 'access-token']) {
      const found = findSecrets(`https://bucket.s3.amazonaws.com/o?${param}=IQoJb3JpZ2luX2VjE123abc&x=1`);
      expect([param, found?.kinds]).toEqual([param, [`${param.toLowerCase()}= in a URL or connection string`]]);
      expect(found?.masked).not.toContain('IQoJb3JpZ2luX2VjE123abc');
    }
    // a shape matched across case is no hit, and must not hide the token after it
    expect(findSecrets(`HTTPS://HOOKS.SLACK.COM/services/T0/${token}`)?.kinds).toEqual(['GitHub token']);
    // many false alarms before a credential: it is still found
    const alarms = 'https://user:***@host '.repeat(200);
    expect(findSecrets(`${alarms}https://${token}:x@github.com`)?.kinds).toEqual(['GitHub token']);
  });

  it('judges the credential behind an authorization scheme under a secret-named field', () => {
    const opaque = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    expect(findSecrets(`token ${opaque}`, 'api_token')?.masked).toBe('token …b1a0');
    expect(findSecrets(`token ${opaque}`, 'api_token')?.kinds).toEqual(['high-entropy value in "api_token"']);
    // a placeholder, a reference or prose behind the scheme is still not a secret
    for (const value of ['Bearer ${API_TOKEN}', 'Bearer <token>', 'Bearer vault:kv/agent/token', 'Bearer', 'Bearer ']) {
      expect([value, findSecrets(value, 'api_token')]).toEqual([value, null]);
    }
    // in prose too, a bearer credential is a credential
    expect(findSecrets(`send Bearer ${opaque} here`, 'token')?.masked).toBe('send Bearer … here');
    // a known token behind the scheme is named by its own shape
    expect(findSecrets(`Bearer ghp_${'x1'.repeat(18)}`)?.kinds).toEqual(['GitHub token']);
  });

  it('does not flag references, placeholders, prose, short or low-entropy values', () => {
    const notSecrets: [string, string][] = [
      ['vault:kv/support-triage/postgres', 'password_ref'],
      ['${POSTGRES_MCP_API_KEY}', 'api_key'],
      ['{{ secrets.ZENDESK_TOKEN }}', 'token'],
      ['****', 'password'],
      ['OAuth2 client credentials', 'auth'],
      ['zendesk-api-token', 'secretRef'],
      ['4096', 'max_tokens'],
      ['rotating-monthly-policy', 'secret_rotation'],
      ['MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFAKE', 'public_key'],
      ['3f8a9c2d1e7b6a5f4c3d2e1f0a9b8c7d', 'content_sha256']
    ];
    for (const [value, name] of notSecrets) expect([name, findSecrets(value, name)]).toEqual([name, null]);
  });
});

describe('maskSecret', () => {
  it('shows the prefix and, for long secrets only, the last four characters', () => {
    expect(maskSecret(GITHUB, 'ghp_')).toBe('ghp_…5678');
    expect(maskSecret('hunter2', '')).toBe('…');
    // a prefix longer than half the secret would give too much away
    expect(maskSecret('sk-abc', 'sk-abc')).toBe('…');
  });
});

describe('Redactor', () => {
  const bom = {
    components: [
      {
        name: 'mcp-server-postgres',
        properties: [
          { name: 'db_password', value: 'hunter2!' },
          { name: 'auth_header', value: `Bearer ${GITHUB}` },
          { name: 'description', value: 'read-only access' }
        ]
      }
    ],
    services: [{ name: 'github', endpoints: ['https://bot:pa55w0rd!@mcp.example.com'] }]
  };

  it('reports each string holding a secret, in document order, with its JSON pointer', () => {
    const hits = new Redactor().scan(bom);
    expect(hits).toEqual([
      { pointer: '/components/0/properties/0/value', kinds: ['password'], masked: '…' },
      { pointer: '/components/0/properties/1/value', kinds: ['GitHub token'], masked: 'Bearer ghp_…5678' },
      {
        pointer: '/services/0/endpoints/0',
        kinds: ['credentials in a URL'],
        masked: 'https://****:****@mcp.example.com'
      }
    ]);
    expect(JSON.stringify(hits)).not.toMatch(/hunter2|pa55w0rd|R4nd0m/);
  });

  it('masks scanned strings wherever they are shown again, and detects secrets in derived text', () => {
    const redactor = new Redactor();
    redactor.scan(bom);
    expect(redactor.text('hunter2!')).toBe('…');
    expect(redactor.text(`service:${GITHUB}`)).toBe('service:ghp_…5678');
    expect(redactor.text('hunter2!x', 'db_password')).toBe('…');
    expect(redactor.text('plain text')).toBe('plain text');
  });

  it('escapes JSON pointer segments', () => {
    const hits = new Redactor().scan({ 'a/b': { '~k': `x ${GITHUB}` } });
    expect(hits[0]!.pointer).toBe('/a~1b/~0k');
  });

  it('fails closed on values nested deeper than it scans', () => {
    let deep: unknown = GITHUB;
    for (let i = 0; i < 300; i++) deep = [deep];
    const hits = new Redactor().scan(deep);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.kinds[0]).toMatch(/nested deeper than 256 levels/);
  });

  it('never throws and never shows an embedded token, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: null }), (before, after, name) => {
        const text = `${before} ${GITHUB} ${after}`;
        const found = findSecrets(text, name);
        expect(found).not.toBeNull();
        expect(found!.masked).not.toContain('R4nd0mLooK1ngT0ken');
      }),
      { numRuns: 300 }
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        new Redactor().scan(value);
      }),
      { numRuns: 300 }
    );
  });
});
