// What every phase screen of the incident page receives. A phase screen loads its own data through its phase's
// commands (lib/commands.ts) and calls `onchanged` after a successful change, so the page refreshes the incident
// header and the guidance (phase completeness, next step, warnings).

import type { Component } from 'svelte';
import type { Incident } from '../../lib/bindings/Incident';
import type { Person } from '../../lib/bindings/Person';
import type { Phase } from '../../lib/bindings/Phase';
import type { Vocabulary } from '../../lib/bindings/Vocabulary';

export interface PhaseProps {
  incident: Incident;
  vocab: Vocabulary;
  /** The user's IANA time zone: show and enter times in it. */
  zone: string;
  /** The people directory, for approvers and owners. */
  people: Person[];
  /** The desktop user's name: the default "decided by". */
  me: string;
  onchanged: () => void;
}

export interface PhaseTab {
  /** The phase it shows (PhaseProgress.phase), so the tab can show the phase's completeness. */
  key: Phase;
  label: string;
  component: Component<PhaseProps>;
}
