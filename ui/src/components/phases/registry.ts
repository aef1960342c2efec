// The phase screens of the incident page, in the order of the response (DESIGN.md, "phase by phase").

import CommunicationPhase from './CommunicationPhase.svelte';
import type { PhaseTab } from './types';

export const PHASE_TABS: PhaseTab[] = [
  { key: 'communication', label: 'Communication', component: CommunicationPhase },
];
