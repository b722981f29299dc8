// Server-only reader of the dev mail sink (plain HTTP; the SMTP side lives in the start script).
export { fetchSunkMail } from "../../../dev/mail/client.ts";
