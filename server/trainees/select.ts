// The columns that name a trainee in a list or a card: who they are (full name and IIN) and where they are
// in training. What a role may see of them is still decided where they are shown (redact, guardedSelect).

/** id, the three name parts, IIN and status. */
export const traineeRowSelect = {
  id: true,
  lastName: true,
  firstName: true,
  middleName: true,
  iin: true,
  status: true,
} as const;
