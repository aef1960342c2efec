// The phase screens of the incident page, in the order of the response (DESIGN.md, "phase by phase").

import AuditPhase from './AuditPhase.svelte';
import EvidencePhase from './EvidencePhase.svelte';
import RecoveryPhase from './RecoveryPhase.svelte';
import type { PhaseTab } from './types';

export const PHASE_TABS: PhaseTab[] = [
  { key: 'evidence', label: 'Evidence', component: EvidencePhase },
  { key: 'side_effect_audit', label: 'Side effects', component: AuditPhase },
  { key: 'recovery', label: 'Recovery', component: RecoveryPhase },
];
