/** Every help text, kept apart from the commands so that `--help` answers without loading the engine. */
import { INPUT_DEFAULTS } from '../settings/defaults.js';
import { VERSION } from '../version.js';

export const MAIN_HELP = `agent-gate ${VERSION} — blocks an AI-agent change until it has earned release

Usage: agent-gate <command> [options]

Commands:
  check      judge a change: records, evals, replay receipts, AgBOM diff and approvals → allow / follow_up / deny
  validate   check records and configuration only; every error located (file:line, field)
  explain    what a rule checks, why, and how to fix a finding (agent-gate explain evals.threshold)
  init       write a starter configuration and one example record of each kind into a repository

Run "agent-gate <command> --help" (or "agent-gate help <command>") for a command's options.
Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;

export const CHECK_HELP = `Usage: agent-gate check [options]

Judge a change: the head (the working tree, or --head REF) against the base
(--base REF, default the merge base with the default branch).

Options:
  --base REF              base commit or branch (default: the merge base of the head and the default
                          branch: origin/HEAD, else init.defaultBranch, main or master)
  --head REF              head commit or branch (default: the working tree, with uncommitted and
                          untracked files)
  --base-dir DIR          read the base from a directory instead of git
  --head-dir DIR          read the head from a directory instead of git (default with --base-dir: .)
  --repo DIR              the repository (default: the current directory)
  --config PATH           gate configuration (default: ${INPUT_DEFAULTS.config})
  --trust-config-from S   base | head: which side's configuration judges the change (default: base)
  --reviews FILE          the pull request's reviews (GitHub API JSON) to check approvals; without it,
                          every required approval is a follow-up
  --format F              text | markdown | json | sarif (default: text)
  --fail-on D             deny | follow_up: the lowest decision that fails (default: ${INPUT_DEFAULTS.failOn})
  --output FILE           also write the decision file (in-toto statement, canonical JSON)
  --sarif FILE            also write the findings as SARIF 2.1.0
  -h, --help              show this help

Reviews file: gh api --paginate --slurp repos/OWNER/REPO/pulls/N/reviews > reviews.json
Exit codes: 0 allow · 1 blocked · 2 record or configuration errors · 3 internal error`;

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

export const EXPLAIN_HELP = `Usage: agent-gate explain [RULE_ID | FAMILY]

Explain a rule: what it checks, why, its default severity and how to fix a finding.
With a family (review, evals, agbom, …), list its rules; with nothing, list every rule.`;

export const INIT_HELP = `Usage: agent-gate init [--dir DIR]

Write a starter configuration (.github/agent-gate.yml), a workflow, and one example record of
each kind under records/ into the repository at DIR (default: the current directory).
Nothing is overwritten: if any of the files exists, nothing is written.`;
