export { default as common } from "./common.ts";
export { default as errors } from "./errors.ts";
export { default as email } from "./email.ts";
export { default as landing } from "./landing.ts";
export { default as auth } from "./auth.ts";
export { default as workspace } from "./workspace.ts";
export { default as admin } from "./admin.ts";
