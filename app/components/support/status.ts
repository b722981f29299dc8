// Badge classes (existing ones from app.css / admin-billing.css) for a support ticket's status.
export const STATUS_BADGE = { open: "inv-open", answered: "inv-paid", closed: "" } as const;
