// Prisma's `contains`, `startsWith` and `endsWith` become SQL LIKE patterns with the user's text pasted in,
// so `%` and `_` in a search acted as wildcards ("%" found every trainee). Escaped with LIKE's default escape
// character (the backslash), they match themselves.

/** A user's text for a Prisma string filter (contains/startsWith/endsWith): `%`, `_` and `\` match literally. */
export const likeText = (text: string): string => text.replace(/[\\%_]/g, "\\$&");
