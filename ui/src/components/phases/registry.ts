// The phase screens of the incident page, in the order of the response (docs/ARCHITECTURE.md, "The incident, phase
// by phase"), which is also the order of the guidance panel.

import SideEffectsPhase from './SideEffectsPhase.svelte';
import CommunicationPhase from './CommunicationPhase.svelte';
import ContainmentPhase from './ContainmentPhase.svelte';
import EvidencePhase from './EvidencePhase.svelte';
import NotificationPhase from './NotificationPhase.svelte';
import PausePhase from './PausePhase.svelte';
import PlaybooksPhase from './PlaybooksPhase.svelte';
import PostmortemPhase from './PostmortemPhase.svelte';
import RecoveryPhase from './RecoveryPhase.svelte';
import ReenablePhase from './ReenablePhase.svelte';
import SeverityPhase from './SeverityPhase.svelte';
import type { PhaseTab } from './types';

export const PHASE_TABS: PhaseTab[] = [
  { key: 'severity', label: 'Severity', component: SeverityPhase },
  { key: 'pause', label: 'Pause', component: PausePhase },
  { key: 'evidence', label: 'Evidence', component: EvidencePhase },
  { key: 'containment', label: 'Containment', component: ContainmentPhase },
  { key: 'playbooks', label: 'Playbooks', component: PlaybooksPhase },
  { key: 'side_effect_audit', label: 'Side effects', component: SideEffectsPhase },
  { key: 'recovery', label: 'Recovery', component: RecoveryPhase },
  { key: 'communication', label: 'Communication', component: CommunicationPhase },
  { key: 'notification', label: 'Regulators', component: NotificationPhase },
  { key: 'postmortem', label: 'Postmortem', component: PostmortemPhase },
  { key: 'reenable', label: 'Re-enable', component: ReenablePhase },
];
