/**
 * The files a pull request changes, from the pull-request files API: the fallback when git cannot compute the
 * diff (shallow checkout without the merge base). GitHub lists at most 3000 files; a longer list is incomplete,
 * and an incomplete list is reported as unknown (null), never as "these are all".
 */
import type { ChangedFile, ChangeStatus } from '../model/input.js';
import type { GitHubApi, RepoRef } from './api.js';
import type { ApiLog } from './client.js';

export const PULL_FILES_CAP = 3000;

const STATUSES: readonly ChangeStatus[] = ['added', 'modified', 'removed', 'renamed', 'copied', 'changed', 'unchanged'];

export async function changedFilesFromApi(
  api: GitHubApi,
  repo: RepoRef,
  pullNumber: number,
  log: ApiLog
): Promise<ChangedFile[] | null> {
  const [files, pull] = await Promise.all([api.listPullFiles(repo, pullNumber), api.getPull(repo, pullNumber)]);
  if (files.length >= PULL_FILES_CAP || files.length < pull.changedFiles) {
    const why =
      files.length >= PULL_FILES_CAP
        ? `GitHub's files API lists at most ${PULL_FILES_CAP}`
        : `GitHub's files API listed only ${files.length} of them`;
    log.warning(
      `pull request #${pullNumber} changes ${pull.changedFiles} files but ${why}: ` +
        'the list of changed files is unknown. Check out enough history for git to compute it (actions/checkout with fetch-depth: 0).'
    );
    return null;
  }
  return files
    .map((f): ChangedFile => {
      const status = (STATUSES as readonly string[]).includes(f.status) ? (f.status as ChangeStatus) : 'changed';
      return f.previousFilename
        ? { path: f.filename, status, previous_path: f.previousFilename }
        : { path: f.filename, status };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
