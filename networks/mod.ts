/**
 * @srhm/networks (filled by its issue).
 *
 * @module
 */
export const PACKAGE = "@srhm/networks";
export { BACKEND_NAMES, BackendUnavailableError, selectBackend } from "./backend.ts";
export type { BackendInfo, BackendName } from "./backend.ts";
