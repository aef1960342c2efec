import { describe, expect, it } from 'vitest';
import type { SideEffectProposal } from './bindings/SideEffectProposal';
import type { SideEffectProposals } from './bindings/SideEffectProposals';
import type { ToolJudgement } from './bindings/ToolJudgement';
import { acceptable, acceptedByAll, acceptedSummary, chosenSteps, classPick, proposalsSummary } from './proposals';

function proposal(over: Partial<SideEffectProposal>): SideEffectProposal {
  return {
    step: 1,
    at: null,
    run_id: 'run-1',
    tool: 'send_email',
    system: 'email',
    object_type: 'message',
    object_id: 'to:a@example.com',
    id_from: 'the argument “to”',
    action: 'sent',
    basis: 'its name says “send”',
    failed: false,
    error: null,
    state: 'new',
    object: null,
    same_as: null,
    ...over,
  };
}

function proposals(list: SideEffectProposal[], calls = 10): SideEffectProposals {
  const counts: SideEffectProposals['counts'] = {};
  for (const p of list) counts[p.state] = (counts[p.state] ?? 0) + 1;
  return { proposals: list, total: list.length, counts, failed: list.filter((p) => p.failed).length, tools: [], calls };
}

describe('side-effect proposals', () => {
  const all = proposals([
    proposal({ step: 3 }),
    proposal({ step: 5, state: 'repeat', same_as: 3 }),
    proposal({ step: 7, failed: true, error: '500' }),
    proposal({ step: 9, state: 'recorded', object: 'o1' }),
    proposal({ step: 11, state: 'accepted', object: 'o2' }),
  ]);

  it('offers only what the audit does not hold yet', () => {
    expect(all.proposals.map(acceptable)).toEqual([true, true, true, false, false]);
  });

  it('counts what accept all takes without the failed calls', () => {
    expect(acceptedByAll(all)).toBe(2);
  });

  it('says how many write calls are in each state', () => {
    expect(proposalsSummary(all)).toBe(
      '5 write calls of 10 tool calls: 2 new, 1 to an object an earlier call changed, 1 already in the audit, 1 accepted; 1 failed.',
    );
    expect(proposalsSummary(proposals([], 4))).toBe('0 write calls of 4 tool calls.');
  });

  it('accepts the chosen steps still open, in time order', () => {
    expect(chosenSteps(all, new Set([9, 7, 3, 42]))).toEqual([3, 7]);
  });

  it('says what an acceptance did', () => {
    expect(acceptedSummary({ created: 2, linked: 1, already: 0, failed_left: 1, objects: [] })).toBe(
      'Added 2 affected objects to the side-effect audit; linked 1 call to objects the audit already held; left out 1 failed call (accept them one by one if they took effect).',
    );
    expect(acceptedSummary({ created: 0, linked: 0, already: 0, failed_left: 0, objects: [] })).toBe(
      'Nothing was left to accept.',
    );
  });

  it("shows a tool's class as chosen, or automatic", () => {
    const t: ToolJudgement = { tool: 'x', calls: 1, writes: 1, class: 'write', basis: '', chosen: null };
    expect(classPick(t)).toBe('auto');
    const chosen = { id: 'c', tool: 'x', class: 'read' as const, action: null, set_by: 'a', set_at: '' };
    expect(classPick({ ...t, chosen })).toBe('read');
    expect(classPick({ ...t, chosen: { ...chosen, class: null } })).toBe('auto');
  });
});
