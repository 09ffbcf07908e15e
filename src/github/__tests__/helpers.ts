/** Shared pieces of the src/github tests: a fake GitHub on 127.0.0.1 and an API client pointed at it. */
import { afterEach, beforeEach, expect } from '@jest/globals';
import { OctokitGitHubApi, type ApiLog, type ClientOptions } from '../client.js';
import { FakeGitHub, type FakeGitHubOptions } from '../../testing/github-server.js';

export const HEAD = 'a1'.padEnd(40, '0');
export const NEWER_HEAD = 'b2'.padEnd(40, '0');
export const BASE = 'c3'.padEnd(40, '0');
export const REPO = { owner: 'acme', repo: 'support-triage' };

export interface RecordingLog extends ApiLog {
  lines: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    debug: () => undefined
  };
}

/** Starts a fresh server before each test, stops it after, and fails the test on any REST-description violation. */
export function useFakeGitHub(options: FakeGitHubOptions = {}): { server: () => FakeGitHub } {
  let server: FakeGitHub;
  beforeEach(async () => {
    server = new FakeGitHub(options);
    await server.start();
  });
  afterEach(async () => {
    await server.stop();
    expect(server.violations).toEqual([]);
  });
  return { server: () => server };
}

export function apiFor(
  server: FakeGitHub,
  token = 'ghs_actions-token',
  log: ApiLog = recordingLog(),
  extra: Partial<ClientOptions> = {}
): OctokitGitHubApi {
  return new OctokitGitHubApi({
    token,
    baseUrl: server.url,
    log,
    retryBaseMs: 5,
    throttle: false,
    timeoutMs: 2000,
    ...extra
  });
}
