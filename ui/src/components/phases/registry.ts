// The phase screens of the incident page, in the order of the response (DESIGN.md, "phase by phase").

import CommunicationPhase from './CommunicationPhase.svelte';
import PostmortemPhase from './PostmortemPhase.svelte';
import ReenablePhase from './ReenablePhase.svelte';
import type { PhaseTab } from './types';

export const PHASE_TABS: PhaseTab[] = [
  { key: 'communication', label: 'Communication', component: CommunicationPhase },
  { key: 'postmortem', label: 'Postmortem', component: PostmortemPhase },
  { key: 'reenable', label: 'Re-enable', component: ReenablePhase },
];
