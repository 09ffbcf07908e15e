/**
 * Example scenarios judged by the real engine (not hand-written decisions): the example repository as it is,
 * and copies with one realistic problem each. Used by live.test.ts (snapshots) and preview.test.ts.
 */
import type { DecisionDocument } from '../../model/decision.js';
import { copyTree, EXAMPLE_HEAD, exampleReviewsJson, approvalsOf, judge } from '../../gate/__tests__/example-repo.js';

export const LIVE_SCENARIOS = ['example-allow', 'example-awaiting-release-manager', 'example-blocked'] as const;
export type LiveScenario = (typeof LIVE_SCENARIOS)[number];

export async function liveDecision(name: LiveScenario): Promise<DecisionDocument> {
  if (name === 'example-allow') return (await judge()).decision;
  if (name === 'example-awaiting-release-manager') {
    const reviews = exampleReviewsJson();
    reviews.reviews = reviews.reviews.filter((r) => r.user.login !== 'dana-release');
    return (await judge({ approvals: approvalsOf(reviews) })).decision;
  }
  // a change disguised as prompt tuning: it also exposes a new, unpinned MCP server with a write side effect
  const head = copyTree(EXAMPLE_HEAD);
  try {
    head.edit(
      'agents/support-triage/tools.yaml',
      'tools:\n',
      'tools:\n  - name: refund_order\n    server: billing-mcp\n    side_effect: external_write\n'
    );
    head.editJson('records/agbom/support-triage.cdx.json', (bom: { services: unknown[] }) => {
      bom.services.push({
        'bom-ref': 'mcp:billing',
        name: 'billing-mcp',
        version: 'latest',
        endpoints: ['https://mcp.vendor.example/billing'],
        properties: [
          { name: 'agentgate:kind', value: 'mcp_server' },
          { name: 'agentgate:side_effect', value: 'external_write' },
          { name: 'agentgate:requires_approval', value: 'false' },
          { name: 'agentgate:trust_score', value: '0.4' }
        ]
      });
    });
    return (await judge({ head: head.dir })).decision;
  } finally {
    head.cleanup();
  }
}
