// Why a driving lesson is cancelled: the short list the registrar, the instructor and the trainee choose
// from (issue 14). The database checks the same values (driving_lesson.cancel_reason).

export const CANCEL_REASONS = ["trainee_ill", "instructor_ill", "vehicle_unavailable", "weather", "other"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** What a trainee may give as the reason for cancelling their own lesson: the school's reasons are the school's to give. */
export const TRAINEE_CANCEL_REASONS = ["trainee_ill", "weather", "other"] as const satisfies readonly CancelReason[];
export type TraineeCancelReason = (typeof TRAINEE_CANCEL_REASONS)[number];

/** The statuses in which a trainee drives: booked, offered in the forms, given an instructor (server/booking/fit.ts). */
export const DRIVING_STATUSES = ["enrolled", "training"] as const;
