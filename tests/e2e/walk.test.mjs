// End to end: one whole incident walked through every phase in the real desktop app, from the severity rubric to
// a signed re-enable, then closed. Screenshots of every phase screen land in tests/e2e/artifacts/walk/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, stepWithScreenshot } from './session.mjs';

let session;
let wd;
let id;
const shot = (name) => session.screenshot(name);

const step = stepWithScreenshot(() => session);

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
    await session.openIncident(id);
  });

  after(async () => {
    if (session) await session.stop();
  });

  step('assesses severity from the rubric', async () => {
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

  step('pauses the send tool from a suggestion', async () => {
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

  step('works through the containment checklist and the playbook', async () => {
    await openTab('containment');
    for (const area of ['tokens_secrets', 'oauth_grants', 'browser_sessions', 'queues', 'webhooks', 'retrieval',
      'write_tools', 'notifications', 'downstream_automations']) {
      await wd.select(`containment-${area}-status`, area === 'write_tools' || area === 'notifications' ? 'done' : 'not_needed');
      await wd.until(`${area} saved`, async () => (await session.rows(`containment-${area}-saved`)).length === 1);
    }
    await wd.until('containment complete', () => phaseComplete('containment'));
    await shot('containment');

    await openTab('playbooks');
    const steps = await wd.until('the external-send playbook', async () => {
      const found = await wd.findAll('[data-testid^="playbook-step-external_send-"]');
      return found.length >= 5 ? found : null;
    });
    for (const step of steps) {
      await wd.cmd('POST', `/element/${step}/click`, {});
      await wd.until('the tick to save', async () => (await wd.attribute(step, 'disabled')) === null);
    }
    await wd.until('playbooks complete', () => phaseComplete('playbooks'));
    await shot('playbooks');
  });

  step('preserves the tool-call trace as hashed evidence and marks the rest', async () => {
    await openTab('evidence');
    const trace = join(session.dataDir, 'tool-calls.json');
    writeFileSync(trace, JSON.stringify({ run: 'r-8812', calls: [{ tool: 'email.send', to: 'customer-17' }] }));
    await wd.select('evidence-drop-kind', 'tool_call_trace');
    await wd.type('evidence-path', trace);
    await wd.clickTestId('evidence-path-attach');
    await wd.until('the attached file', async () => (await session.rows('evidence-file-row')).length === 1);
    for (const kind of ['run_record', 'prompt_version', 'model_version', 'input_snapshot', 'approval_state',
      'output_payloads', 'connector_logs', 'guardrail_results', 'alerts_and_chats']) {
      await wd.select(`evidence-${kind}-status`, 'not_applicable');
      await wd.type(`evidence-${kind}-reason`, 'Not kept by this agent');
      await wd.clickTestId(`evidence-${kind}-reason-save`);
    }
    await wd.until('evidence complete', () => phaseComplete('evidence'));
    await wd.clickTestId('evidence-reverify');
    await wd.until('an unchanged file', async () => /unchanged|match/i.test(await wd.text('[data-testid="evidence-verify-summary"]')));
    await shot('evidence');
  });

  step('audits three affected objects pasted from a spreadsheet and answers the audit questions', async () => {
    await openTab('side_effect_audit');
    const pasted = [
      'system\tobject_type\tobject_id\taction',
      'Gmail\temail\tmsg-1001\tsent',
      'Gmail\temail\tmsg-1002\tsent',
      'Zendesk\tticket\tT-77\tchanged',
    ].join('\n');
    await wd.paste('affected-paste', pasted);
    await wd.clickTestId('affected-paste-import');
    await wd.until('three objects', async () => (await session.rows('affected-row')).length === 3);
    for (const q of ['trigger', 'inputs', 'freshness', 'prompts', 'model_calls', 'tools', 'writes', 'sends', 'approvals',
      'retries', 'downstream']) {
      await wd.type(`audit-question-${q}`, 'Checked in the run record r-8812');
      await wd.clickTestId(`audit-question-save-${q}`);
    }
    await wd.until('side-effect audit complete', () => phaseComplete('side_effect_audit'));
    await shot('side-effects');
  });

  step('decides and completes the recovery of every object', async () => {
    await openTab('recovery');
    await wd.until('three rows', async () => (await session.rows('recovery-action')).length === 3);
    for (let n = 0; n < 3; n++) {
      await wd.selectNth('recovery-action', n, n < 2 ? 'notify' : 'roll_back');
      await wd.until(`row ${n} saved`, async () => (await session.rows('recovery-undecided')).length === 0 ||
        Number(await wd.attribute(await wd.find('[data-testid="recovery-undecided"]'), 'data-count')) <= 2 - n);
    }
    for (let n = 0; n < 3; n++) {
      await wd.selectNth('recovery-status', n, 'recovered');
      await wd.until(`row ${n} recovered`, async () => {
        const statuses = await wd.script(
          `return [...document.querySelectorAll('[data-testid="recovery-status"]')].map((s) => s.value + (s.disabled ? '…' : ''))`,
        );
        return statuses[n] === 'recovered';
      });
    }
    await wd.until('recovery complete', () => phaseComplete('recovery'));
    await shot('recovery');
  });

  step('moves the incident forward as each gate opens', async () => {
    for (const [status, label] of [['contained', 'Contained'], ['recovering', 'Recovering'], ['monitoring', 'Monitoring']]) {
      await wd.select('status-target', status);
      await wd.clickTestId('status-move');
      await wd.until(`the ${label} badge`, async () => new RegExp(label).test(await wd.text('.badges')));
    }
    assert.equal((await session.rows('status-refusal')).length, 0, 'no gate refused');
  });

  step('drafts, approves and sends the message to customers', async () => {
    await openTab('communication');
    await wd.click('[data-testid="comms-row"][data-audience="customers"] [data-testid="comms-open"]');
    // Opening a message scrolls it smoothly into view; click once it has arrived.
    await wd.settled('[data-testid="comms-draft"]');
    await wd.clickTestId('comms-draft');
    await wd.until('a drafted message', async () => /wrong refund|automated/i.test(await wd.script(
      `return document.querySelector('[data-testid="comms-message"]').value`)));
    await wd.select('comms-approver', 'Priya Nair');
    await wd.clickTestId('comms-approve');
    await wd.until('approved', async () => /Approved/i.test(await wd.text('[data-testid="comms-status"]')));
    await wd.type('comms-sent-via', 'email');
    await wd.clickTestId('comms-mark-sent');
    await wd.until('sent', async () => /Sent/i.test(await wd.text('[data-testid="comms-status"]')));
    await shot('communication');
  });

  step('completes the postmortem with a remediation item', async () => {
    await openTab('postmortem');
    await wd.type('postmortem-summary', 'The refund agent emailed 40 customers wrong amounts for two hours.');
    await wd.type('postmortem-root_cause', 'The refund tool read a stale price list after a schema change.');
    await wd.click('[data-testid="postmortem-layer-retrieval_data"]');
    await wd.type('postmortem-why-1', 'Why wrong amounts? The price list was stale.');
    await wd.clickTestId('postmortem-save');
    await wd.select('remediation-add-control', 'input_freshness');
    await wd.type('remediation-add-description', 'Refuse price lists older than one hour');
    await wd.select('remediation-add-owner', 'Lee Chen');
    await wd.clickTestId('remediation-add');
    await wd.until('the remediation item', async () => (await session.rows('remediation-row')).length === 1);
    await wd.clickTestId('postmortem-complete');
    await wd.until('postmortem complete', () => phaseComplete('postmortem'));
    await shot('postmortem');
  });

  step('answers the re-enable questions and signs every stage up to normal', async () => {
    await openTab('reenable');
    for (const q of ['paused_or_narrowed', 'audit_complete', 'records_corrected', 'root_cause_identified', 'control_patched',
      'permissions_reduced', 'evals_added', 'monitoring_updated', 'runbook_updated', 'business_owner_approves',
      'first_run_monitored']) {
      await wd.clickTestId(`reenable-answer-${q}-yes`);
    }
    for (const stage of ['read_only', 'draft_only', 'human_approved_writeback', 'limited_production', 'normal']) {
      await wd.select('reenable-approver', 'Priya Nair');
      await wd.type('reenable-statement', `Safe to run at stage ${stage}: the first run was watched.`);
      await wd.clickTestId('reenable-signoff');
      await wd.until(`${stage} signed`, async () =>
        (await wd.attribute(await wd.find(`[data-testid="reenable-stage-${stage}"]`), 'data-state')) === 'signed');
    }
    await wd.until('re-enable complete', () => phaseComplete('reenable'));
    await shot('reenable');
  });

  step('answers the regulatory questions: no regime applies to people outside the regimes covered', async () => {
    await openTab('notification');
    await wd.clickTestId('answer-personal_data-yes');
    await wd.clickTestId('region-other');
    for (const q of ['risk', 'high_risk', 'nis2', 'dora', 'ai_act', 'sec', 'hipaa', 'nydfs', 'certin']) {
      await wd.clickTestId(`answer-${q}-no`);
      await wd.until(`${q} saved`, async () =>
        wd.script(`return document.querySelector('[data-testid="answer-${q}-no"]')?.checked === true`),
      );
    }
    await wd.until('notification complete', () => phaseComplete('notification'));
    await shot('regulators');
  });

  step('closes the incident, and the record verifies intact', async () => {
    await wd.select('status-target', 'closed');
    await wd.clickTestId('status-move');
    await wd.until('the Closed badge', async () => /Closed/.test(await wd.text('.badges')));
    await shot('closed');
    assert.match(await session.verify(), /Record intact/);
    const shown = JSON.parse(session.cli(['incident', 'show', id, '--json']));
    assert.equal(shown.status, 'closed');
    const gates = JSON.parse(session.cli(['gates', id, '--json']));
    const open = gates.phases.filter((p) => !p.complete).map((p) => p.phase);
    // Only the other audiences' messages are still to send; every gate on the way was opened, none overridden.
    assert.deepEqual(open, ['communication']);
    const history = JSON.parse(session.cli(['incident', 'history', id, '--json']));
    const reasons = history.filter((e) => e.field === 'status').map((e) => e.reason);
    assert.ok(reasons.every((r) => !r), `no status change was overridden: ${JSON.stringify(reasons)}`);
  });
});
