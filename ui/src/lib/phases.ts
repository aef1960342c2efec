// Generated from firebreak_core::phases::Phase by `make bindings`; do not edit.

import type { Phase } from './bindings/Phase';

/** Every response phase, in the order of the response, with the label the whole product uses for it. */
export const PHASES: readonly { key: Phase; label: string }[] = [
  { key: 'severity', label: "Severity" },
  { key: 'pause', label: "Pause" },
  { key: 'evidence', label: "Evidence" },
  { key: 'containment', label: "Containment" },
  { key: 'playbooks', label: "Playbooks" },
  { key: 'side_effect_audit', label: "Side-effect audit" },
  { key: 'recovery', label: "Recovery" },
  { key: 'communication', label: "Communication" },
  { key: 'notification', label: "Regulatory notification" },
  { key: 'postmortem', label: "Postmortem" },
  { key: 'reenable', label: "Re-enable" },
];
