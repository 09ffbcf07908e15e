/**
 * The git questions `check` and `validate` ask about what the user typed, with the user's mistakes (not a
 * repository, an unknown ref) told apart from the environment's (git missing, timed out): the first are
 * exit 2 with what to do, the second stay errors of the gate (exit 3).
 */
import { SettingsError } from '../errors.js';
import { GitError, repositoryRoot, revParse } from '../read/git.js';

/**
 * The top folder of the repository at `dir`. `directories` is what the command reads instead of git, for the
 * message when `dir` is not in a repository: check compares two directories, validate reads one.
 */
export async function gitRepository(dir: string, directories: 'check' | 'validate', fromFlag = false): Promise<string> {
  try {
    return await repositoryRoot(dir);
  } catch (error) {
    // exit code null: git did not answer (not installed, timed out) — not the user's mistake
    if (error instanceof GitError && error.exitCode !== null) {
      const instead =
        directories === 'check'
          ? 'compare two directories with --base-dir DIR --head-dir DIR'
          : 'validate a directory with --head-dir DIR';
      // the folder came from --repo: suggesting --repo again would send the user round in a circle
      const where = fromFlag ? '--repo must name a folder inside a git repository' : 'run in one, pass --repo DIR';
      throw new SettingsError(`${dir} is not inside a git repository: ${where}, or ${instead}`);
    }
    throw error;
  }
}

/** The commit a ref the user gave names. `gitRepository` ran first, so git is there to answer. */
export async function userRevision(repo: string, ref: string, flag: string): Promise<string> {
  try {
    return await revParse(repo, ref);
  } catch (error) {
    if (error instanceof GitError) {
      throw new SettingsError(`${flag} ${JSON.stringify(ref)} does not name a commit in ${repo} (is it fetched?)`);
    }
    throw error;
  }
}
