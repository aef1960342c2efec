// Client-side navigation state (no router): which screen is shown.
export type View =
  | { name: 'register' }
  | { name: 'new' }
  | { name: 'people' }
  | { name: 'breaches' }
  | { name: 'profile' }
  /** An incident, at a tab (and a step of the Investigation tab) when a search hit opened it. */
  | { name: 'incident'; id: string; tab?: string; step?: number | null };
