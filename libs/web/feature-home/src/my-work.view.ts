/** The home page's lists in the order they are shown: what is most urgent, or what waits on me for others, first. */
export const LIST_ORDER = ['extensionRequests', 'overdue', 'escalatedInMyTeams', 'dueSoon', 'unassignedInMyTeams', 'reviewsRequested', 'postmortemsToWrite', 'openIncidents'] as const;
export type ListName = (typeof LIST_ORDER)[number];

export const LIST_TITLE: Record<ListName, string> = {
  extensionRequests: 'Extension requests waiting for your decision',
  overdue: 'Your overdue action items',
  escalatedInMyTeams: "Your team's escalated items",
  dueSoon: 'Your items due within 7 days',
  unassignedInMyTeams: "Your teams' items nobody has taken",
  reviewsRequested: 'Postmortems waiting for your review',
  postmortemsToWrite: 'Postmortems to write',
  openIncidents: 'Open incidents you command',
};
