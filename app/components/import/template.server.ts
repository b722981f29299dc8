// The server side of the import page: the template builder lives with the parser in server/import.
export { buildTemplate } from "../../../server/import/xlsx.ts";
export { MAX_FILE_BYTES } from "../../../server/import/xlsx.ts";
