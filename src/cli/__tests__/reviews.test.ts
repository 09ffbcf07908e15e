/** The --reviews file: the shapes `gh api` writes, mapped as the action maps them, and located errors. */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError } from '../../errors.js';
import { reviewsFromApi } from '../../github/reviews.js';
import { readReviewsFile } from '../reviews.js';
import { REVIEWS, tempDir } from './helpers.js';

const HEAD = '4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';

function review(id: number, login: string | null, state = 'APPROVED', commit = HEAD) {
  return {
    id,
    user: login === null ? null : { login, type: 'User' },
    state,
    commit_id: commit,
    body: '',
    html_url: 'x'
  };
}

async function readJson(value: unknown): Promise<ReturnType<typeof readReviewsFile>> {
  const file = join(tempDir(), 'reviews.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return readReviewsFile(file, 'reviews.json');
}

async function failure(value: unknown): Promise<string> {
  try {
    await readJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message.split('\n')[0]!;
  }
  throw new Error('expected a SettingsError');
}

describe('reading --reviews', () => {
  test('the wrapped example: author, head commit and reviews, mapped like the action maps them', async () => {
    const approvals = await readReviewsFile(REVIEWS, 'reviews.json');
    const file = JSON.parse(readFileSync(REVIEWS, 'utf8')) as {
      reviews: { id: number; user: { login: string }; state: string; commit_id: string; submitted_at: string }[];
    };
    expect(approvals).toEqual({
      available: true,
      author: 'alex-dev',
      head_sha: HEAD,
      teams: {},
      reviews: reviewsFromApi(
        file.reviews.map((r) => ({
          id: r.id,
          login: r.user.login,
          state: r.state,
          commitId: r.commit_id,
          submittedAt: r.submitted_at,
          bot: false
        }))
      )
    });
    expect(approvals.reviews).toHaveLength(6);
  });

  test('a plain list and `gh api --paginate --slurp` pages; ghosts dropped, logins lower-cased, sorted by id', async () => {
    const plain = await readJson([
      review(3, 'Dana-Release'),
      review(1, null),
      review(2, 'li-eng', 'CHANGES_REQUESTED')
    ]);
    expect(plain.head_sha).toBeNull();
    expect(plain.author).toBeNull();
    expect(plain.reviews.map((r) => [r.id, r.user, r.state])).toEqual([
      [2, 'li-eng', 'CHANGES_REQUESTED'],
      [3, 'dana-release', 'APPROVED']
    ]);
    const pages = await readJson([
      [review(3, 'Dana-Release'), review(2, 'li-eng', 'CHANGES_REQUESTED')],
      [review(1, null)]
    ]);
    expect(pages.reviews).toEqual(plain.reviews);
  });

  test('marks reviews by bots (user.type Bot, or a [bot] login); a login nested one level too deep is refused', async () => {
    const read = await readJson([
      { ...review(1, 'release-bot'), user: { login: 'release-bot', type: 'Bot' } },
      review(2, 'dependabot[bot]'),
      { ...review(3, 'dana-release'), user: { login: 'dana-release', type: 'User' } }
    ]);
    expect(read.reviews.map((r) => [r.user, r.bot ?? false])).toEqual([
      ['release-bot', true],
      ['dependabot[bot]', true],
      ['dana-release', false]
    ]);
    expect(await failure([{ ...review(1, 'x'), user: { user: { login: 'dana-release' } } }])).toContain(
      '/0/user/login'
    );
  });

  test("the API's own pull request object, and team members", async () => {
    const approvals = await readJson({
      pull_request: { number: 412, user: { login: 'Alex-Dev' }, head: { sha: HEAD, ref: 'feature' } },
      reviews: [review(1, 'priya-safety')],
      teams: { 'Acme/AI-Safety': ['Priya-Safety', 'jo-sec', 'priya-safety'] }
    });
    expect(approvals.author).toBe('alex-dev');
    expect(approvals.head_sha).toBe(HEAD);
    expect(approvals.teams).toEqual({ 'acme/ai-safety': ['jo-sec', 'priya-safety'] });
  });

  test.each([
    ['{ "reviews": [ }', /^reviews\.json:1:16 \(\/reviews\): expected a value but found '}'$/],
    [{ reviews: {} }, /^reviews\.json:2:3 \(\/reviews\): expected a list of reviews$/],
    [
      { reviews: [], pr: {} },
      /^reviews\.json:3:3 \(\/pr\): unknown key 'pr'; expected pull_request, reviews and teams$/
    ],
    [
      [review(1, 'li-eng', 'approved')],
      /^reviews\.json:\d+:\d+ \(\/0\/state\): state must be one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING$/
    ],
    [[{ ...review(1, 'li-eng'), id: '1' }], /\(\/0\/id\): id must be a whole number/],
    [[{ ...review(1, 'li-eng'), user: 'li-eng' }], /\(\/0\/user\): user must be an object with a login, or null/],
    [[{ ...review(1, 'li-eng'), user: { login: '@li-eng' } }], /\(\/0\/user\/login\): login must be a GitHub login/],
    [[{ ...review(1, 'li-eng'), commit_id: 7 }], /\(\/0\/commit_id\): commit_id must be a string or null/],
    [[[review(1, 'a')], [review(2, 'b', 'NOPE')]], /\(\/1\/0\/state\): state must be one of/],
    [
      { pull_request: { head_sha: 'abc' }, reviews: [] },
      /\(\/pull_request\/head_sha\): the head commit must be a full commit SHA/
    ],
    [{ pull_request: [], reviews: [] }, /\(\/pull_request\): pull_request must be an object/],
    [{ reviews: [], teams: { 'ai-safety': [] } }, /\(\/teams\/ai-safety\): 'ai-safety' is not "org\/team-slug"/],
    [{ reviews: [], teams: { 'acme/safety': ['ok', 3] } }, /\(\/teams\/acme~1safety\/1\): a member must be a login/]
  ])('%j → a located error', async (value, message) => {
    expect(await failure(value)).toMatch(message);
  });

  test('exact line and column of a bad field', async () => {
    const text = '{\n  "reviews": [\n    { "id": 1, "user": null, "state": "LGTM" }\n  ]\n}\n';
    expect(await failure(text)).toBe(
      'reviews.json:3:30 (/reviews/0/state): state must be one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING'
    );
  });

  test('a UTF-8 byte order mark is accepted, as in records; UTF-16 is a located error', async () => {
    const text = readFileSync(REVIEWS, 'utf8');
    const file = join(tempDir(), 'reviews.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(await readReviewsFile(file, 'reviews.json')).toEqual(await readReviewsFile(REVIEWS, 'reviews.json'));
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await expect(readReviewsFile(file, 'reviews.json')).rejects.toThrow(
      /^reviews\.json:1:1: is encoded as UTF-16 \(little-endian, with a byte order mark\), not UTF-8 \(save the file as UTF-8/
    );
  });

  test('an error never repeats a secret the file holds', async () => {
    const token = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    for (const value of [
      { reviews: [], [token]: 1 },
      { reviews: [], teams: { [token]: [] } },
      `{"reviews": [], "${token}": 1, "${token}": 2}`
    ]) {
      const message = await failure(value);
      expect(message).toContain('ghp_…Q7r8');
      expect(message).not.toContain(token.slice(4, 20));
    }
  });

  test('pages written one after another (gh api --paginate without --slurp) say how to get one list', async () => {
    for (const text of ['[{"id":1}]\n[{"id":2}]\n', '[][]']) {
      expect(await failure(text)).toMatch(
        /^reviews\.json:\d+:\d+: expected the end of the file after the JSON value but found '\[' \(one list after another: gh api --paginate writes a list per page; add --slurp\)$/
      );
    }
    // another stray character gets no such hint
    expect(await failure('[] x')).not.toContain('--paginate');
  });

  test('one team listed twice in different case is a located error, not one list dropped', async () => {
    const message = await failure({ reviews: [], teams: { 'acme/Safety': ['priya'], 'acme/safety': ['jo'] } });
    expect(message).toMatch(
      /^reviews\.json:\d+:\d+ \(\/teams\/acme~1safety\): 'acme\/safety' names a team listed already \(in another case\)$/
    );
  });

  test('a file that is not there, or not a file', async () => {
    await expect(readReviewsFile(join(tempDir(), 'none.json'), 'none.json')).rejects.toThrow(
      '--reviews none.json: cannot read it (ENOENT)'
    );
    await expect(readReviewsFile(tempDir(), 'dir')).rejects.toThrow('--reviews dir: not a regular file');
  });
});
