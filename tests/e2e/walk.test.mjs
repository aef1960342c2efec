// End to end: one whole incident walked through every phase in the real desktop app, from the severity rubric to
// a signed re-enable, then closed. Screenshots of every phase screen land in tests/e2e/artifacts/walk/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from './session.mjs';

let session;
let wd;
let id;
const shot = (name) => session.screenshot(name);

async function openTab(key) {
  await wd.clickTestId(`tab-${key}`);
}

async function phaseComplete(phase) {
  const el = await wd.find(`[data-testid="guidance-phase"][data-phase="${phase}"]`);
  return /✓/.test(await wd.textOf(el));
}

describe('A whole incident, from detection to a signed re-enable', () => {
  before(async () => {
    session = await Session.start('walk', (cli) => {
      cli(['people', 'add', '--name', 'Priya Nair', '--role', 'Legal counsel', '--email', 'priya@example.com']);
      id = cli([
        'incident', 'new', '--title', 'Refund bot emailed customers the wrong refund amounts',
        '--detected-by', 'customer', '--detected-at', '2026-11-20T09:00:00Z', '--aware-at', '2026-11-20T09:30:00Z',
        '--business-owner', 'Sam Ortiz', '--technical-owner', 'Lee Chen', '--commander', 'Dana Reyes',
        '--summary', 'The refund agent sent 40 customers emails with wrong refund amounts.',
        '--set', 'incident_types=external_send', '--set', 'data_classes=personal_data',
        '--set', 'customer_impact=40 customers received a wrong amount',
      ]);
    });
    wd = session.wd;
    await session.introduce();
    await wd.click(`[data-testid="register-row"][data-id="${id}"] button`);
    await wd.byTestId('incident-id');
  });

  after(async () => {
    if (session) await session.stop();
  });

  it('assesses severity from the rubric', async () => {
    await openTab('severity');
    await wd.clickTestId('severity-answer-external_communication_wrong-yes');
    await wd.clickTestId('severity-answer-high_volume_bad_action-yes');
    await wd.clickTestId('severity-answer-still_running-yes');
    await wd.until('a Sev 1 suggestion', async () => /Sev 1/.test(await wd.text('[data-testid="severity-suggested"]')));
    await wd.clickTestId('severity-save');
    await wd.until('the assessment in the history', async () => (await session.rows('severity-history-row')).length === 1);
    await wd.until('severity complete', () => phaseComplete('severity'));
    await shot('severity');
  });

  it('pauses the send tool from a suggestion', async () => {
    await openTab('pause');
    await wd.byTestId('pause-warning');
    await wd.clickTestId('pause-suggestion-use');
    await wd.select('field-pause-approved-by', 'Priya Nair');
    await wd.clickTestId('pause-save');
    await wd.until('an active pause', async () => (await session.rows('pause-row')).length === 1);
    await wd.until('pause complete', () => phaseComplete('pause'));
    assert.equal((await session.rows('pause-warning')).length, 0, 'the still-running warning is gone');
    await shot('pause');
  });

  it('works through the containment checklist and the playbook', async () => {
    await openTab('containment');
    for (const area of ['tokens_secrets', 'oauth_grants', 'browser_sessions', 'queues', 'webhooks', 'retrieval',
      'write_tools', 'notifications', 'downstream_automations']) {
      await wd.select(`containment-${area}-status`, area === 'write_tools' || area === 'notifications' ? 'done' : 'not_needed');
      await wd.until(`${area} saved`, async () => (await session.rows(`containment-${area}-saved`)).length === 1);
    }
    await wd.until('containment complete', () => phaseComplete('containment'));
    await shot('containment');

    await openTab('playbooks');
    const steps = await wd.findAll('[data-testid^="playbook-step-external_send-"]');
    assert.ok(steps.length >= 5, 'the external-send playbook has its steps');
    for (const step of steps) {
      await wd.cmd('POST', `/element/${step}/click`, {});
    }
    await wd.until('playbooks complete', () => phaseComplete('playbooks'));
    await shot('playbooks');
  });
});
