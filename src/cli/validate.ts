/** agent-gate validate: records and configuration only; every error located. */
import { resolve } from 'node:path';
import { formatIssueLocation } from '../errors.js';
import { checkRecords } from '../pipeline.js';
import { WorkingTreeSource } from '../read/fs-source.js';
import { GitTreeSource, repositoryRoot, revParse } from '../read/git.js';
import { safeLogLine } from '../render/escape.js';
import { INPUT_DEFAULTS } from '../settings/defaults.js';
import { oneOf, parse, str } from './args.js';
import { EXIT, type CliIO } from './io.js';

export const VALIDATE_HELP = `Usage: agent-gate validate [options]

Check the gate configuration and every record it selects: parse, schema, safety.
Nothing is judged; every problem is reported with file:line:column and the field.

Options:
  --repo DIR        the repository (default: the current directory)
  --head REF        validate a commit instead of the working tree
  --head-dir DIR    validate a directory (no git needed)
  --config PATH     gate configuration (default: ${INPUT_DEFAULTS.config})
  --format F        text | json (default: text)
  -h, --help        show this help

Exit codes: 0 valid · 2 problems found · 3 internal error`;

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
  let source;
  if (headDir !== undefined) {
    source = new WorkingTreeSource(resolve(io.cwd, headDir), 'head');
  } else {
    const repo = await repositoryRoot(resolve(io.cwd, str(values.repo) ?? '.'));
    const ref = str(values.head);
    source = ref ? new GitTreeSource(repo, await revParse(repo, ref), 'head') : new WorkingTreeSource(repo, 'head');
  }
  const result = await checkRecords(source, str(values.config) ?? INPUT_DEFAULTS.config);
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
