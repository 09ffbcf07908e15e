/** The action's wiring: settings → read → evaluate → tell → exit. (Filled in by the GitHub Action issue.) */
import * as core from '@actions/core';

export async function run(): Promise<void> {
  core.setFailed('agent-release-gate: the action wiring is not built yet');
}
