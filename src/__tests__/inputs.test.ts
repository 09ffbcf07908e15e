import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SettingsError } from '../errors.js';
import { readDecisionFile, readSettings } from '../settings/inputs.js';

const WORKSPACE = '/home/runner/work/support-triage/support-triage';
const TEMP = '/home/runner/work/_temp';
const read = (inputs: Record<string, string>) =>
  readSettings((name) => inputs[name] ?? '', WORKSPACE, { tempDir: TEMP });

describe('action inputs', () => {
  it('applies the defaults from INPUT_DEFAULTS', () => {
    expect(read({})).toEqual({
      token: '',
      configPath: '.github/agent-gate.yml',
      configExplicit: false,
      comment: 'always',
      failOn: 'follow_up',
      warnOnly: false,
      baseRef: null,
      headRef: null,
      trustConfigFrom: 'base',
      decisionFile: `${WORKSPACE}/agent-gate-decision.json`,
      sarifFile: null,
      workingDirectory: WORKSPACE
    });
  });

  it('reads every input', () => {
    expect(
      read({
        'github-token': ' ghs_x ',
        config: './gate/agent-gate.yml',
        comment: 'on-failure',
        'fail-on': 'deny',
        'warn-only': 'TRUE',
        'base-ref': 'release/2026.11',
        'head-ref': 'a'.repeat(40),
        'trust-config-from': 'head',
        'decision-file': `${TEMP}/decision.json`,
        'sarif-file': 'out/gate.sarif',
        'working-directory': 'services/agent'
      })
    ).toEqual({
      token: 'ghs_x',
      configPath: 'gate/agent-gate.yml',
      configExplicit: true,
      comment: 'on-failure',
      failOn: 'deny',
      warnOnly: true,
      baseRef: 'release/2026.11',
      headRef: 'a'.repeat(40),
      trustConfigFrom: 'head',
      decisionFile: `${TEMP}/decision.json`,
      sarifFile: `${WORKSPACE}/out/gate.sarif`,
      workingDirectory: `${WORKSPACE}/services/agent`
    });
  });

  it.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])('accepts the YAML 1.2 boolean %s', (value) => {
    expect(read({ 'warn-only': value }).warnOnly).toBe(value.toLowerCase() === 'true');
  });

  it.each([
    [{ 'warn-only': 'yes' }, 'input warn-only: "yes" is not a boolean; use true or false'],
    [{ 'warn-only': 'on' }, 'input warn-only: "on" is not a boolean; use true or false'],
    [{ comment: 'sometimes' }, 'input comment: "sometimes" is not allowed; use one of: always, on-failure, never'],
    [{ 'fail-on': 'warning' }, 'input fail-on: "warning" is not allowed; use one of: deny, follow_up'],
    [{ 'fail-on': 'follow-up' }, 'input fail-on: "follow-up" is not allowed; use one of: deny, follow_up'],
    [{ 'trust-config-from': 'pr' }, 'input trust-config-from: "pr" is not allowed; use one of: base, head'],
    [{ config: '../secrets.yml' }, 'input config: "../secrets.yml" must be a path inside the repository'],
    [{ config: '/etc/agent-gate.yml' }, 'must be a path inside the repository'],
    [{ config: 'a\\b.yml' }, 'must be a path inside the repository'],
    [{ 'working-directory': '../other-repo' }, 'input working-directory: "../other-repo" is outside the workspace'],
    [{ 'base-ref': '--upload-pack=evil' }, 'input base-ref: "--upload-pack=evil" is not a git ref or commit SHA'],
    [{ 'head-ref': 'main..feature' }, 'input head-ref: "main..feature" is not a git ref or commit SHA'],
    [{ 'decision-file': 'out/\u0000x' }, 'input decision-file: control characters are not allowed'],
    [
      { 'decision-file': '../../escaped-decision.json' },
      'input decision-file: "../../escaped-decision.json" is outside the workspace'
    ],
    [{ 'decision-file': '/proc/version' }, 'input decision-file: "/proc/version" is outside the workspace'],
    [{ 'decision-file': '/tmp/decision.json' }, 'input decision-file: "/tmp/decision.json" is outside the workspace'],
    [{ 'decision-file': '.' }, 'input decision-file: "." is outside the workspace'],
    [{ 'sarif-file': '../gate.sarif' }, 'input sarif-file: "../gate.sarif" is outside the workspace'],
    [{ 'sarif-file': 'agent-gate-decision.json' }, 'input sarif-file: names the same file as decision-file']
  ])('rejects %j with a clear message', (inputs, message) => {
    expect(() => read(inputs)).toThrow(SettingsError);
    expect(() => read(inputs)).toThrow(message);
  });

  it('never repeats a token pasted into a ref input', () => {
    const token = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    let message = '';
    try {
      read({ 'base-ref': `${token}..main` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^input base-ref: "ghp_….*" is not a git ref or commit SHA/);
    expect(message).not.toContain(token.slice(4, 20));
  });

  it('finds the decision file even when other inputs are invalid', () => {
    const inputs: Record<string, string> = { comment: 'sometimes', 'decision-file': 'gate/decision.json' };
    expect(readDecisionFile((n) => inputs[n] ?? '', WORKSPACE)).toBe(`${WORKSPACE}/gate/decision.json`);
    expect(readDecisionFile(() => '', WORKSPACE)).toBe(`${WORKSPACE}/agent-gate-decision.json`);
  });

  it('accepts a file whose name starts with two dots; rejects a folder that links outside the workspace', () => {
    expect(read({ 'decision-file': '..decision.json' }).decisionFile).toBe(`${WORKSPACE}/..decision.json`);
    const workspace = mkdtempSync(join(tmpdir(), 'agent-gate-inputs-'));
    const outside = mkdtempSync(join(tmpdir(), 'agent-gate-outside-'));
    try {
      symlinkSync(outside, join(workspace, 'out'));
      const inputs: Record<string, string> = { 'decision-file': 'out/decision.json' };
      expect(() => readSettings((n) => inputs[n] ?? '', workspace)).toThrow(
        'input decision-file: "out/decision.json" is outside the workspace'
      );
      mkdirSync(join(workspace, 'real'));
      const ok: Record<string, string> = { 'decision-file': 'real/new/decision.json' };
      expect(readSettings((n) => ok[n] ?? '', workspace).decisionFile).toBe(join(workspace, 'real/new/decision.json'));
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('rejects an output path that is an existing directory, naming the input', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'agent-gate-inputs-'));
    try {
      mkdirSync(join(workspace, 'adir'));
      for (const name of ['decision-file', 'sarif-file']) {
        const inputs: Record<string, string> = { [name]: 'adir' };
        expect(() => readSettings((n) => inputs[n] ?? '', workspace)).toThrow(
          new SettingsError(`input ${name}: "adir" is a directory; name a file`)
        );
      }
      // with the other inputs invalid, the decision file falls back to the default rather than a directory
      const inputs: Record<string, string> = { 'decision-file': 'adir' };
      expect(readDecisionFile((n) => inputs[n] ?? '', workspace)).toBe(join(workspace, 'agent-gate-decision.json'));
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
