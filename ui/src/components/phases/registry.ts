// The phase screens of the incident page, in the order of the response (DESIGN.md, "phase by phase").

import ContainmentPhase from './ContainmentPhase.svelte';
import PausePhase from './PausePhase.svelte';
import PlaybooksPhase from './PlaybooksPhase.svelte';
import SeverityPhase from './SeverityPhase.svelte';
import type { PhaseTab } from './types';

export const PHASE_TABS: PhaseTab[] = [
  { key: 'severity', label: 'Severity', component: SeverityPhase },
  { key: 'pause', label: 'Pause', component: PausePhase },
  { key: 'containment', label: 'Containment', component: ContainmentPhase },
  { key: 'playbooks', label: 'Playbooks', component: PlaybooksPhase },
];
