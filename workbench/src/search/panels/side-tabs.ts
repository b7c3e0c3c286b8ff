/** The side panel's tabs, in order. */
export const sideTabs = ['Schema', 'Samples', 'History', 'Saved'] as const;
export type SideTab = (typeof sideTabs)[number];
