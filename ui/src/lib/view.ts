// Client-side navigation state (no router): which screen is shown.
export type View =
  | { name: 'register' }
  | { name: 'new' }
  | { name: 'people' }
  | { name: 'breaches' }
  | { name: 'profile' }
  | { name: 'incident'; id: string };
