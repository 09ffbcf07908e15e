/** agent-gate validate: records and configuration only; every error located. */
import { resolve } from 'node:path';
import { SettingsError, formatIssueLocation } from '../errors.js';
import { checkRecords } from '../pipeline.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { GitTreeSource } from '../read/git.js';
import type { FileSource } from '../read/source.js';
import { safeLogLine } from '../render/escape.js';
import { INPUT_DEFAULTS } from '../settings/defaults.js';
import { existingDirectory, oneOf, parse, requireConfig, str } from './args.js';
import { gitRepository, userRevision } from './git.js';
import { EXIT, type CliIO } from './io.js';

const OPTIONS = {
  repo: { type: 'string' },
  head: { type: 'string' },
  'head-dir': { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' }
} as const;

export async function runValidate(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const headDir = str(values['head-dir']);
  let source: FileSource;
  if (headDir !== undefined) {
    if (str(values.repo) !== undefined || str(values.head) !== undefined) {
      throw new SettingsError('--head-dir reads a directory; --repo and --head read git: use one or the other');
    }
    source = new WorkingTreeSource(await existingDirectory(resolve(io.cwd, headDir), '--head-dir'), 'head');
  } else {
    const repo = await gitRepository(resolve(io.cwd, str(values.repo) ?? '.'), 'validate', values.repo !== undefined);
    const ref = str(values.head);
    source = ref
      ? new GitTreeSource(repo, await userRevision(repo, ref, '--head'), 'head')
      : new WorkingTreeSource(repo, 'head');
  }
  let result: Awaited<ReturnType<typeof checkRecords>>;
  try {
    await requireConfig(str(values.config), [source]);
    result = await checkRecords(source, str(values.config) ?? INPUT_DEFAULTS.config);
  } finally {
    if (source instanceof GitTreeSource) source.close();
  }
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ valid: result.issues.length === 0, ...result }, null, 2) + '\n');
  } else {
    for (const issue of result.issues) {
      const hint = issue.hint ? ` (${issue.hint})` : '';
      io.stdout.write(safeLogLine(`${formatIssueLocation(issue)}: ${issue.message}${hint} [${issue.code}]`) + '\n');
    }
    const cfg = result.configFile ?? 'defaults (no configuration file)';
    io.stdout.write(
      result.issues.length === 0
        ? `✓ ${result.records} record(s) in ${result.files} file(s) are valid (configuration: ${cfg})\n`
        : `✗ ${result.issues.length} problem(s) in records or configuration (configuration: ${cfg})\n`
    );
  }
  return result.issues.length === 0 ? EXIT.allow : EXIT.invalid;
}
