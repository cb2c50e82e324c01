import { gatewayFetch } from './admin-key.ts';
import { say } from './steps.ts';

// The demo's sampling rules, published through the gateway as an operator would: the rule kinds the
// bonded warehouse really writes (a lapsed food-safety certificate holds the lot, a weak factory gets
// a tighter plan, a merchant's first import and hazardous category × origin pairs are inspected, and
// a random 5% of everything else), in force before the demo lot is received.

export const DEMO_AGENCY = 'Shanghai Yangshan Inspection Centre';

export const DEMO_RULE_SET = {
  inspectionAgency: DEMO_AGENCY,
  defaultAction: { kind: 'release' },
  tables: {
    // Check frequencies by category:origin, in the style of EU Regulation 2019/1793's annexes.
    hazard: { 'infant-formula:DE': 0.5, 'infant-formula:NZ': 0.3, 'dairy:DE': 0.1, 'honey:NZ': 0.2 },
  },
  rules: [
    {
      id: 'food-safety-certificate-lapsed',
      priority: 100,
      owner: 'quality@harbour-bridge.example',
      description: 'Hold lots whose factory holds no valid ISO 22000 or FSSC 22000 certificate',
      condition: "!factory.certifications.exists(c, c.valid && (c.type == 'ISO 22000' || c.type == 'FSSC 22000'))",
      action: { kind: 'hold' },
    },
    {
      id: 'weak-factory',
      priority: 90,
      owner: 'quality@harbour-bridge.example',
      description: 'Level III when the factory’s pass-rate lower bound falls below 90% over at least five lots',
      condition: 'factory.stats.lotsInspected >= 5 && factory.stats.passRateLowerBound < 0.9',
      action: { kind: 'inspect', level: 'III', aql: 0.65 },
    },
    {
      id: 'first-import',
      priority: 80,
      owner: 'operations@harbour-bridge.example',
      description: 'Always inspect a merchant’s first import',
      condition: 'merchant.stats.lotsReceived == 0',
      action: { kind: 'inspect', level: 'II', aql: 0.65 },
    },
    {
      id: 'hazard-table',
      priority: 70,
      owner: 'quality@harbour-bridge.example',
      description: 'Category × origin hazard table with its check frequency',
      condition: "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]",
      action: { kind: 'inspect', level: 'II', aql: 1.0 },
    },
    {
      id: 'minimum-rate',
      priority: 10,
      owner: 'operations@harbour-bridge.example',
      description: 'Random minimum selection rate of 5%',
      condition: 'random < 0.05',
      action: { kind: 'inspect', level: 'S-3', aql: 2.5 },
    },
  ],
};

async function json<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json()) as T & { detail?: string };
  if (!response.ok) throw new Error(`demo data: ${what} failed (${response.status}): ${body.detail ?? ''}`);
  return body;
}

/** Publishes the demo rule set unless one is already in force: seeding twice changes nothing. */
export async function ensureDemoRuleSet(base: string): Promise<void> {
  const active = await gatewayFetch(`${base}/v1/rule-sets/active`);
  if (active.status === 200) return;
  say('demo: publishing the demo sampling rules');
  const headers = { 'content-type': 'application/json', 'x-traceport-actor': 'demo-seed' };
  const draft = await json<{ version: number }>(
    await gatewayFetch(`${base}/v1/rule-sets`, { method: 'POST', headers, body: JSON.stringify({ definition: DEMO_RULE_SET, note: 'Demo rules of the bonded warehouse' }) }),
    'saving the demo rule set',
  );
  await json(await gatewayFetch(`${base}/v1/rule-sets/${draft.version}/publish`, { method: 'POST', headers, body: '{}' }), 'publishing the demo rule set');
}

/**
 * Waits for the engine's decision on the demo lot and, when it ordered an inspection, submits the
 * agency's result (nothing nonconforming), so the demo shows a decision, an order and a result.
 */
export async function completeDemoInspection(base: string, lotId: string): Promise<{ outcome: string; rule: string } | null> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await gatewayFetch(`${base}/v1/lots/${lotId}/decision`);
    if (response.status === 200) {
      const decision = (await response.json()) as { outcome: string; rule_id: string; order: { id: string; status: string; agency: string } | null };
      if (decision.order !== null && decision.order.status === 'open') {
        await json(
          await gatewayFetch(`${base}/v1/inspection-orders/${decision.order.id}/result`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ agency: decision.order.agency, inspector: 'Li Wei (CIQ-0419)', critical: 0, major: 0, minor: 1, notes: 'Melamine, E. sakazakii and protein within limits; one dented tin (minor).' }),
          }),
          'submitting the demo inspection result',
        );
        return { outcome: 'released after inspection', rule: decision.rule_id };
      }
      return { outcome: decision.outcome, rule: decision.rule_id };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say('demo: the decision engine has not decided the demo lot yet');
  return null;
}
