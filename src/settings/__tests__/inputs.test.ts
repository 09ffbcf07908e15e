/** Action inputs: an invalid value is an error that quotes it, never a token pasted into the wrong input. */
import { describe, expect, test } from '@jest/globals';
import { SettingsError } from '../../errors.js';
import { readSettings } from '../inputs.js';

// assembled, not written out, so that no scanner mistakes this file for a leak; not a real credential
const GITHUB = 'ghp_' + 'R4nd0mLooK1ngT0kenF0rTests0nly12345678';

const errorFor = (inputs: Record<string, string>): string => {
  try {
    readSettings((name) => inputs[name] ?? '', '/workspace');
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a SettingsError');
};

describe('secrets in input errors', () => {
  test.each([
    ['comment', `always ${GITHUB}`],
    ['warn-only', GITHUB],
    ['config', `../${GITHUB}.yml`],
    ['working-directory', `../${GITHUB}`]
  ])('the input %s is quoted masked', (name, value) => {
    const message = errorFor({ [name]: value });
    expect(message).toContain(`input ${name}: "`);
    expect(message).toContain('ghp_…5678');
    expect(message).not.toContain('R4nd0mLooK1ngT0ken');
  });
});
