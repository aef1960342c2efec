// The side-effect proposals' logic: which proposals can still be accepted, what "accept all" will take, the panel's
// one-line summary, and what an acceptance did, said in words. Proposals quote the trace (tool names, object IDs),
// and a trace is hostile input: everything here stays text.

import type { AcceptedSideEffects } from './bindings/AcceptedSideEffects';
import type { CallClass } from './bindings/CallClass';
import type { SideEffectProposal } from './bindings/SideEffectProposal';
import type { SideEffectProposals } from './bindings/SideEffectProposals';
import type { ToolJudgement } from './bindings/ToolJudgement';
import { plural } from './format';

/** A proposal not yet in the audit: accepted ones and ones the audit already holds are done. */
export function acceptable(p: SideEffectProposal): boolean {
  return p.state === 'new' || p.state === 'repeat';
}

/** What "accept all" takes: every acceptable proposal that did not fail (a failed call may have changed nothing). */
export function acceptedByAll(all: SideEffectProposals): number {
  const c = all.counts;
  const open = (c.new ?? 0) + (c.repeat ?? 0);
  // The failed count covers every state; only the failed ones still open are left out.
  const failedOpen = all.proposals.filter((p) => acceptable(p) && p.failed).length;
  return Math.max(0, open - failedOpen);
}

/** "7 write calls of 12 tool calls: 4 new, 1 same object as an earlier call, 2 already in the audit; 1 failed." */
export function proposalsSummary(all: SideEffectProposals): string {
  const c = all.counts;
  const parts = [
    c.new ? `${c.new} new` : '',
    c.repeat ? `${c.repeat} to an object an earlier call changed` : '',
    c.recorded ? `${c.recorded} already in the audit` : '',
    c.accepted ? `${c.accepted} accepted` : '',
  ].filter((p) => p !== '');
  const head = `${plural(all.total, 'write call')} of ${plural(all.calls, 'tool call')}`;
  const tail = all.failed ? `; ${all.failed} failed` : '';
  return parts.length > 0 ? `${head}: ${parts.join(', ')}${tail}.` : `${head}.`;
}

/** What an acceptance did, for the notice. */
export function acceptedSummary(done: AcceptedSideEffects): string {
  const said: string[] = [];
  if (done.created) said.push(`added ${plural(done.created, 'affected object')} to the side-effect audit`);
  if (done.linked) said.push(`linked ${plural(done.linked, 'call')} to objects the audit already held`);
  if (done.already) said.push(`${plural(done.already, 'call')} had been accepted before`);
  if (done.failed_left) said.push(`left out ${plural(done.failed_left, 'failed call')} (accept them one by one if they took effect)`);
  if (said.length === 0) return 'Nothing was left to accept.';
  const text = said.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The value of a tool's class picker: the person's choice, or "auto" when the name decides. */
export type ClassPick = CallClass | 'auto';

export function classPick(t: ToolJudgement): ClassPick {
  return t.chosen?.class ?? 'auto';
}

/** The selected steps that can still be accepted, in the proposals' (time) order. */
export function chosenSteps(all: SideEffectProposals, selected: ReadonlySet<number>): number[] {
  return all.proposals.filter((p) => acceptable(p) && selected.has(p.step)).map((p) => p.step);
}
