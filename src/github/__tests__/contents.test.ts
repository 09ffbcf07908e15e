import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SourceError } from '../../read/source.js';
import { ContentsApiSource } from '../contents.js';
import { apiFor, BASE, REPO, useFakeGitHub } from './helpers.js';

function oid(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

describe('ContentsApiSource (base files through the GitHub API)', () => {
  const { server } = useFakeGitHub();

  function seed() {
    const files: Record<string, string> = {
      '.github/agent-gate.yml': 'version: 1\nkey: support-triage\n',
      'records/change.yaml': 'change:\n  change_id: chg-1\n'
    };
    const entries = [
      { path: '.github', mode: '040000', type: 'tree' as const, sha: oid('t1') },
      ...Object.entries(files).map(([path, text]) => {
        server().blobs.set(oid(text), Buffer.from(text));
        return { path, mode: '100644', type: 'blob' as const, sha: oid(text) };
      }),
      { path: 'records/link.yaml', mode: '120000', type: 'blob' as const, sha: oid('/proc/self/environ') },
      { path: 'vendor/evals', mode: '160000', type: 'commit' as const, sha: oid('sub') }
    ];
    server().trees.set(BASE, { entries });
    return new ContentsApiSource(apiFor(server()), REPO, BASE, 'base');
  }

  it('lists files with their types, without folders', async () => {
    const source = seed();
    expect(await source.list()).toEqual([
      { path: '.github/agent-gate.yml', type: 'file', size: 31 },
      { path: 'records/change.yaml', type: 'file', size: 27 },
      { path: 'records/link.yaml', type: 'symlink', size: null },
      { path: 'vendor/evals', type: 'submodule', size: null }
    ]);
    expect(server().calls()).toEqual([`GET /repos/acme/support-triage/git/trees/${BASE}?recursive=1 → 200`]);
  });

  it('reads exact bytes', async () => {
    const source = seed();
    expect((await source.read('records/change.yaml', 1000)).toString()).toBe('change:\n  change_id: chg-1\n');
    const chunks: Buffer[] = [];
    for await (const chunk of source.stream('.github/agent-gate.yml', 1000)) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toContain('key: support-triage');
  });

  it('refuses symlinks, submodules, paths inside them, bad paths and oversized files', async () => {
    const source = seed();
    await expect(source.read('records/link.yaml', 1000)).rejects.toMatchObject({ code: 'file.symlink' });
    await expect(source.read('vendor/evals', 1000)).rejects.toMatchObject({ code: 'file.submodule' });
    await expect(source.read('vendor/evals/results.json', 1000)).rejects.toMatchObject({ code: 'file.submodule' });
    await expect(source.read('../etc/passwd', 1000)).rejects.toMatchObject({ code: 'file.bad-path' });
    await expect(source.read('records/change.yaml', 10)).rejects.toMatchObject({ code: 'file.too-large' });
    await expect(source.read('records/absent.yaml', 10)).rejects.toMatchObject({ code: 'file.missing' });
    expect(await source.stat('records/absent.yaml')).toBeNull();
    // nothing refused was fetched
    expect(server().log.filter((r) => r.path.includes('/git/blobs/'))).toHaveLength(0);
  });

  it('reports an unknown commit or a truncated tree as unreadable', async () => {
    await expect(new ContentsApiSource(apiFor(server()), REPO, BASE, 'base').list()).rejects.toBeInstanceOf(
      SourceError
    );
    server().trees.set(BASE, { entries: [], truncated: true });
    await expect(new ContentsApiSource(apiFor(server()), REPO, BASE, 'base').list()).rejects.toThrow(/too many files/);
  });
});
