// The phase screens of the incident page. Their order and labels are the core's (`Phase`, written to lib/phases.ts
// by `make bindings`), so a tab is named as the guidance panel, the timeline and the documents name it; a phase
// without a screen here fails the type check.

import type { Component } from 'svelte';
import type { Phase } from '../../lib/bindings/Phase';
import { PHASES } from '../../lib/phases';
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
import type { PhaseProps, PhaseTab } from './types';

const SCREENS: Record<Phase, Component<PhaseProps>> = {
  severity: SeverityPhase,
  pause: PausePhase,
  evidence: EvidencePhase,
  containment: ContainmentPhase,
  playbooks: PlaybooksPhase,
  side_effect_audit: SideEffectsPhase,
  recovery: RecoveryPhase,
  communication: CommunicationPhase,
  notification: NotificationPhase,
  postmortem: PostmortemPhase,
  reenable: ReenablePhase,
};

export const PHASE_TABS: PhaseTab[] = PHASES.map(({ key, label }) => ({ key, label, component: SCREENS[key] }));
